using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrailResponder.Cli;
using TrailResponder.Tests.Core.Delivery;
using static TrailResponder.Tests.Core.SecurityGroups.SecurityGroupRecords;

namespace TrailResponder.Tests.Cli;

public sealed class RespondCommandTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("respond-tests-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Json_output_is_exactly_the_documented_shape()
    {
        var (exitCode, output, _) = Run("respond", FixturePath("authorize-ingress-ssh-world.json"), "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            """{"decision": "revoke", "groupId": "sg-0a1b2c3d4e5f60718", "ruleIds": ["sgr-0f1e2d3c4b5a69788"], "reasons": ["tcp 22 open to 0.0.0.0/0; allowed ports are 80, 443"], "unknownWithoutAws": ["whether the rules are still as the event left them: the real run reads them again first and revokes only those that still violate the policy; a rule changed or removed since is reported as already fixed", "the group's tags, so exemption by tag (TrailResponder:Exempt=true) was not checked"]}""" + Environment.NewLine,
            output);
    }

    [Fact]
    public void Json_output_parses_and_names_only_the_violating_rule_of_an_eventbridge_event()
    {
        var (exitCode, output, _) = Run("respond", FixturePath("eventbridge-authorize-ingress.json"), "--format", "json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(["decision", "groupId", "ruleIds", "reasons", "unknownWithoutAws"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sg-0a1b2c3d4e5f60789", root.GetProperty("groupId").GetString());
        Assert.Equal(["sgr-00000000000000001"], root.GetProperty("ruleIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Text_output_tells_who_what_and_that_tags_were_not_checked()
    {
        var (exitCode, output, error) = Run("respond", FixturePath("authorize-ingress-ssh-world.json"));

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains("Decision: revoke (dry run: nothing was changed)", output, StringComparison.Ordinal);
        Assert.Contains("Group: sg-0a1b2c3d4e5f60718", output, StringComparison.Ordinal);
        Assert.Contains("arn:aws:sts::111122223333:assumed-role/DeveloperRole/dev-session", output, StringComparison.Ordinal);
        Assert.Contains("ASIAEXAMPLEKEY000001", output, StringComparison.Ordinal);
        Assert.Contains("203.0.113.45", output, StringComparison.Ordinal);
        Assert.Contains("2024-05-06T09:02:37Z", output, StringComparison.Ordinal);
        Assert.Contains("  - tcp 22 open to 0.0.0.0/0; allowed ports are 80, 443", output, StringComparison.Ordinal);
        Assert.Contains("Would revoke rules: sgr-0f1e2d3c4b5a69788", output, StringComparison.Ordinal);
        Assert.Contains("exemption by tag (TrailResponder:Exempt=true) was not checked", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_lists_permissions_to_match_when_the_record_has_no_rule_ids()
    {
        var (_, output, _) = Run("respond", FixturePath("authorize-ingress-without-rule-ids.json"));

        Assert.Contains("Would revoke by matching (rule id unknown): ingress tcp 3389 from 0.0.0.0/0", output, StringComparison.Ordinal);
        Assert.Contains("Would revoke by matching (rule id unknown): ingress tcp 3389 from ::/0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("192.168.0.0/16", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_file_is_applied()
    {
        var (exitCode, output, _) = Run("respond", FixturePath("authorize-ingress-ssh-world.json"), "--policy", FixturePath("policy-pipeline.json"), "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Contains("\"reasons\": [\"tcp 22 open to 0.0.0.0/0; port 22 is forbidden\"]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_that_exempts_the_caller_gives_exempt_with_exit_code_zero()
    {
        var policy = Write("policy.json", """{ "exemptPrincipals": ["arn:aws:iam::111122223333:role/Developer*"] }""");

        var (exitCode, output, _) = Run("respond", FixturePath("authorize-ingress-ssh-world.json"), "--policy", policy, "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("{\"decision\": \"exempt\", \"groupId\": \"sg-0a1b2c3d4e5f60718\", \"ruleIds\": [],", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("authorize-ingress-failed.json", "ignore")]
    [InlineData("revoke-ingress-by-responder.json", "ignore")]
    [InlineData("authorize-egress-all-traffic.json", "allow")]
    [InlineData("modify-rules-object.json", "undetermined")]
    [InlineData("authorize-ingress-legacy-flat.json", "revoke")]
    public void Every_decision_exits_with_zero(string fixture, string decision)
    {
        var (exitCode, output, _) = Run("respond", FixturePath(fixture), "--format", "json");

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(decision, document.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public void A_modified_rule_whose_direction_needs_AWS_is_undetermined_and_the_dry_run_says_so_plainly()
    {
        var (exitCode, json, _) = Run("respond", FixturePath("modify-rules-object.json"), "--format", "json");
        var (_, text, _) = Run("respond", FixturePath("modify-rules-object.json"));

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("undetermined", root.GetProperty("decision").GetString());
        Assert.Contains(
            "whether sgr-0f1e2d3c4b5a69788 is an ingress or an egress rule, and what it is now: the real run describes it and revokes it only if it violates the policy then",
            root.GetProperty("unknownWithoutAws").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("Decision: undetermined (dry run: nothing was changed)", text, StringComparison.Ordinal);
        Assert.Contains("Without AWS this dry run cannot know (--apply looks it up):", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revoke_in_a_dry_run_says_the_real_run_acts_only_on_rules_that_still_violate()
    {
        var (_, text, _) = Run("respond", FixturePath("authorize-ingress-ssh-world.json"));

        Assert.Contains("  - whether the rules are still as the event left them: the real run reads them again first and revokes only those that still violate the policy", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("authorize-ingress-failed.json")]
    [InlineData("authorize-egress-all-traffic.json")]
    public void A_decision_that_AWS_cannot_change_claims_no_unknowns(string fixture)
    {
        var (_, json, _) = Run("respond", FixturePath(fixture), "--format", "json");

        using var document = JsonDocument.Parse(json);
        Assert.Empty(document.RootElement.GetProperty("unknownWithoutAws").EnumerateArray());
    }

    [Fact]
    public void A_missing_event_file_exits_3_naming_the_file()
    {
        var missing = Path.Combine(_scratch, "nope.json");

        var (exitCode, output, error) = Run("respond", missing);

        Assert.Equal(3, exitCode);
        Assert.Empty(output);
        Assert.Contains($"cannot read event file '{missing}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_given_as_the_event_file_exits_3()
    {
        var (exitCode, _, error) = Run("respond", _scratch);

        Assert.Equal(3, exitCode);
        Assert.Contains($"cannot read event file '{_scratch}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_exits_3_naming_the_file_and_the_position()
    {
        var file = Write("broken.json", "{\n  \"eventName\": \"AuthorizeSecurityGroupIngress\",\n  \"eventSource\": ec2\n}");

        var (exitCode, _, error) = Run("respond", file);

        Assert.Equal(3, exitCode);
        Assert.Contains($"event file '{file}' is not valid JSON at line 3, position 18", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_with_a_malformed_field_exits_3_naming_the_field()
    {
        var file = Write("odd.json", """
            { "eventSource": "ec2.amazonaws.com", "eventName": "AuthorizeSecurityGroupIngress",
              "requestParameters": { "groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": { "items": [ { "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": { "items": [ { "cidrIp": "0.0.0.0/40" } ] } } ] } } }
            """);

        var (exitCode, _, error) = Run("respond", file);

        Assert.Equal(3, exitCode);
        Assert.Contains("requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_output_of_a_hostile_record_forges_no_line_and_shows_its_values_escaped()
    {
        var (exitCode, output, error) = Run("respond", HostileEvent("AuthorizeSecurityGroupIngress"));

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        HostileValues.AssertHarmless(output);
        HostileValues.AssertShownEscaped(
            output,
            "Decision: revoke",
            "Group: sg-0a1b2c3d4e5f60718\\u202E",
            $"Caller: arn:aws:sts::111122223333:assumed-role/DeveloperRole/{HostileValues.UserNameShown}",
            @"e-1\r\nBcc: w@example.com at 2024-05-06T09:02:37Z",
            @"user agent aws-cli\u001B[2J\u001B]0;title\u0007",
            @"Would revoke rules: sgr-0f1e2d3c4b5a69788\u200B");

        var (_, ignored, _) = Run("respond", HostileEvent(HostileValues.EventName));

        HostileValues.AssertHarmless(ignored);
        Assert.Contains($"Event: {HostileValues.EventNameShown} e-1", ignored, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_of_a_hostile_record_has_hidden_characters_as_escapes_and_the_exact_values()
    {
        var (exitCode, output, _) = Run("respond", HostileEvent("AuthorizeSecurityGroupIngress"), "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Contains(@"""groupId"": ""sg-0a1b2c3d4e5f60718\u202E""", output, StringComparison.Ordinal);
        HostileValues.AssertHarmless(output);
        using var document = JsonDocument.Parse(output);
        Assert.Equal("sg-0a1b2c3d4e5f60718\u202E", document.RootElement.GetProperty("groupId").GetString());
        Assert.Equal(["sgr-0f1e2d3c4b5a69788\u200B"], document.RootElement.GetProperty("ruleIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_record_region_that_is_not_a_region_name_exits_3_with_the_value_shown_escaped_on_one_line()
    {
        var (exitCode, output, error) = Run("respond", HostileEvent("AuthorizeSecurityGroupIngress", HostileValues.Region));

        Assert.Equal(3, exitCode);
        Assert.Empty(output);
        Assert.EndsWith($"awsRegion: '{HostileValues.RegionShown}' is not an AWS region name" + Environment.NewLine, error, StringComparison.Ordinal);
        HostileValues.AssertHarmless(error);
    }

    [Theory]
    [InlineData("respond")]
    [InlineData("respond", "event.json", "--format", "xml")]
    [InlineData("respond", "event.json", "--verbose")]
    [InlineData("respond", "event.json", "--policy")]
    [InlineData("respond", "a.json", "b.json")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var (exitCode, output, error) = Run(args);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("Run 'trailresponder respond --help' for usage.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_policy_exits_2_naming_the_key_and_the_value()
    {
        var policy = Write("policy.json", """{ "allowedIngressPorts": [80, "https"] }""");

        var (exitCode, _, error) = Run("respond", FixturePath("authorize-ingress-ssh-world.json"), "--policy", policy);

        Assert.Equal(2, exitCode);
        Assert.Contains("allowedIngressPorts: 'https' is not a port or port range", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_policy_file_exits_2_naming_it()
    {
        var policy = Path.Combine(_scratch, "absent-policy.json");

        var (exitCode, _, error) = Run("respond", FixturePath("authorize-ingress-ssh-world.json"), "--policy", policy);

        Assert.Equal(2, exitCode);
        Assert.Contains($"cannot read policy file '{policy}'", error, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    // The SSH-to-the-world fixture with hostile values in every field a person reads.
    private string HostileEvent(string eventName, string region = "eu-west-1")
    {
        var record = JsonNode.Parse(File.ReadAllText(FixturePath("authorize-ingress-ssh-world.json")))!;
        record["eventName"] = eventName;
        record["awsRegion"] = region;
        record["eventID"] = "e-1\r\nBcc: w@example.com";
        record["userAgent"] = "aws-cli\u001b[2J\u001b]0;title\u0007";
        record["userIdentity"]!["arn"] = "arn:aws:sts::111122223333:assumed-role/DeveloperRole/" + HostileValues.UserName;
        record["requestParameters"]!["groupId"] = "sg-0a1b2c3d4e5f60718\u202E";
        var rule = record["responseElements"]!["securityGroupRuleSet"]!["items"]![0]!;
        rule["groupId"] = "sg-0a1b2c3d4e5f60718\u202E";
        rule["securityGroupRuleId"] = "sgr-0f1e2d3c4b5a69788\u200B";
        return Write($"hostile-{Guid.NewGuid():N}.json", record.ToJsonString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, content);
        return path;
    }
}
