using System.Text.Json;
using TrailResponder.Cli;
using TrailResponder.Tests.Core.Rules;

namespace TrailResponder.Tests.Cli;

public sealed class RulesCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tr-rules-" + Guid.NewGuid().ToString("N"));

    public RulesCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Fixture(string name) => Path.Combine(RuleLoaderTests.FixtureRules, "aws", name);

    [Fact]
    public void List_shows_each_rule_in_force_with_its_source_kind_severity_title_and_fields()
    {
        var (exitCode, output, error) = Run("rules", "list", "--rules", RuleLoaderTests.FixtureRules);

        Assert.Equal(0, exitCode);
        Assert.Contains("rules: ", error, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^CIS-4\.1 +filter-pattern +LOW +Unauthorized API call  \[built-in\]  errorCode, sourceIPAddress, eventName$", lines[1]);
        var admin = Assert.Single(lines, l => l.StartsWith("0b3f6c1e-7a2d-4c55-9e61-3f1a2b4c5d02", StringComparison.Ordinal));
        Assert.Matches(@"sigma +HIGH +Administrator policy attached to a principal  \[.*iam_admin_policy_attached\.yml:2\]  eventSource, eventName, requestParameters\.policyArn, errorCode$", admin);
        Assert.DoesNotContain(lines, l => l.StartsWith("CIS-4.15", StringComparison.Ordinal));
    }

    [Fact]
    public void List_as_json_gives_one_object_per_rule()
    {
        var (exitCode, output, _) = Run("rules", "list", "--format", "json", "--rules", Fixture("console_login_outside_office.yml"));

        Assert.Equal(0, exitCode);
        var rule = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).Last();
        Assert.Equal("console_login_outside_office", rule.GetProperty("id").GetString());
        Assert.Equal("sigma", rule.GetProperty("kind").GetString());
        Assert.Equal("HIGH", rule.GetProperty("severity").GetString());
        Assert.Equal(["eventName", "additionalEventData.MFAUsed", "responseElements.ConsoleLogin", "sourceIPAddress"], rule.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Test_says_which_identifiers_held_and_what_decided_and_exits_1_when_nothing_matched()
    {
        var record = Write("record.json", """{"eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","eventID":"e1","userIdentity":{"arn":"arn:aws:iam::111122223333:role/trail-deployer"}}""");

        var (exitCode, output, _) = Run("rules", "test", "--rules", Fixture("cloudtrail_logging_stopped.yml"), "--event", record);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            """
            record 1: cloudtrail.amazonaws.com StopLogging (eventID e1)
              no match  0b3f6c1e-7a2d-4c55-9e61-3f1a2b4c5d01  CloudTrail logging stopped by someone other than the automation role  [sigma]
                  condition: selection and not filter_automation
                  selection: held (all 2 held)
                  filter_automation: held (userIdentity.arn|endswith: ':role/trail-deployer')

            """.ReplaceLineEndings("\n"),
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Test_reads_every_record_of_a_log_file_and_reports_a_match()
    {
        var records = Write("file.json", """{"Records":[{"eventName":"DescribeInstances"},{"eventSource":"cloudtrail.amazonaws.com","eventName":"DeleteTrail","userIdentity":{"arn":"arn:aws:iam::1:user/eve"}}]}""");

        var (exitCode, output, _) = Run("rules", "test", "--rules", Fixture("cloudtrail_logging_stopped.yml"), "--event", records);

        Assert.Equal(0, exitCode);
        Assert.Contains("record 1: ? DescribeInstances (eventID none)\n  no match  0b3f6c1e", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("record 2: cloudtrail.amazonaws.com DeleteTrail (eventID none)\n  MATCH     0b3f6c1e", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("selection: held (all 2 held)", output, StringComparison.Ordinal);
        Assert.Contains("filter_automation: did not hold", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_without_rules_tests_the_built_ins_and_shows_their_patterns()
    {
        var record = Write("root.json", """{"eventName":"ListBuckets","userIdentity":{"type":"Root"},"eventType":"AwsApiCall"}""");

        var (exitCode, output, _) = Run("rules", "test", "--event", record);

        Assert.Equal(0, exitCode);
        Assert.Contains("  MATCH     CIS-4.3  Root user activity  [filter-pattern]\n      pattern: { $.userIdentity.type = \"Root\"", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]", "not a CloudTrail record")]
    [InlineData("{\"a\":", "error: ")]
    public void Test_refuses_an_event_file_that_is_not_a_record(string content, string message)
    {
        var (exitCode, _, error) = Run("rules", "test", "--event", Write("bad.json", content));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_lists_skipped_rules_with_reasons_and_exits_0()
    {
        var (exitCode, output, _) = Run("rules", "validate", "--rules", RuleLoaderTests.FixtureRules);

        Assert.Equal(0, exitCode);
        Assert.Contains("deprecated_rule.yml:2: 'Old root usage rule': deprecated: status deprecated", output, StringComparison.Ordinal);
        Assert.Contains("windows_process.yml:2: 'Encoded PowerShell': other log source: logsource product=windows category=process_creation", output, StringComparison.Ordinal);
        Assert.Contains("valid: 31 rules in force (25 built-in, 6 from --rules)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_strict_fails_on_a_correlation_rule_and_a_broken_rule_fails_with_file_and_line()
    {
        var broken = Write("broken.yml", "title: Broken\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName: x\n  condition: s | count() > 3\n");

        var strict = Run("rules", "validate", "--strict", "--rules", RuleLoaderTests.FixtureRules);
        var bad = Run("rules", "validate", "--rules", broken);

        Assert.Equal(2, strict.ExitCode);
        Assert.Contains("many_failed_logins.yml:2: rule 'Many failed console sign-ins from one address': correlation rules are not supported yet (they come with stateful detection) (--strict)", strict.Error, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains($"error: {broken}:8: rule 'Broken': condition 's | count() > 3': '| count() > 3' is a Sigma v1 aggregation", bad.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("valid:", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholders_supply_values_for_expand()
    {
        var rule = Write("admins.yml", "title: Admin acts\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    userIdentity.userName|expand: '%admins%'\n  condition: s\n");
        var record = Write("r.json", """{"userIdentity":{"userName":"bob"}}""");

        var missing = Run("rules", "test", "--rules", rule, "--event", record);
        var given = Run("rules", "test", "--rules", rule, "--event", record, "--placeholder", "admins=alice", "--placeholder", "admins=bob");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("the placeholder %admins% has no value (give it with --placeholder admins=VALUE)", missing.Error, StringComparison.Ordinal);
        Assert.Equal(0, given.ExitCode);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("test")]
    [InlineData("validate")]
    public void Each_rules_command_names_its_rule_options_in_one_line_each(string command)
    {
        var (exitCode, output, _) = Run("rules", command, "--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--rules", "--strict", "--placeholder" })
        {
            var line = Assert.Single(output.Split('\n'), l => l.TrimStart().StartsWith(option, StringComparison.Ordinal));
            Assert.True(line.Trim().Length <= 140, line);
        }
    }
}
