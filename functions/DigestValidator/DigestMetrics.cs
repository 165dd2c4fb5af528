using System.Text;
using System.Text.Json;
using TrailResponder.Core.Digests;

namespace TrailResponder.DigestValidator;

/// <summary>
/// Writes a run's counts as one CloudWatch Embedded Metric Format line: CloudWatch Logs turns it into metrics, so a clean
/// hour is visible (and alarmable, e.g. on no digests at all) without any call to CloudWatch.
/// </summary>
public static class DigestMetrics
{
    /// <summary>The metric namespace.</summary>
    public const string Namespace = "TrailResponder";

    /// <summary>The value of the <c>Function</c> dimension.</summary>
    public const string FunctionName = "DigestValidator";

    /// <summary>The EMF line for <paramref name="report"/>, stamped with <paramref name="timestamp"/>.</summary>
    public static string Line(DigestValidationReport report, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(report);
        var metrics = new (string Name, int Value)[]
        {
            ("DigestsValid", report.Digests.Valid),
            ("DigestsInvalid", report.Digests.Invalid),
            ("DigestsMissing", report.Digests.Missing),
            ("LogFilesValid", report.LogFiles.Valid),
            ("LogFilesInvalid", report.LogFiles.Invalid),
            ("LogFilesMissing", report.LogFiles.Missing),
            ("LogFilesUnverified", report.LogFiles.Unverified),
            ("Gaps", report.Gaps.Count),
            ("ChainRestarts", report.ChainRestarts.Count),
            ("NoDigest", report.Silences.Count),
            ("ConfigurationErrors", report.TrailNameMismatch is null ? 0 : 1),
        };

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", timestamp.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Function");
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, _) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", "Count");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Function", FunctionName);
            foreach (var (name, value) in metrics)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
