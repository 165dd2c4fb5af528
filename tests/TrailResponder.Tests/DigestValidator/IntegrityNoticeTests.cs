using System.Text;
using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Digests;
using TrailResponder.Core.Rules;
using TrailResponder.Tests.Core.Delivery;

namespace TrailResponder.Tests.DigestValidator;

public class IntegrityNoticeTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IntegrityNotice Notice = new(new AsffContext("us-east-1", "999988887777"), "example-trail-bucket", new FixedClock(Start.AddHours(2)));

    private static IntegrityProblem Missing(string key) =>
        new(IntegrityProblemKind.LogFileMissing, Severity.Critical, key, "111122223333", "us-east-1", "not found (listed in digest d)");

    [Fact]
    public void A_clean_run_has_no_email()
    {
        Assert.Null(Notice.Email([], Start, Start.AddHours(1)));
    }

    [Fact]
    public void The_email_stays_within_the_SNS_limit_and_says_how_many_problems_were_left_out()
    {
        var problems = Enumerable.Range(0, 3000).Select(i => Missing($"AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/{i:D6}_{new string('x', 60)}.json.gz")).ToList();

        var email = Notice.Email(problems, Start, Start.AddHours(1))!;

        Assert.True(Encoding.UTF8.GetByteCount(email.Body) <= FindingEmail.MaxMessageBytes);
        Assert.Matches(@"\d+ more problems were left out", email.Body);
        Assert.Contains("trailresponder validate s3://example-trail-bucket --start-time 2024-03-01T00:00:00Z --end-time 2024-03-01T01:00:00Z", email.Body, StringComparison.Ordinal);
        Assert.Equal("TrailResponder CRITICAL: 3000 CloudTrail integrity problems in example-trail-bucket", email.Subject);
    }

    [Fact]
    public void A_finding_id_too_long_for_Security_Hub_is_cut_and_made_unique_with_a_hash()
    {
        var a = IntegrityNotice.FindingId(Missing("team/" + new string('a', 600) + "1"));
        var b = IntegrityNotice.FindingId(Missing("team/" + new string('a', 600) + "2"));

        Assert.Equal(IntegrityNotice.MaxIdLength, a.Length);
        Assert.NotEqual(a, b);
        Assert.StartsWith("TR-DIGEST/111122223333/us-east-1/log-missing/team/aaa", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Trails_whose_digests_stopped_in_the_same_folder_get_findings_of_their_own()
    {
        const string Folder = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/";
        IntegrityProblem Stopped(string trail) => new(IntegrityProblemKind.NoDigest, Severity.High, Folder, "111122223333", "us-east-1", "no digest", trail);

        Assert.Equal($"TR-DIGEST/111122223333/us-east-1/no-digest/a/{Folder}", IntegrityNotice.FindingId(Stopped("a")));
        Assert.NotEqual(IntegrityNotice.FindingId(Stopped("a")), IntegrityNotice.FindingId(Stopped("b")));
    }

    [Fact]
    public void A_finding_is_dated_by_its_window_so_a_repeated_run_only_moves_UpdatedAt()
    {
        var json = JsonDocument.Parse(Notice.Finding(Missing("k"), Start, Start.AddHours(1)).Json).RootElement;

        Assert.Equal("2024-03-01T01:00:00.000Z", json.GetProperty("CreatedAt").GetString());
        Assert.Equal("2024-03-01T02:00:00.000Z", json.GetProperty("UpdatedAt").GetString());
        Assert.Equal("111122223333", json.GetProperty("AwsAccountId").GetString());
        Assert.Equal("arn:aws:securityhub:us-east-1:999988887777:product/999988887777/default", json.GetProperty("ProductArn").GetString());
    }

    [Fact]
    public void A_problem_with_hostile_key_region_and_reason_forges_no_line_in_the_email_or_the_finding()
    {
        var key = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/x\r\nBcc: k@example.com\u202Egz.json";
        var problem = new IntegrityProblem(IntegrityProblemKind.LogFileInvalid, Severity.Critical, key, "111122223333", HostileValues.Region, "hash differs\u2028Bcc: r@example.com");

        var email = Notice.Email([problem], Start, Start.AddHours(1))!;
        var finding = JsonDocument.Parse(Notice.Finding(problem, Start, Start.AddHours(1)).Json).RootElement;

        HostileValues.AssertHarmless(email.Body);
        HostileValues.AssertShownEscaped(
            email.Body,
            @"x\r\nBcc: k@example.com\u202Egz.json",
            $"region {HostileValues.RegionShown}",
            @"Why:    hash differs\u2028Bcc: r@example.com",
            "Security Hub findings: https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings");
        HostileValues.AssertHarmless(finding.GetProperty("Title").GetString() + finding.GetProperty("Description").GetString());
    }

    [Fact]
    public void Unverified_log_files_chain_restarts_stopped_digests_and_configuration_errors_are_high_and_everything_else_critical()
    {
        Assert.Equal(Severity.High, IntegrityProblem.SeverityOf(IntegrityProblemKind.LogFileUnverified));
        Assert.Equal(Severity.High, IntegrityProblem.SeverityOf(IntegrityProblemKind.ChainRestart));
        Assert.Equal(Severity.High, IntegrityProblem.SeverityOf(IntegrityProblemKind.NoDigest));
        Assert.Equal(Severity.High, IntegrityProblem.SeverityOf(IntegrityProblemKind.ConfigurationError));
        Assert.All(
            new[] { IntegrityProblemKind.DigestInvalid, IntegrityProblemKind.DigestMissing, IntegrityProblemKind.LogFileInvalid, IntegrityProblemKind.LogFileMissing, IntegrityProblemKind.Gap },
            kind => Assert.Equal(Severity.Critical, IntegrityProblem.SeverityOf(kind)));
    }
}
