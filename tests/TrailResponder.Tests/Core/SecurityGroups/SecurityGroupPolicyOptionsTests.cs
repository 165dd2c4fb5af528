using System.Text;
using TrailResponder.Core.SecurityGroups;
using static TrailResponder.Tests.Core.SecurityGroups.SecurityGroupRecords;

namespace TrailResponder.Tests.Core.SecurityGroups;

public class SecurityGroupPolicyOptionsTests
{
    [Fact]
    public void Defaults_follow_security_hub_ec2_18()
    {
        var options = SecurityGroupPolicyOptions.Default;

        Assert.Equal([new PortRange(80, 80), new PortRange(443, 443)], options.AllowedIngressPorts);
        Assert.Empty(options.AllowedIngressUdpPorts);
        Assert.Empty(options.ForbiddenPorts);
        Assert.False(options.CheckEgress);
        Assert.True(options.AllowWorldIcmp);
        Assert.Equal(new SecurityGroupTagCondition("TrailResponder:Exempt", "true"), options.ExemptTag);
        Assert.Empty(options.ExemptPrincipals);
        Assert.Null(options.ResponderRoleArn);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void A_json_policy_file_with_comments_sets_every_key()
    {
        using var file = File.OpenRead(FixturePath("policy-pipeline.json"));

        var options = SecurityGroupPolicyOptions.FromJson(file);

        Assert.Equal([new PortRange(80, 80), new PortRange(443, 443), new PortRange(8000, 8080)], options.AllowedIngressPorts);
        Assert.Equal([new PortRange(22, 22), new PortRange(3389, 3389)], options.ForbiddenPorts);
        Assert.True(options.CheckEgress);
        Assert.Equal(["sg-0fedcba9876543210"], options.ExemptGroupIds);
        Assert.Equal(new SecurityGroupTagCondition("Security:AllowPublic", "yes"), options.ExemptTag);
        Assert.Equal(["arn:aws:iam::111122223333:role/pipeline-*"], options.ExemptPrincipals);
        Assert.Equal("arn:aws:iam::111122223333:role/TrailResponder", options.ResponderRoleArn);
    }

    [Fact]
    public void Environment_variables_set_every_key()
    {
        var options = SecurityGroupPolicyOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ALLOWED_INGRESS_PORTS"] = "443, 8443",
            ["ALLOWED_INGRESS_UDP_PORTS"] = "443",
            ["FORBIDDEN_PORTS"] = "22,3389,5900-5910",
            ["CHECK_EGRESS"] = "TRUE",
            ["ALLOW_WORLD_ICMP"] = "false",
            ["EXEMPT_GROUP_IDS"] = "sg-0a1b2c3d4e5f60718,sg-0fedcba9876543210",
            ["EXEMPT_TAG"] = "Public",
            ["EXEMPT_PRINCIPALS"] = "arn:aws:iam::*:role/pipeline",
            ["RESPONDER_ROLE_ARN"] = "arn:aws:iam::111122223333:role/TrailResponder",
            ["PATH"] = "/usr/bin",
        });

