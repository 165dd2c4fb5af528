using System.Text;
using System.Text.Json;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Cli.Local;

/// <summary>Security Hub replaced by a file: findings kept by Id (an import updates), written as one ASFF JSON array.</summary>
internal sealed class LocalSecurityHub(string file) : IFindingImporter
{
    private readonly Dictionary<string, AsffFinding> _findings = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _findings.Count;
            }
        }
    }

    public Task ImportAsync(IReadOnlyList<AsffFinding> findings, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var finding in findings)
            {
                _findings[finding.Id] = finding;
            }

            using var output = File.Create(file);
            using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteStartArray("Findings");
            foreach (var finding in _findings.Values.OrderBy(f => f.Id, StringComparer.Ordinal))
            {
                json.WriteRawValue(Encoding.UTF8.GetString(finding.Json.Span));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Task.CompletedTask;
    }
}
