using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Diagnostics;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Tests.Core.Delivery;

namespace TrailResponder.Tests.Core.SecurityGroups;

public class SecurityGroupResponderTests
{
    private const string WebGroup = "sg-0a1b2c3d4e5f60789";
    private readonly FakeSecurityGroupClient _ec2 = new();
    private readonly RecordingImporter _importer = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly StringWriter _log = new();
    private readonly List<string?> _regions = [];

    public SecurityGroupResponderTests()
    {
        // The group as EC2 has it after the call in eventbridge-authorize-ingress.json: four new rules and an old one.
        _ec2.AddGroup(WebGroup, new Dictionary<string, string> { ["Name"] = "web" });
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-00000000000000001", WebGroup, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0"));
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-00000000000000002", WebGroup, false, "tcp", 22, 22, cidrIpv4: "10.0.0.0/8"));
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-00000000000000003", WebGroup, false, "-1", -1, -1, cidrIpv4: "10.0.0.0/8"));
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-00000000000000004", WebGroup, false, "tcp", 443, 443, cidrIpv6: "::/0"));
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-0000000000000000a", WebGroup, true, "-1", -1, -1, cidrIpv4: "0.0.0.0/0"));
    }

    private SecurityGroupResponder Responder(bool dryRun = false, SecurityGroupPolicyOptions? options = null) => new(
        new SecurityGroupPolicy(options ?? SecurityGroupPolicyOptions.Default),
        region =>
        {
            _regions.Add(region);
            return _ec2;
        },
        new SecurityGroupNotice(new AsffContext("us-east-1", "111122223333"), "TrailResponder:Exempt=true"),
        _publisher,
        _importer,
        dryRun,
        new JsonLineLog(_log));

    private static SecurityGroupChange Change(string fixture)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Core", "SecurityGroups", "Fixtures", fixture)));
        return SecurityGroupChange.Parse(document.RootElement.Clone());
    }

    [Fact]
    public async Task Exactly_the_world_open_ssh_rule_is_revoked_and_the_restricted_rules_stay()
    {
        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal(SecurityGroupVerdict.Revoke, response.Decision.Decision);
        Assert.Equal(["sgr-00000000000000001"], response.Revoked);
        Assert.Equal(["sgr-00000000000000002", "sgr-00000000000000003", "sgr-00000000000000004", "sgr-0000000000000000a"], _ec2.RuleIds(WebGroup));
        Assert.Equal([(WebGroup, false)], _ec2.RevokeCalls.Select(c => (c.GroupId, c.IsEgress)));
    }

    [Fact]
    public async Task The_team_is_told_what_was_opened_by_whom_and_what_was_revoked()
    {
        await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        var email = Assert.Single(_publisher.Published);
        Assert.Equal($"TrailResponder revoked tcp 22 from 0.0.0.0/0 on {WebGroup}", email.Subject);
        foreach (var expected in new[] { "By:      arn:aws:iam::111122223333:user/jdoe", "Revoked: sgr-00000000000000001", "tag the group TrailResponder:Exempt=true", "From:    " })
        {
            Assert.Contains(expected, email.Body, StringComparison.Ordinal);
        }

        var finding = JsonDocument.Parse(Assert.Single(_importer.Imported).Json).RootElement;
        Assert.Equal("FAILED", finding.GetProperty("Compliance").GetProperty("Status").GetString());
        Assert.Equal("RESOLVED", finding.GetProperty("Workflow").GetProperty("Status").GetString());
        Assert.Contains("sgr-00000000000000001", finding.GetProperty("Note").GetProperty("Text").GetString(), StringComparison.Ordinal);
        Assert.Equal("HIGH", finding.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal($"arn:aws:ec2:eu-west-1:111122223333:security-group/{WebGroup}", finding.GetProperty("Resources")[0].GetProperty("Id").GetString());
    }

    [Fact]
    public async Task Dry_run_decides_and_notifies_without_revoking()
    {
        var response = await Responder(dryRun: true).RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.True(response.DryRun);
        Assert.Empty(_ec2.RevokeCalls);
        Assert.Equal(5, _ec2.RuleIds(WebGroup).Count);
        Assert.StartsWith("TrailResponder (dry run) would revoke", Assert.Single(_publisher.Published).Subject, StringComparison.Ordinal);
        Assert.Equal("NEW", JsonDocument.Parse(Assert.Single(_importer.Imported).Json).RootElement.GetProperty("Workflow").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Redelivery_of_the_same_event_is_harmless()
    {
        var responder = Responder();
        await responder.RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        var again = await responder.RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Empty(again.Revoked);
        Assert.Equal(["sgr-00000000000000001"], again.AlreadyGone);
        Assert.Equal(4, _ec2.RuleIds(WebGroup).Count);
        Assert.Equal(_importer.Imported[0].Id, _importer.Imported[1].Id);
    }

    [Fact]
    public async Task A_group_tagged_exempt_is_left_alone_and_the_team_is_told()
    {
        _ec2.AddGroup(WebGroup, new Dictionary<string, string> { ["TrailResponder:Exempt"] = "true" });
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-00000000000000001", WebGroup, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0"));

        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal(SecurityGroupVerdict.Exempt, response.Decision.Decision);
        Assert.Empty(_ec2.RevokeCalls);
        Assert.Equal(1, _ec2.DescribeTagsCalls);
        Assert.StartsWith("TrailResponder: exempt change opened", Assert.Single(_publisher.Published).Subject, StringComparison.Ordinal);
        Assert.Equal("SUPPRESSED", JsonDocument.Parse(Assert.Single(_importer.Imported).Json).RootElement.GetProperty("Workflow").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_caller_exempt_by_principal_is_left_alone()
    {
        var options = SecurityGroupPolicyOptions.FromEnvironment(new Dictionary<string, string?> { ["EXEMPT_PRINCIPALS"] = "arn:aws:iam::111122223333:user/jdoe" });

        var response = await Responder(options: options).RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal(SecurityGroupVerdict.Exempt, response.Decision.Decision);
        Assert.Empty(_ec2.RevokeCalls);
    }

    [Fact]
    public async Task A_failed_call_is_ignored_without_touching_AWS_or_notifying()
    {
        var response = await Responder().RespondAsync(Change("authorize-ingress-failed.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal(SecurityGroupVerdict.Ignore, response.Decision.Decision);
        Assert.Equal(0, _ec2.DescribeRulesCalls + _ec2.DescribeTagsCalls + _ec2.RevokeCalls.Count);
        Assert.Empty(_publisher.Published);
        Assert.Contains("\"message\":\"security group change ignored\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_modified_rule_is_described_to_learn_its_direction_before_it_is_revoked()
    {
        const string group = "sg-0a1b2c3d4e5f60718";
        _ec2.AddGroup(group);
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-0f1e2d3c4b5a69788", group, false, "tcp", 3389, 3389, cidrIpv4: "0.0.0.0/0"));

        var response = await Responder().RespondAsync(Change("modify-rules-object.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal(["sgr-0f1e2d3c4b5a69788"], response.Revoked);
        Assert.Equal([(group, false)], _ec2.RevokeCalls.Select(c => (c.GroupId, c.IsEgress)));
        Assert.Equal(1, _ec2.DescribeRulesCalls);
    }

    [Fact]
    public async Task An_old_record_without_rule_ids_is_matched_to_the_described_rules()
    {
        const string group = "sg-0123456789abcdef0";
        _ec2.AddGroup(group);
        var change = Change("authorize-ingress-without-rule-ids.json");
        foreach (var (rule, i) in change.Rules.Select((r, i) => (r, i)))
        {
            _ec2.AddRule(DescribedSecurityGroupRule.Create($"sgr-{i:D17}", group, false, rule.Protocol.WireValue, rule.FromPort, rule.ToPort,
                cidrIpv4: rule.Source.Kind == SecurityGroupRuleSourceKind.Ipv4Cidr ? rule.Source.Value : null,
                cidrIpv6: rule.Source.Kind == SecurityGroupRuleSourceKind.Ipv6Cidr ? rule.Source.Value : null,
                prefixListId: rule.Source.Kind == SecurityGroupRuleSourceKind.PrefixList ? rule.Source.Value : null,
                referencedGroupId: rule.Source.Kind == SecurityGroupRuleSourceKind.SecurityGroup ? rule.Source.Value : null));
        }

        var response = await Responder().RespondAsync(change, ResponsePath.RealTime, CancellationToken.None);

        var violating = change.Rules.Select((r, i) => (r, i)).Where(p => p.r.Source.IsWorldOpen && new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default).FindViolation(p.r, false) is not null).Select(p => $"sgr-{p.i:D17}").ToList();
        Assert.NotEmpty(violating);
        Assert.Equal(violating, response.Revoked);
        Assert.Equal(change.Rules.Count - violating.Count, _ec2.RuleIds(group).Count);
    }

    [Fact]
    public async Task EC2_is_called_in_the_region_of_the_change()
    {
        await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.Backstop, CancellationToken.None);

        Assert.Equal(["eu-west-1"], _regions.Distinct());
    }

    [Fact]
    public async Task The_backstop_revokes_only_what_is_still_present_and_says_the_real_time_path_missed_it()
    {
        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.Backstop, CancellationToken.None);

        Assert.Equal(["sgr-00000000000000001"], response.Revoked);
        Assert.Contains("The real-time path (EventBridge) missed this change", Assert.Single(_publisher.Published).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_backstop_stays_quiet_when_the_real_time_path_already_revoked()
    {
        var responder = Responder();
        await responder.RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);
        _publisher.Published.Clear();

        var response = await responder.RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.Backstop, CancellationToken.None);

        Assert.Empty(response.Revoked);
        Assert.False(response.Notified);
        Assert.Empty(_publisher.Published);
        Assert.Single(_ec2.RevokeCalls);
    }

    [Fact]
    public async Task A_revocation_that_fails_sends_a_critical_notice_and_fails()
    {
        _ec2.RevokeFailure = new InvalidOperationException("UnauthorizedOperation: not allowed");

        var error = await Assert.ThrowsAsync<SecurityGroupRevocationException>(() =>
            Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None));

        Assert.Contains("UnauthorizedOperation", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("TrailResponder CRITICAL: could not revoke", Assert.Single(_publisher.Published).Subject, StringComparison.Ordinal);
        Assert.Equal("CRITICAL", JsonDocument.Parse(Assert.Single(_importer.Imported).Json).RootElement.GetProperty("Severity").GetProperty("Label").GetString());
    }

    // ---- The rule as it is now decides, not the rule as the event left it (issue 12, defect 1).

    private const string WorldSsh = "sgr-00000000000000001";

    private static DescribedSecurityGroupRule Ingress(string ruleId, string protocol, int from, int to, string cidr) =>
        DescribedSecurityGroupRule.Create(ruleId, WebGroup, false, protocol, from, to, cidrIpv4: cidr);

    private static JsonElement Finding(RecordingImporter importer) => JsonDocument.Parse(Assert.Single(importer.Imported).Json).RootElement;

    [Theory]
    [InlineData(ResponsePath.RealTime)]
    [InlineData(ResponsePath.Backstop)]
    public async Task A_rule_narrowed_in_place_since_the_event_is_reported_already_fixed_and_never_revoked(ResponsePath path)
    {
        _ec2.ChangeRule(Ingress(WorldSsh, "tcp", 22, 22, "10.3.0.0/16"));

        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), path, CancellationToken.None);

        Assert.Empty(_ec2.RevokeCalls);
        Assert.Contains(WorldSsh, _ec2.RuleIds(WebGroup));
        Assert.Empty(response.Revoked);
        Assert.Equal($"{WorldSsh} (now tcp 22 from 10.3.0.0/16)", Assert.Single(response.AlreadyFixed).Describe());
        var email = Assert.Single(_publisher.Published);
        Assert.Equal($"TrailResponder: tcp 22 from 0.0.0.0/0 on {WebGroup} was already fixed", email.Subject);
        Assert.Contains("Revoked: nothing", email.Body, StringComparison.Ordinal);
        Assert.Contains($"Already fixed: {WorldSsh} (now tcp 22 from 10.3.0.0/16)", email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("missed this change", email.Body, StringComparison.Ordinal);
        var finding = Finding(_importer);
        Assert.Equal("PASSED", finding.GetProperty("Compliance").GetProperty("Status").GetString());
        Assert.Equal("RESOLVED", finding.GetProperty("Workflow").GetProperty("Status").GetString());
        Assert.Equal("AlreadyFixed", finding.GetProperty("ProductFields").GetProperty("trailresponder/Decision").GetString());
        Assert.Contains("Nothing revoked. Already fixed when TrailResponder looked", finding.GetProperty("Note").GetProperty("Text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_deleted_since_the_event_is_reported_already_fixed_in_real_time()
    {
        _ec2.RemoveRule(WebGroup, WorldSsh);

        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Empty(_ec2.RevokeCalls);
        Assert.Equal([WorldSsh], response.AlreadyGone);
        Assert.Contains($"Already fixed: {WorldSsh} (no longer exists)", Assert.Single(_publisher.Published).Body, StringComparison.Ordinal);
        Assert.Equal("PASSED", Finding(_importer).GetProperty("Compliance").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_rule_deleted_since_the_event_leaves_the_backstop_quiet()
    {
        _ec2.RemoveRule(WebGroup, WorldSsh);

        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.Backstop, CancellationToken.None);

        Assert.Empty(_ec2.RevokeCalls);
        Assert.Equal([WorldSsh], response.AlreadyGone);
        Assert.False(response.Notified);
        Assert.Empty(_publisher.Published);
        Assert.Empty(_importer.Imported);
    }

    [Theory]
    [InlineData(ResponsePath.RealTime)]
    [InlineData(ResponsePath.Backstop)]
    public async Task A_rule_widened_further_since_the_event_is_revoked_and_the_notice_says_what_it_is_now(ResponsePath path)
    {
        _ec2.ChangeRule(Ingress(WorldSsh, "tcp", 20, 30, "0.0.0.0/0"));

        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), path, CancellationToken.None);

        Assert.Equal([WorldSsh], response.Revoked);
        Assert.DoesNotContain(WorldSsh, _ec2.RuleIds(WebGroup));
        Assert.Equal("tcp 20-30 open to 0.0.0.0/0; allowed ports are 80, 443", Assert.Single(response.StillViolating).Violation);
        Assert.Contains($"Revoked: {WorldSsh} (tcp 20-30 from 0.0.0.0/0)", Assert.Single(_publisher.Published).Body, StringComparison.Ordinal);
        Assert.Equal("RESOLVED", Finding(_importer).GetProperty("Workflow").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_rule_changed_to_a_world_open_port_the_policy_allows_is_already_fixed()
    {
        _ec2.ChangeRule(Ingress(WorldSsh, "tcp", 443, 443, "0.0.0.0/0"));

        var response = await Responder().RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Empty(_ec2.RevokeCalls);
        Assert.Equal($"{WorldSsh} (now tcp 443 from 0.0.0.0/0)", Assert.Single(response.AlreadyFixed).Describe());
    }

    [Fact]
    public async Task Dry_run_reads_the_rules_again_and_does_not_announce_a_revocation_of_a_fixed_rule()
    {
        _ec2.ChangeRule(Ingress(WorldSsh, "tcp", 22, 22, "10.3.0.0/16"));

        var response = await Responder(dryRun: true).RespondAsync(Change("eventbridge-authorize-ingress.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Empty(response.StillViolating);
        Assert.Single(response.AlreadyFixed);
        Assert.Equal(1, _ec2.DescribeRulesCalls);
        Assert.EndsWith("was already fixed", Assert.Single(_publisher.Published).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_two_condemned_rules_only_the_one_still_open_is_revoked_and_the_notice_names_both()
    {
        const string group = "sg-0c0c0c0c0c0c0c0c0";
        var factory = new TrailResponder.SampleTrail.CloudTrailEventFactory(5, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var change = SecurityGroupChange.Parse(SecurityGroupRecords.Json(factory.AuthorizeSecurityGroupIngress(
            group,
            TrailResponder.SampleTrail.SecurityGroupPermission.Tcp(22, "0.0.0.0/0"),
            TrailResponder.SampleTrail.SecurityGroupPermission.Tcp(3389, "0.0.0.0/0"))));
        var (ssh, rdp) = (change.Rules[0].RuleId!, change.Rules[1].RuleId!);
        _ec2.AddGroup(group);
        _ec2.AddRule(DescribedSecurityGroupRule.Create(ssh, group, false, "tcp", 22, 22, cidrIpv4: "10.3.0.0/16"));
        _ec2.AddRule(DescribedSecurityGroupRule.Create(rdp, group, false, "tcp", 3389, 3389, cidrIpv4: "0.0.0.0/0"));

        var response = await Responder().RespondAsync(change, ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal([rdp], response.Revoked);
        Assert.Equal([rdp], Assert.Single(_ec2.RevokeCalls).RuleIds);
        Assert.Equal([ssh], _ec2.RuleIds(group));
        var body = Assert.Single(_publisher.Published).Body;
        Assert.Contains($"Revoked: {rdp} (tcp 3389 from 0.0.0.0/0)", body, StringComparison.Ordinal);
        Assert.Contains($"Already fixed: {ssh} (now tcp 22 from 10.3.0.0/16)", body, StringComparison.Ordinal);
        var finding = Finding(_importer);
        Assert.Equal("FAILED", finding.GetProperty("Compliance").GetProperty("Status").GetString());
        Assert.Equal(ssh, finding.GetProperty("ProductFields").GetProperty("trailresponder/AlreadyFixedRuleIds").GetString());
    }

    [Fact]
    public async Task A_modified_rule_deleted_since_the_event_is_not_revoked_and_the_reason_says_it_is_gone()
    {
        var response = await Responder().RespondAsync(Change("modify-rules-object.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal(SecurityGroupVerdict.Allow, response.Decision.Decision);
        Assert.Empty(_ec2.RevokeCalls);
        Assert.Contains("no longer among the group's rules", Assert.Single(response.Decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_naming_the_group_only_by_name_cannot_be_rechecked_so_nothing_is_revoked_and_a_warning_says_why()
    {
        var response = await Responder().RespondAsync(Change("authorize-ingress-legacy-flat.json"), ResponsePath.RealTime, CancellationToken.None);

        Assert.Equal(SecurityGroupVerdict.Revoke, response.Decision.Decision);
        Assert.Equal(0, _ec2.DescribeRulesCalls + _ec2.RevokeCalls.Count);
        Assert.Empty(response.AlreadyFixed);
        Assert.Contains("\"message\":\"cannot revoke: the record does not give the group id\"", _log.ToString(), StringComparison.Ordinal);
    }
}
