using System.Text.Json.Nodes;

namespace TrailResponder.LocalAws.Services;

/// <summary>Security Hub state: imported findings keyed by Id, kept as the raw JSON that was imported last.</summary>
public sealed class SecurityHubStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _findings = new(StringComparer.Ordinal);

    /// <summary>Finding Id → raw ASFF JSON of the stored version.</summary>
    public IReadOnlyDictionary<string, string> Findings
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, string>(_findings, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Stores a finding unless the stored one has a later UpdatedAt (AWS ignores such out-of-date imports).</summary>
    internal void Upsert(string id, JsonObject finding)
    {
        lock (_lock)
        {
            if (_findings.TryGetValue(id, out var existing)
                && JsonNode.Parse(existing)?["UpdatedAt"]?.GetValue<string>() is { } storedUpdatedAt
                && finding["UpdatedAt"]?.GetValue<string>() is { } newUpdatedAt
                && DateTimeOffset.Parse(storedUpdatedAt, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.Parse(newUpdatedAt, System.Globalization.CultureInfo.InvariantCulture))
            {
                return;
            }
            _findings[id] = finding.ToJsonString();
        }
    }
}
