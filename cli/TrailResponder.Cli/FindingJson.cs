using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Rules;

namespace TrailResponder.Cli;

/// <summary>A finding as one line of JSON: the <c>scan --format json</c> contract.</summary>
internal static class FindingJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToLine(Finding finding)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", finding.Rule.Id);
            writer.WriteString("severity", finding.Severity.ToLabel());
            writer.WriteString("title", finding.Rule.Title);
            writer.WriteString("findingId", finding.FindingId);
            writer.WriteString("eventId", finding.EventId);
            writer.WriteString("eventTime", finding.EventTime);
            writer.WriteString("eventName", finding.EventName);
            writer.WriteString("eventSource", finding.EventSource);
            writer.WriteString("awsRegion", finding.AwsRegion);
            writer.WriteString("accountId", finding.AccountId);
            writer.WriteString("principalArn", finding.Principal?.Arn);
            writer.WriteString("principalType", finding.Principal?.Type);
            writer.WriteString("userName", finding.Principal?.UserName);
            writer.WriteString("accessKeyId", finding.Principal?.AccessKeyId);
            writer.WriteString("sourceIpAddress", finding.SourceIpAddress);
            writer.WriteString("userAgent", finding.UserAgent);
            writer.WriteString("errorCode", finding.ErrorCode);
            writer.WriteStartArray("resources");
            foreach (var resource in finding.Resources)
            {
                writer.WriteStartObject();
                writer.WriteString("type", resource.Type);
                writer.WriteString("id", resource.Id);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("logFile", finding.LogFile);
            writer.WriteEndObject();
        }

        // Relaxed escaping leaves bidi and zero-width characters as they are; they become \u escapes for whoever reads the line.
        return NotificationText.InJson(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
