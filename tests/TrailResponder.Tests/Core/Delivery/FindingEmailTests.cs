using System.Text;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.Core.Delivery;

public class FindingEmailTests
{
    [Fact]
    public void The_email_says_who_what_when_from_where_which_rule_and_what_to_do()
    {
        var email = Compose("s3://trail-bucket/key.json.gz", [DeliveryFixtures.RootLogin()], Severity.High)!;

        Assert.Equal("TrailResponder HIGH: Root user activity in 111122223333 us-east-1", email.Subject);
        foreach (var expected in new[]
        {
            "s3://trail-bucket/key.json.gz", "[HIGH] CIS-4.3  Root user activity", "When:  2024-05-06T08:15:42Z",
            "Who:   arn:aws:iam::111122223333:root (Root)", "From:  198.51.100.23 using Mozilla/5.0",
            "What:  signin.amazonaws.com ConsoleLogin", "Where: account 111122223333, region us-east-1",
            "What to do: Confirm who used root", "cloudtrailv2/home?region=us-east-1#/events/e-root",
            "https://us-east-1.console.aws.amazon.com/securityhub/home",
        })
        {
            Assert.Contains(expected, email.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_sigma_finding_in_the_email_lists_its_attack_tags_false_positives_and_references()
    {
        var email = Compose("f", [DeliveryFixtures.SigmaTrailStopped()], Severity.High)!;

        foreach (var expected in new[]
        {
            "[CRITICAL] 5e1f0c2a-0000-4000-8000-000000000001  Trail stopped",
            "Why it matters: A trail stopped logging.\n",
            "What to do: Review the event and the principal that made it.\n",
            "ATT&CK: T1562.008 (defense-evasion, impact)\n",
            "Known false positives: Planned maintenance; Trail migration\n",
            "Reference: https://example.com/runbooks/trail-stopped\n",
            "Reference: internal wiki page 42\n",
        })
        {
            Assert.Contains(expected, email.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Findings_below_the_threshold_are_counted_but_not_listed()
    {
        var email = Compose("f", [DeliveryFixtures.RootLogin(), DeliveryFixtures.SecurityGroupChange()], Severity.High)!;

        Assert.DoesNotContain("CIS-4.10", email.Body, StringComparison.Ordinal);
        Assert.Contains("(1 lower-severity finding is in Security Hub only.)", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void No_email_when_nothing_reaches_the_threshold()
    {
        Assert.Null(Compose("f", [DeliveryFixtures.SecurityGroupChange()], Severity.High));
        Assert.Null(Compose("f", [], Severity.Informational));
    }

    [Fact]
    public void The_subject_is_printable_ascii_under_100_characters_whatever_the_event_holds()
    {
        var hostile = DeliveryFixtures.RootLogin() with { AccountId = "1111\r\nBcc: evil@example.com\u00e9\u0007" + new string('x', 200) };

        var email = Compose("f", [hostile, DeliveryFixtures.RootLogin("e-2")], Severity.Low)!;

        Assert.InRange(email.Subject.Length, 1, 99);
        Assert.All(email.Subject, c => Assert.InRange(c, ' ', '~'));
        Assert.StartsWith("TrailResponder HIGH: Root user activity and 1 more in ", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_in_event_data_cannot_forge_lines_in_the_body()
    {
        var finding = DeliveryFixtures.RootLogin(sourceIp: "1.2.3.4\\nWhat to do: nothing\\u001b[2J");

        var body = Compose("f", [finding], Severity.Low)!.Body;

        Assert.Contains(@"From:  1.2.3.4\nWhat to do: nothing\u001B[2J", body, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', body);
    }

    [Fact]
    public void A_hostile_record_forges_no_line_links_to_no_other_host_and_shows_its_values_escaped()
    {
        var email = Compose("f", [DeliveryFixtures.Hostile()], Severity.Low)!;

        HostileValues.AssertHarmless(email.Body);
        HostileValues.AssertShownEscaped(email.Body, $"region {HostileValues.RegionShown}", $"Who:   {HostileValues.UserNameShown}", $"What:  signin.amazonaws.com {HostileValues.EventNameShown}");
        Assert.DoesNotContain("cloudtrailv2", email.Body, StringComparison.Ordinal);
        Assert.Contains("Event: e-hostile\n", email.Body, StringComparison.Ordinal);
        Assert.Contains("Security Hub findings: https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings\n", email.Body, StringComparison.Ordinal);
        Assert.EndsWith(@"in 111122223333 evil.example/#\r\nBcc: x@example.com", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Security_Hub_link_points_to_the_region_findings_are_imported_in_not_the_record_region()
    {
        var email = FindingEmail.Compose("f", FindingTally.Of([DeliveryFixtures.SecurityGroupChange()], Severity.Low), new AsffContext("ap-southeast-2", "111122223333"))!;

        Assert.Contains("Security Hub findings: https://ap-southeast-2.console.aws.amazon.com/securityhub/home?region=ap-southeast-2#/findings", email.Body, StringComparison.Ordinal);
        Assert.Contains("https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/e-sg", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_with_long_event_data_are_cut_to_the_SNS_limit_and_the_email_says_how_many_are_not_listed()
    {
        var findings = Enumerable.Range(0, 300).Select(i => DeliveryFixtures.RootLogin($"e-{i}", userAgent: new string('a', 4000))).ToList();

        var email = Compose("s3://b/k.json.gz", findings, Severity.Low)!;

        var bytes = Encoding.UTF8.GetByteCount(email.Body);
        Assert.InRange(bytes, FindingEmail.MaxMessageBytes - 10_000, FindingEmail.MaxMessageBytes);
        var listed = email.Body.Split("  Event: ").Length - 1;
        Assert.InRange(listed, 1, FindingTally.MaxListed - 1);
        Assert.Contains($"{300 - listed} more findings are not listed here", email.Body, StringComparison.Ordinal);
        Assert.Contains("trailresponder scan s3://b/k.json.gz", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_thousands_of_findings_gets_a_count_per_rule_and_the_most_severe_hundred()
    {
        var findings = Enumerable.Range(0, 3000).Select(i => DeliveryFixtures.SecurityGroupChange($"e-sg-{i}"))
            .Append(DeliveryFixtures.RootLogin())
            .ToList();

        var email = Compose("s3://b/k.json.gz", findings, Severity.Low)!;

        Assert.Contains("TrailResponder found 3,001 findings at or above LOW", email.Body, StringComparison.Ordinal);
        Assert.Contains("       1  [HIGH] CIS-4.3  Root user activity", email.Body, StringComparison.Ordinal);
        Assert.Contains("   3,000  [MEDIUM] CIS-4.10", email.Body, StringComparison.Ordinal);
        Assert.Equal(FindingTally.MaxListed, email.Body.Split("  Event: ").Length - 1);
        Assert.True(email.Body.IndexOf("Event: e-root", StringComparison.Ordinal) < email.Body.IndexOf("Event: e-sg-0", StringComparison.Ordinal));
        Assert.Contains("2,901 more findings are not listed here", email.Body, StringComparison.Ordinal);
        Assert.StartsWith("TrailResponder HIGH: Root user activity and 3000 more in ", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_log_file_gets_its_own_email_naming_the_fault()
    {
        var error = new LogFileException("s3://b/k.json.gz", LogFileFault.TruncatedGzip, "the gzip data ends before it is complete: the file was cut short", "at compressed byte 812");

        var email = FindingEmail.UnreadableFile("s3://b/k.json.gz", error, 42, 1);

        Assert.Equal("TrailResponder: log file could not be read (TruncatedGzip)", email.Subject);
        Assert.Contains("s3://b/k.json.gz", email.Body, StringComparison.Ordinal);
        Assert.Contains("the file was cut short (at compressed byte 812)", email.Body, StringComparison.Ordinal);
        Assert.Contains("42 records were read before the fault and 1 finding was reported", email.Body, StringComparison.Ordinal);
    }

    private static Notification? Compose(string logFile, IEnumerable<TrailResponder.Core.Findings.Finding> findings, Severity threshold) =>
        FindingEmail.Compose(logFile, FindingTally.Of(findings, threshold), new AsffContext("us-east-1", "111122223333"));
}
