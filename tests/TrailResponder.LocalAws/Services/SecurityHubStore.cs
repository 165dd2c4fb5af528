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

    // On an existing finding these belong to the customer: BatchImportFindings leaves them as they were (aws-wire.md §3).
    private static readonly string[] CustomerOwned = ["Note", "UserDefinedFields", "VerificationState", "Workflow"];

    /// <summary>Stores a finding unless the stored one has a later UpdatedAt (AWS ignores such out-of-date imports).</summary>
    internal void Upsert(string id, JsonObject finding)
    {
        lock (_lock)
        {
            if (_findings.TryGetValue(id, out var existingText))
            {
                var existing = JsonNode.Parse(existingText)!.AsObject();
                if (Time(existing["UpdatedAt"]) > Time(finding["UpdatedAt"]))
                {
                    return;
                }
                finding = finding.DeepClone().AsObject();
                foreach (var name in CustomerOwned)
                {
                    finding.Remove(name);
                    if (existing[name] is { } kept)
                    {
                        finding[name] = kept.DeepClone();
                    }
                }
            }
            _findings[id] = finding.ToJsonString();
        }
    }

    private static DateTimeOffset Time(JsonNode? timestamp) =>
        DateTimeOffset.Parse(timestamp!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
