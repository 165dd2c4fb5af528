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
        var email = FindingEmail.Compose("s3://trail-bucket/key.json.gz", [DeliveryFixtures.RootLogin()], Severity.High, "aws")!;

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
    public void Findings_below_the_threshold_are_counted_but_not_listed()
    {
        var email = FindingEmail.Compose("f", [DeliveryFixtures.RootLogin(), DeliveryFixtures.SecurityGroupChange()], Severity.High, "aws")!;

        Assert.DoesNotContain("CIS-4.10", email.Body, StringComparison.Ordinal);
        Assert.Contains("(1 lower-severity finding is in Security Hub only.)", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void No_email_when_nothing_reaches_the_threshold()
    {
        Assert.Null(FindingEmail.Compose("f", [DeliveryFixtures.SecurityGroupChange()], Severity.High, "aws"));
        Assert.Null(FindingEmail.Compose("f", [], Severity.Informational, "aws"));
    }

    [Fact]
    public void The_subject_is_printable_ascii_under_100_characters_whatever_the_event_holds()
    {
        var hostile = DeliveryFixtures.RootLogin() with { AccountId = "1111\r\nBcc: evil@example.com\u00e9\u0007" + new string('x', 200) };

        var email = FindingEmail.Compose("f", [hostile, DeliveryFixtures.RootLogin("e-2")], Severity.Low, "aws")!;

        Assert.InRange(email.Subject.Length, 1, 99);
        Assert.All(email.Subject, c => Assert.InRange(c, ' ', '~'));
        Assert.StartsWith("TrailResponder HIGH: Root user activity and 1 more in ", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_in_event_data_cannot_forge_lines_in_the_body()
    {
        var finding = DeliveryFixtures.RootLogin(sourceIp: "1.2.3.4\\nWhat to do: nothing\\u001b[2J");

        var body = FindingEmail.Compose("f", [finding], Severity.Low, "aws")!.Body;

        Assert.Contains("From:  1.2.3.4?What to do: nothing?[2J", body, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', body);
    }

    [Fact]
    public void A_huge_file_of_findings_is_cut_to_the_SNS_limit_and_says_how_many_were_left_out()
    {
        var findings = Enumerable.Range(0, 3000).Select(i => DeliveryFixtures.RootLogin($"e-{i}", userAgent: new string('a', 300))).ToList();

        var email = FindingEmail.Compose("s3://b/k.json.gz", findings, Severity.Low, "aws")!;

        var bytes = Encoding.UTF8.GetByteCount(email.Body);
        Assert.InRange(bytes, FindingEmail.MaxMessageBytes - 10_000, FindingEmail.MaxMessageBytes);
        var listed = email.Body.Split("[HIGH] CIS-4.3").Length - 1;
        Assert.Contains($"{3000 - listed} more findings were left out", email.Body, StringComparison.Ordinal);
        Assert.Contains("trailresponder scan s3://b/k.json.gz", email.Body, StringComparison.Ordinal);
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
}
