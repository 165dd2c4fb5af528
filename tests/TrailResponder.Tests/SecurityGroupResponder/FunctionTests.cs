using System.Text;
using System.Text.Json;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Responder;
using TrailResponder.Tests.Core.Delivery;
using TrailResponder.Tests.Core.SecurityGroups;

namespace TrailResponder.Tests.Responder;

public class FunctionTests
{
    private const string Group = "sg-0a1b2c3d4e5f60718";
    private readonly FakeSecurityGroupClient _ec2 = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly StringWriter _log = new();

    public FunctionTests()
    {
        _ec2.AddGroup(Group);
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-0f1e2d3c4b5a69788", Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0"));
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-0a9b8c7d6e5f40312", Group, false, "tcp", 5432, 5432, cidrIpv4: "10.20.0.0/16"));
        _ec2.AddRule(DescribedSecurityGroupRule.Create("sgr-0c1d2e3f4a5b6c7d8", Group, false, "tcp", 443, 443, cidrIpv4: "0.0.0.0/0"));
    }

    private Function CreateFunction(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "us-east-1",
            ["FINDINGS_TOPIC_ARN"] = "arn:aws:sns:us-east-1:111122223333:findings",
            ["SECURITY_HUB_ENABLED"] = "false",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return new Function(new ResponderServices(ResponderSettings.FromEnvironment(environment), _ => _ec2, null, _publisher, _log));
    }

    private static Stream Event(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", name));

    [Fact]
    public async Task The_sample_ssh_event_revokes_exactly_the_world_open_rule()
    {
        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(Event("securitygroup-ssh-opened-to-world.json"))).RootElement;

        Assert.Equal("revoke", answer.GetProperty("decision").GetString());
        Assert.Equal(Group, answer.GetProperty("groupId").GetString());
        Assert.Equal(["sgr-0f1e2d3c4b5a69788"], answer.GetProperty("revoked").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["sgr-0a9b8c7d6e5f40312", "sgr-0c1d2e3f4a5b6c7d8"], _ec2.RuleIds(Group));
        Assert.Single(_publisher.Published);
    }

    [Fact]
    public async Task The_sample_https_event_is_allowed_and_nothing_is_touched()
    {
        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(Event("securitygroup-https-opened-allowed.json"))).RootElement;

        Assert.Equal("allow", answer.GetProperty("decision").GetString());
        Assert.Empty(_ec2.RevokeCalls);
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task Dry_run_reports_what_it_would_revoke_and_leaves_the_group()
    {
        var answer = JsonDocument.Parse(await CreateFunction(("DRY_RUN", "true")).HandleAsync(Event("securitygroup-ssh-opened-to-world.json"))).RootElement;

        Assert.True(answer.GetProperty("dryRun").GetBoolean());
        Assert.Equal(["sgr-0f1e2d3c4b5a69788"], answer.GetProperty("wouldRevoke").EnumerateArray().Select(r => r.GetString()));
        Assert.Empty(_ec2.RevokeCalls);
    }

    [Fact]
    public async Task An_event_replayed_after_the_rule_was_fixed_in_place_revokes_nothing_and_answers_already_fixed()
    {
        _ec2.ChangeRule(DescribedSecurityGroupRule.Create("sgr-0f1e2d3c4b5a69788", Group, false, "tcp", 22, 22, cidrIpv4: "10.3.0.0/16"));

        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(Event("securitygroup-ssh-opened-to-world.json"))).RootElement;

        Assert.Empty(_ec2.RevokeCalls);
        Assert.Empty(answer.GetProperty("revoked").EnumerateArray());
        var fixedRule = Assert.Single(answer.GetProperty("alreadyFixed").EnumerateArray());
        Assert.Equal("sgr-0f1e2d3c4b5a69788", fixedRule.GetProperty("ruleId").GetString());
        Assert.Equal("tcp 22 from 10.3.0.0/16", fixedRule.GetProperty("now").GetString());
        Assert.EndsWith("was already fixed", Assert.Single(_publisher.Published).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_would_revoke_nothing_once_the_rule_is_fixed()
    {
        _ec2.ChangeRule(DescribedSecurityGroupRule.Create("sgr-0f1e2d3c4b5a69788", Group, false, "tcp", 22, 22, cidrIpv4: "10.3.0.0/16"));

        var answer = JsonDocument.Parse(await CreateFunction(("DRY_RUN", "true")).HandleAsync(Event("securitygroup-ssh-opened-to-world.json"))).RootElement;

        Assert.Empty(answer.GetProperty("wouldRevoke").EnumerateArray());
        Assert.Single(answer.GetProperty("alreadyFixed").EnumerateArray());
    }

    [Fact]
    public async Task The_responders_own_calls_are_ignored()
    {
        var answer = JsonDocument.Parse(await CreateFunction(("RESPONDER_ROLE_ARN", "arn:aws:iam::111122223333:role/DeveloperRole")).HandleAsync(Event("securitygroup-ssh-opened-to-world.json"))).RootElement;

        Assert.Equal("ignore", answer.GetProperty("decision").GetString());
        Assert.Empty(_ec2.RevokeCalls);
    }

    [Fact]
    public async Task An_event_that_is_not_json_fails_clearly()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => CreateFunction().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes("{oops"))));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_settings_name_every_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ResponderSettings.FromEnvironment(new Dictionary<string, string?> { ["DRY_RUN"] = "maybe", ["ALLOWED_INGRESS_PORTS"] = "http" }));

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
        Assert.Contains("DRY_RUN 'maybe'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ALLOWED_INGRESS_PORTS", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACCOUNT_ID", error.Message, StringComparison.Ordinal);
    }
}
