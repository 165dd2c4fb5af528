using System.Text.Json;
using TrailResponder.Cli;

namespace TrailResponder.Tests.Integration;

public class RespondApplyEndToEndTests : LocalAwsTest
{
    private const string Group = "sg-0a1b2c3d4e5f60718";

    private string EventFile(out string world, out string office)
    {
        Endpoint.Ec2.AddSecurityGroup(Group, "web");
        world = Endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0").RuleId;
        office = Endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 5432, 5432, cidrIpv4: "10.20.0.0/16").RuleId;
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "securitygroup-ssh-opened-to-world.json"))
            .Replace("sgr-0f1e2d3c4b5a69788", world, StringComparison.Ordinal)
            .Replace("sgr-0a9b8c7d6e5f40312", office, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"tr-respond-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(args, output, error, new CliEnvironment(Environment(), Credentials));
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void Apply_revokes_the_violating_rule_through_EC2_and_says_what_it_did()
    {
        var path = EventFile(out var world, out var office);

        var (exitCode, output, _) = Run("respond", path, "--apply", "--format", "json");

        Assert.Equal(0, exitCode);
        var answer = JsonDocument.Parse(output).RootElement;
        Assert.Equal("revoke", answer.GetProperty("decision").GetString());
        Assert.Equal([world], answer.GetProperty("ruleIds").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([office], Endpoint.Ec2.Rules(Group).Select(r => r.RuleId));
        Assert.Empty(Endpoint.Sns.Messages(Topic));
        File.Delete(path);
    }

    [Fact]
    public void Apply_after_the_rule_was_fixed_in_place_revokes_nothing_and_says_it_was_already_fixed()
    {
        var path = EventFile(out var world, out _);
        Endpoint.Ec2.ModifyRule(world, "tcp", 22, 22, cidrIpv4: "10.3.0.0/16");

        var (exitCode, output, _) = Run("respond", path, "--apply", "--format", "json");

        Assert.Equal(0, exitCode);
        var answer = JsonDocument.Parse(output).RootElement;
        Assert.Empty(answer.GetProperty("ruleIds").EnumerateArray());
        Assert.Equal([$"{world} (now tcp 22 from 10.3.0.0/16)"], answer.GetProperty("alreadyFixed").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(2, Endpoint.Ec2.Rules(Group).Count);
        File.Delete(path);
    }

    [Fact]
    public void Without_apply_nothing_in_AWS_is_read_or_changed()
    {
        var path = EventFile(out _, out _);

        var (exitCode, output, _) = Run("respond", path);

        Assert.Equal(0, exitCode);
        Assert.Contains("dry run: nothing was changed", output, StringComparison.Ordinal);
        Assert.Equal(2, Endpoint.Ec2.Rules(Group).Count);
        Assert.Empty(Endpoint.Requests.All);
        File.Delete(path);
    }

    [Fact]
    public void Apply_without_a_region_says_how_to_give_one()
    {
        var path = EventFile(out _, out _);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = Environment();
        environment.Remove("AWS_REGION");

        var exitCode = CliApp.Run(["respond", path, "--apply"], output, error, new CliEnvironment(environment, Credentials));

        Assert.Equal(2, exitCode);
        Assert.Contains("pass --aws-region REGION", error.ToString(), StringComparison.Ordinal);
        File.Delete(path);
    }
}
