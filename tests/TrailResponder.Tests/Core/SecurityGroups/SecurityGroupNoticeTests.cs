using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Tests.Core.Delivery;
using static TrailResponder.Tests.Core.SecurityGroups.SecurityGroupRecords;

namespace TrailResponder.Tests.Core.SecurityGroups;

public class SecurityGroupNoticeTests
{
    private readonly SecurityGroupNotice _notice = new(new AsffContext("us-east-1", "111122223333"), "TrailResponder:Exempt=true");

    // The SSH-to-the-world fixture with hostile caller, agent, event id, event name and region. The region cannot come out
    // of a parsed record any more (see the next test); the notice must be safe on its own all the same.
    private static SecurityGroupResponse HostileResponse()
    {
        var change = FixtureChange("authorize-ingress-ssh-world.json");
        change = change with
        {
            EventName = HostileValues.EventName,
            Rules = [.. change.Rules.Select(r => r with { RuleId = r.RuleId + "\r\nBcc: v@example.com" })],
            Origin = change.Origin with
            {
                Region = HostileValues.Region,
                PrincipalArn = "arn:aws:iam::111122223333:user/" + HostileValues.UserName,
                UserAgent = "curl\u001b[2J\u001b]0;title\u0007",
                EventId = "e-1\r\nBcc: w@example.com",
            },
        };
        var decision = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default).Decide(change, SecurityGroupFacts.Unknown);
        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        IReadOnlyList<RecheckedRule> still = [.. decision.RuleIdsToRevoke.Select(id => new RecheckedRule(id, Now: null, Violation: "tcp 22 open to 0.0.0.0/0"))];
        return new SecurityGroupResponse(decision, still, decision.RuleIdsToRevoke, AlreadyFixed: [], DryRun: false, Notified: true);
    }

    [Fact]
    public void A_record_region_that_is_not_a_region_name_is_refused_before_it_can_pick_an_endpoint()
    {
        var record = File.ReadAllText(FixturePath("authorize-ingress-ssh-world.json"))
            .Replace("\"awsRegion\": \"eu-west-1\"", $"\"awsRegion\": {HostileValues.Json(HostileValues.Region)}", StringComparison.Ordinal);

        var error = Assert.Throws<SecurityGroupEventFormatException>(() => SecurityGroupChange.Parse(Json(record)));

        Assert.Equal("awsRegion", error.Field);
        Assert.Equal($"awsRegion: '{HostileValues.RegionShown}' is not an AWS region name", error.Message);
    }

    [Fact]
    public void The_email_about_a_hostile_record_forges_no_line_links_to_no_other_host_and_shows_its_values_escaped()
    {
        var email = _notice.Email(HostileResponse(), SecurityGroupNotice.Outcome.Revoked, ResponsePath.RealTime);

        HostileValues.AssertHarmless(email.Body);
        HostileValues.AssertShownEscaped(
            email.Body,
            $"By:      arn:aws:iam::111122223333:user/{HostileValues.UserNameShown}",
            $"region {HostileValues.RegionShown}",
            $"({HostileValues.EventNameShown}, event e-1\\r\\nBcc: w@example.com)",
            @"using curl\u001B[2J\u001B]0;title\u0007",
            @"[sgr-0f1e2d3c4b5a69788\r\nBcc: v@example.com]",
            @"Revoked: sgr-0f1e2d3c4b5a69788\r\nBcc: v@example.com");
        Assert.DoesNotContain("The event: ", email.Body, StringComparison.Ordinal);
        Assert.All(email.Subject, c => Assert.InRange(c, ' ', '~'));
    }

    [Fact]
    public void The_finding_about_a_hostile_record_names_the_group_in_the_importing_region_and_shows_escapes()
    {
        var finding = JsonDocument.Parse(_notice.Finding(HostileResponse(), SecurityGroupNotice.Outcome.Revoked).Json).RootElement;

        var group = finding.GetProperty("Resources")[0];
        Assert.Equal("arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60718", group.GetProperty("Id").GetString());
        Assert.All(finding.GetProperty("Resources").EnumerateArray(), r => Assert.Equal("us-east-1", r.GetProperty("Region").GetString()));
        var title = finding.GetProperty("Title").GetString()!;
        Assert.EndsWith($"by arn:aws:iam::111122223333:user/{HostileValues.UserNameShown}", title, StringComparison.Ordinal);
        HostileValues.AssertHarmless(title + finding.GetProperty("Description").GetString() + finding.GetProperty("Note").GetProperty("Text").GetString());
    }
}