        Assert.Equal([new PortRange(443, 443), new PortRange(8443, 8443)], options.AllowedIngressPorts);
        Assert.Equal([new PortRange(443, 443)], options.AllowedIngressUdpPorts);
        Assert.Equal([new PortRange(22, 22), new PortRange(3389, 3389), new PortRange(5900, 5910)], options.ForbiddenPorts);
        Assert.True(options.CheckEgress);
        Assert.False(options.AllowWorldIcmp);
        Assert.Equal(2, options.ExemptGroupIds.Count);
        Assert.Equal(new SecurityGroupTagCondition("Public", null), options.ExemptTag);
        Assert.Equal(["arn:aws:iam::*:role/pipeline"], options.ExemptPrincipals);
        Assert.Equal("arn:aws:iam::111122223333:role/TrailResponder", options.ResponderRoleArn);
    }

    [Fact]
    public void Empty_environment_variables_keep_the_defaults()
    {
        var options = SecurityGroupPolicyOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ALLOWED_INGRESS_PORTS"] = "",
            ["EXEMPT_TAG"] = "  ",
            ["RESPONDER_ROLE_ARN"] = null,
        });

        Assert.Equal(SecurityGroupPolicyOptions.Default.AllowedIngressPorts, options.AllowedIngressPorts);
        Assert.Equal(SecurityGroupPolicyOptions.Default.ExemptTag, options.ExemptTag);
    }

    [Fact]
    public void None_empties_a_list_and_disables_the_exempt_tag()
    {
        var options = SecurityGroupPolicyOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ALLOWED_INGRESS_PORTS"] = "none",
            ["EXEMPT_TAG"] = "none",
        });

        Assert.Empty(options.AllowedIngressPorts);
        Assert.Null(options.ExemptTag);
    }

    [Theory]
    [InlineData("ALLOWED_INGRESS_PORTS", "80,44x", "ALLOWED_INGRESS_PORTS: '44x' is not a port or port range")]
    [InlineData("ALLOWED_INGRESS_PORTS", "70000", "ALLOWED_INGRESS_PORTS: '70000' is not a port or port range")]
    [InlineData("FORBIDDEN_PORTS", "90-80", "FORBIDDEN_PORTS: '90-80' is not a port or port range")]
    [InlineData("ALLOWED_INGRESS_UDP_PORTS", "-5", "ALLOWED_INGRESS_UDP_PORTS: '-5' is not a port or port range")]
    [InlineData("CHECK_EGRESS", "yes", "CHECK_EGRESS: 'yes' is not true or false")]
    [InlineData("ALLOW_WORLD_ICMP", "1", "ALLOW_WORLD_ICMP: '1' is not true or false")]
    [InlineData("EXEMPT_GROUP_IDS", "sg-0a1b,web-tier", "EXEMPT_GROUP_IDS: 'web-tier' is not a security group id")]
    [InlineData("EXEMPT_GROUP_IDS", "sg-0A1B", "EXEMPT_GROUP_IDS: 'sg-0A1B' is not a security group id")]
    [InlineData("EXEMPT_TAG", "=true", "EXEMPT_TAG: '=true' is not Key=Value or Key")]
    [InlineData("EXEMPT_PRINCIPALS", "*", "EXEMPT_PRINCIPALS: '*' is not an ARN pattern")]
    [InlineData("EXEMPT_PRINCIPALS", "arn:*", "EXEMPT_PRINCIPALS: 'arn:*' would exempt every principal")]
    [InlineData("RESPONDER_ROLE_ARN", "TrailResponder", "RESPONDER_ROLE_ARN: 'TrailResponder' is not an IAM role ARN")]
    [InlineData("RESPONDER_ROLE_ARN", "arn:aws:iam::111122223333:role/a,arn:aws:iam::111122223333:role/b", "RESPONDER_ROLE_ARN: 'arn:aws:iam::111122223333:role/a,arn:aws:iam::111122223333:role/b' must be a single value")]
    public void A_bad_environment_value_is_refused_naming_the_variable_and_the_value(string variable, string value, string problem)
    {
        var error = Assert.Throws<SecurityGroupPolicyException>(() =>
            SecurityGroupPolicyOptions.FromEnvironment(new Dictionary<string, string?> { [variable] = value }));

        Assert.StartsWith(problem, Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var error = Assert.Throws<SecurityGroupPolicyException>(() => SecurityGroupPolicyOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ALLOWED_INGRESS_PORTS"] = "http",
            ["CHECK_EGRESS"] = "maybe",
        }));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("ALLOWED_INGRESS_PORTS: 'http'", error.Message, StringComparison.Ordinal);
        Assert.Contains("CHECK_EGRESS: 'maybe'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_json_key_is_refused_with_the_known_ones_listed()
    {
        var error = Assert.Throws<SecurityGroupPolicyException>(() => FromJson("""{ "allowedPorts": [22] }"""));

        Assert.StartsWith("unknown key 'allowedPorts' (known: allowedIngressPorts,", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "allowedIngressPorts": [80, "x"] }""", "allowedIngressPorts: 'x' is not a port or port range")]
    [InlineData("""{ "allowedIngressPorts": [80, true] }""", "allowedIngressPorts: list items must be strings or numbers")]
    [InlineData("""{ "checkEgress": "sometimes" }""", "checkEgress: 'sometimes' is not true or false")]
    [InlineData("""{ "exemptTag": { "key": "a" } }""", "exemptTag: expected a string, number, boolean or list")]
    [InlineData("""{ "exemptGroupIds": ["sg-zz"] }""", "exemptGroupIds: 'sg-zz' is not a security group id")]
    public void A_bad_json_value_is_refused_naming_the_key_and_the_value(string json, string problem)
    {
        var error = Assert.Throws<SecurityGroupPolicyException>(() => FromJson(json));

        Assert.StartsWith(problem, Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_syntax_error_gives_its_line_and_position()
    {
        var error = Assert.Throws<SecurityGroupPolicyException>(() => FromJson("{\n  \"checkEgress\": tru\n}"));

        Assert.StartsWith("not valid JSON at line 2,", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_null_keeps_the_default()
    {
        Assert.Equal(SecurityGroupPolicyOptions.Default.AllowedIngressPorts, FromJson("""{ "allowedIngressPorts": null }""").AllowedIngressPorts);
    }

    [Theory]
    [InlineData("443", 443, 443)]
    [InlineData(" 8000 - 8080 ", 8000, 8080)]
    [InlineData("0-65535", 0, 65535)]
    public void Port_ranges_read_single_ports_and_spans(string text, int from, int to)
    {
        Assert.True(PortRange.TryParse(text, out var range));
        Assert.Equal(new PortRange(from, to), range);
    }

    private static SecurityGroupPolicyOptions FromJson(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return SecurityGroupPolicyOptions.FromJson(stream);
    }
}
