using System.Text.Json;
using TrailResponder.LocalAws;
using TrailResponder.Responder;

namespace TrailResponder.Tests.Integration;

public class SecurityGroupResponderEndToEndTests : LocalAwsTest
{
    private const string Group = "sg-0a1b2c3d4e5f60718";

    private Function CreateFunction(params (string Name, string Value)[] extra) =>
        new(ResponderServices.FromEnvironment(Environment(extra), Credentials, Log, Retry));

    private (string World, string Office, Stream Event) GroupWithTheSampleRules(IReadOnlyDictionary<string, string>? tags = null)
    {
        Endpoint.Ec2.AddSecurityGroup(Group, "web", tags: tags);
        var world = Endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0").RuleId;
        var office = Endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 5432, 5432, cidrIpv4: "10.20.0.0/16").RuleId;
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "securitygroup-ssh-opened-to-world.json"))
            .Replace("sgr-0f1e2d3c4b5a69788", world, StringComparison.Ordinal)
            .Replace("sgr-0a9b8c7d6e5f40312", office, StringComparison.Ordinal);
        return (world, office, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public async Task The_world_open_rule_is_revoked_in_EC2_and_the_team_is_told()
    {
        var (world, office, incoming) = GroupWithTheSampleRules();

        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(incoming)).RootElement;

        Assert.Equal([world], answer.GetProperty("revoked").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([office], Endpoint.Ec2.Rules(Group).Select(r => r.RuleId));
        Assert.StartsWith("TrailResponder revoked tcp 22 from 0.0.0.0/0", Assert.Single(Endpoint.Sns.Messages(Topic)).Subject, StringComparison.Ordinal);
        var finding = JsonDocument.Parse(Assert.Single(Endpoint.SecurityHub.Findings).Value).RootElement;
        Assert.Equal("RESOLVED", finding.GetProperty("Workflow").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_throttled_revoke_is_retried()
    {
        var (_, office, incoming) = GroupWithTheSampleRules();
        Endpoint.Faults.Throttle(ServiceNames.Ec2, "RevokeSecurityGroupIngress", times: 2);

        await CreateFunction().HandleAsync(incoming);

        Assert.Equal([office], Endpoint.Ec2.Rules(Group).Select(r => r.RuleId));
        Assert.Equal(3, Endpoint.Requests.Of(ServiceNames.Ec2, "RevokeSecurityGroupIngress").Count);
    }

    [Fact]
    public async Task A_group_tagged_exempt_keeps_its_rules()
    {
        var (_, _, incoming) = GroupWithTheSampleRules(new Dictionary<string, string> { ["TrailResponder:Exempt"] = "true" });

        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(incoming)).RootElement;

        Assert.Equal("exempt", answer.GetProperty("decision").GetString());
        Assert.Equal(2, Endpoint.Ec2.Rules(Group).Count);
        Assert.Empty(Endpoint.Requests.Of(ServiceNames.Ec2, "RevokeSecurityGroupIngress"));
    }

    [Fact]
    public async Task A_revocation_EC2_keeps_refusing_fails_the_invocation_after_a_critical_notice()
    {
        var (_, _, incoming) = GroupWithTheSampleRules();
        Endpoint.Faults.FailInternally(ServiceNames.Ec2, "RevokeSecurityGroupIngress", times: 10);

        await Assert.ThrowsAsync<TrailResponder.Core.SecurityGroups.SecurityGroupRevocationException>(() => CreateFunction().HandleAsync(incoming));

        Assert.Equal(2, Endpoint.Ec2.Rules(Group).Count);
        Assert.StartsWith("TrailResponder CRITICAL: could not revoke", Assert.Single(Endpoint.Sns.Messages(Topic)).Subject, StringComparison.Ordinal);
    }

    // ---- A later run on the original event (an EventBridge retry, a redrive from the dead-letter queue) after the rule changed.

    [Fact]
    public async Task A_redelivered_event_leaves_a_rule_narrowed_in_place_alone_and_reports_it_already_fixed()
    {
        var (world, _, incoming) = GroupWithTheSampleRules();
        await EditRuleAsync(Group, world, 22, 22, "10.3.0.0/16");

        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(incoming)).RootElement;

        Assert.Empty(Endpoint.Requests.Of(ServiceNames.Ec2, "RevokeSecurityGroupIngress"));
        Assert.Equal("10.3.0.0/16", Endpoint.Ec2.Rules(Group).Single(r => r.RuleId == world).CidrIpv4);
        Assert.Equal("tcp 22 from 10.3.0.0/16", Assert.Single(answer.GetProperty("alreadyFixed").EnumerateArray()).GetProperty("now").GetString());
        var email = Assert.Single(Endpoint.Sns.Messages(Topic));
        Assert.Equal($"TrailResponder: tcp 22 from 0.0.0.0/0 on {Group} was already fixed", email.Subject);
        Assert.Contains($"Already fixed: {world} (now tcp 22 from 10.3.0.0/16)", email.Message, StringComparison.Ordinal);
        var finding = JsonDocument.Parse(Assert.Single(Endpoint.SecurityHub.Findings).Value).RootElement;
        Assert.Equal("PASSED", finding.GetProperty("Compliance").GetProperty("Status").GetString());
        Assert.Equal("RESOLVED", finding.GetProperty("Workflow").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_redelivered_event_whose_rule_was_deleted_revokes_nothing_and_reports_it_already_fixed()
    {
        var (world, office, incoming) = GroupWithTheSampleRules();
        Endpoint.Ec2.RemoveRule(world);

        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(incoming)).RootElement;

        Assert.Empty(Endpoint.Requests.Of(ServiceNames.Ec2, "RevokeSecurityGroupIngress"));
        Assert.Equal([office], Endpoint.Ec2.Rules(Group).Select(r => r.RuleId));
        Assert.Equal([world], answer.GetProperty("alreadyGone").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains($"Already fixed: {world} (no longer exists)", Assert.Single(Endpoint.Sns.Messages(Topic)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_event_revokes_a_rule_widened_further_since()
    {
        var (world, office, incoming) = GroupWithTheSampleRules();
        await EditRuleAsync(Group, world, 0, 65535, "0.0.0.0/0");

        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(incoming)).RootElement;

        Assert.Equal([world], answer.GetProperty("revoked").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([office], Endpoint.Ec2.Rules(Group).Select(r => r.RuleId));
        Assert.Contains($"Revoked: {world} (tcp all ports from 0.0.0.0/0)", Assert.Single(Endpoint.Sns.Messages(Topic)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_reads_the_rules_again_and_says_a_fixed_rule_needs_nothing()
    {
        var (world, _, incoming) = GroupWithTheSampleRules();
        await EditRuleAsync(Group, world, 22, 22, "10.3.0.0/16");

        var answer = JsonDocument.Parse(await CreateFunction(("DRY_RUN", "true")).HandleAsync(incoming)).RootElement;

        Assert.Empty(answer.GetProperty("wouldRevoke").EnumerateArray());
        Assert.Single(Endpoint.Requests.Of(ServiceNames.Ec2, "DescribeSecurityGroupRules"));
        Assert.EndsWith("was already fixed", Assert.Single(Endpoint.Sns.Messages(Topic)).Subject, StringComparison.Ordinal);
    }
}
