using System.Text.Json;
using TrailResponder.Cli;
using TrailResponder.Core.Digests;
using TrailResponder.Tests.Core.Delivery;

namespace TrailResponder.Tests.Cli;

public class ValidationReportWriterTests
{
    private const string Key = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/x\r\nBcc: k@example.com\u202Egz.json";
    private const string KeyShown = @"AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/x\r\nBcc: k@example.com\u202Egz.json";
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    // Keys of a bucket are written by whoever can write to it, and reasons quote what the files say.
    private static DigestValidationReport HostileReport()
    {
        var chain = new DigestChainId(null, null, "111122223333", "us-east-1", "trail\u2028Bcc: t@example.com", "us-east-1", IsBackfill: false);
        return new DigestValidationReport
        {
            Verdicts = [new FileVerdict(VerdictFileKind.LogFile, Key, VerdictStatus.Invalid, "hash differs\u2029Bcc: r@example.com")],
            Gaps = [new DigestGap(chain, Key, Key, Start, Start.AddHours(1), 3)],
            ChainRestarts = [new ChainRestart(chain, Key, Key, Start, Start.AddHours(2), 4)],
            OffChainDigests = [Key],
            PendingLogFiles = 0,
        };
    }

    [Fact]
    public async Task The_text_report_of_hostile_keys_and_reasons_forges_no_line_and_shows_them_escaped()
    {
        using var output = new StringWriter();

        await ValidationReportWriter.WriteTextAsync(HostileReport(), "s3://bucket\u001b[2J/", output);

        var text = output.ToString();
        HostileValues.AssertHarmless(text);
        HostileValues.AssertShownEscaped(text, $"Log file  {KeyShown}", @"hash differs\u2029Bcc: r@example.com", @"trail\u2028Bcc: t@example.com", @"s3://bucket\u001B[2J/");
    }

    [Fact]
    public async Task Json_lines_of_hostile_keys_have_hidden_characters_as_escapes_and_the_exact_values()
    {
        using var output = new StringWriter();

        await ValidationReportWriter.WriteJsonLinesAsync(HostileReport(), output);

        HostileValues.AssertHarmless(output.ToString());
        using var first = JsonDocument.Parse(output.ToString().Split('\n')[0]);
        Assert.Equal(Key, first.RootElement.GetProperty("key").GetString());
    }
}
