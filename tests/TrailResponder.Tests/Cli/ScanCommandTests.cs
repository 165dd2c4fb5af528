using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TrailResponder.Cli;
using TrailResponder.SampleTrail;
using TrailResponder.Tests.Core.Delivery;

namespace TrailResponder.Tests.Cli;

/// <summary>A small generated trail shared by the scan tests (generated once, deleted after).</summary>
public sealed class GeneratedTrail : IDisposable
{
    public GeneratedTrail()
    {
        Root = Path.Combine(Path.GetTempPath(), "tr-scan-" + Guid.NewGuid().ToString("N"));
        Manifest = SampleTrailGenerator.Generate(Root, new SampleTrailOptions { FilesPerRegionPerHour = 2, RecordsPerFile = 20 });
    }

    public string Root { get; }

    public SampleTrailManifest Manifest { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public class ScanCommandTests(GeneratedTrail trail) : IClassFixture<GeneratedTrail>
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static List<JsonElement> JsonLines(string output) => output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement.Clone())
        .ToList();

    private string Scratch()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tr-scan-scratch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void Every_planted_violation_is_found_and_no_benign_event_is()
    {
        var (exitCode, output, _) = Run("scan", trail.Root, "--format", "json");

        Assert.Equal(0, exitCode);
        var found = JsonLines(output).Select(f => (Rule: f.GetProperty("ruleId").GetString()!, Event: f.GetProperty("eventId").GetString()!)).ToHashSet();
        var expected = trail.Manifest.PlantedEvents
            .SelectMany(p => p.Event.ExpectedRuleIds.Select(r => (Rule: r, Event: p.Event.EventId)))
            .ToHashSet();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, found.Where(f => f.Rule.StartsWith("CIS-", StringComparison.Ordinal)).ToHashSet());
        var planted = trail.Manifest.PlantedEvents.Select(p => p.Event.EventId).ToHashSet();
        Assert.All(found, f => Assert.Contains(f.Event, planted));
        Assert.Contains(found, f => f.Rule == "TR-IAM-ADMIN-POLICY-ATTACHED");
        Assert.Contains(found, f => f.Rule == "TR-S3-PUBLIC-POLICY");
    }

    [Fact]
    public void Json_findings_carry_the_documented_fields_and_the_log_file()
    {
        var (_, output, _) = Run("scan", trail.Root, "--format", "json");

        var finding = JsonLines(output).First(f => f.GetProperty("ruleId").GetString() == "CIS-4.3");
        foreach (var field in new[] { "ruleId", "severity", "title", "findingId", "eventId", "eventTime", "eventName", "eventSource", "awsRegion", "accountId", "principalArn", "sourceIpAddress", "logFile" })
        {
            Assert.True(finding.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal("HIGH", finding.GetProperty("severity").GetString());
        Assert.Equal($"CIS-4.3/{finding.GetProperty("eventId").GetString()}", finding.GetProperty("findingId").GetString());
        Assert.True(File.Exists(finding.GetProperty("logFile").GetString()));
    }

    [Fact]
    public void Scanning_twice_gives_identical_output()
    {
        Assert.Equal(Run("scan", trail.Root, "--format", "json").Output, Run("scan", trail.Root, "--format", "json").Output);
    }

    [Fact]
    public void Text_output_groups_by_rule_with_the_most_severe_first()
    {
        var (_, output, error) = Run("scan", trail.Root);

        var headers = output.Split('\n').Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).ToList();
        var severities = headers.Select(h => h.Split(' ')[0]).ToList();
        var order = new[] { "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL" };
        Assert.Equal(severities.OrderBy(s => Array.IndexOf(order, s)), severities);
        Assert.Contains(headers, h => h.Contains("CIS-4.3  Root user activity", StringComparison.Ordinal));
        Assert.Contains($"scanned {trail.Manifest.Files.Count} log files", error, StringComparison.Ordinal);
        Assert.Contains($"{trail.Manifest.TotalRecords:N0} records", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Min_severity_keeps_only_findings_at_or_above_it()
    {
        var (exitCode, output, _) = Run("scan", trail.Root, "--format", "json", "--min-severity", "high");

        Assert.Equal(0, exitCode);
        var severities = JsonLines(output).Select(f => f.GetProperty("severity").GetString()).ToHashSet();
        Assert.NotEmpty(severities);
        Assert.Subset(new HashSet<string?> { "HIGH", "CRITICAL" }, severities);
    }

    [Fact]
    public void Non_log_objects_are_skipped_and_counted()
    {
        var folder = Scratch();
        var logs = Path.Combine(folder, "AWSLogs", "111122223333");
        var log = trail.Manifest.Files[0].RelativePath;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, log))!);
        File.Copy(Path.Combine(trail.Root, log), Path.Combine(folder, log));
        Directory.CreateDirectory(Path.Combine(logs, "CloudTrail-Digest", "us-east-1", "2026", "03", "02"));
        File.WriteAllText(Path.Combine(logs, "CloudTrail-Digest", "us-east-1", "2026", "03", "02", "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20260302T010203Z.json.gz"), "x");
        Directory.CreateDirectory(Path.Combine(logs, "Config"));
        File.WriteAllText(Path.Combine(logs, "Config", "ConfigWritabilityCheckFile"), "x");

        var (exitCode, _, error) = Run("scan", folder);

        Assert.Equal(0, exitCode);
        Assert.Contains("scanned 1 log files", error, StringComparison.Ordinal);
        Assert.Contains("2 skipped (1 digest, 1 other)", error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_corrupt_file_is_reported_with_exit_3_and_the_rest_is_still_scanned()
    {
        var folder = Scratch();
        foreach (var file in trail.Manifest.Files.Take(3))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file.RelativePath))!);
            File.Copy(Path.Combine(trail.Root, file.RelativePath), Path.Combine(folder, file.RelativePath));
        }

        var broken = Path.Combine(folder, trail.Manifest.Files[1].RelativePath);
        var bytes = File.ReadAllBytes(broken);
        File.WriteAllBytes(broken, bytes[..(bytes.Length / 2)]);

        var (exitCode, _, error) = Run("scan", folder, Path.Combine(folder, "missing.json.gz"));

        Assert.Equal(3, exitCode);
        Assert.Contains($"error: {broken}: the gzip data ends before it is complete", error, StringComparison.Ordinal);
        Assert.Contains("missing.json.gz: no such file or folder", error, StringComparison.Ordinal);
        Assert.Contains("scanned 3 log files", error, StringComparison.Ordinal);
        Assert.Contains("2 errors", error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_file_of_millions_of_elements_that_are_not_records_prints_ten_faults_and_a_count_of_the_rest()
    {
        var folder = Scratch();
        var bomb = Path.Combine(folder, "bomb.json.gz");
        File.WriteAllBytes(bomb, TrailResponder.Tests.Core.Logs.LogFileBytes.GzipRepeated("{\"Records\":[", "1,", 2_000_000, "1]}"));

        var (exitCode, _, error) = Run("scan", bomb);

        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, exitCode);
        Assert.Equal(10, lines.Count(l => l.StartsWith($"error: {bomb}: record ", StringComparison.Ordinal) && l.Contains("is a number, not an object", StringComparison.Ordinal)));
        Assert.Contains($"error: {bomb}: 1,999,991 more records were skipped (only the first 10 faults of a file are listed)", lines);
        Assert.Contains("2000001 errors", error, StringComparison.Ordinal);
        Assert.True(lines.Length < 20, $"{lines.Length} lines on stderr");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_named_pipe_in_a_scanned_folder_is_skipped_and_counted_instead_of_hanging_the_scan()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Only Linux's statx tells a pipe from a file; see UnixFileType.
        }

        var folder = Scratch();
        var log = trail.Manifest.Files[0].RelativePath;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, log))!);
        File.Copy(Path.Combine(trail.Root, log), Path.Combine(folder, log));
        var pipe = Path.Combine(Path.GetDirectoryName(Path.Combine(folder, log))!, "111122223333_CloudTrail_us-east-1_20260302T0905Z_PipePipePipePipe.json.gz");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Bounded only so that a regression fails instead of hanging the test run.
        var (exitCode, _, error) = await Task.Run(() => Run("scan", folder)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, exitCode);
        Assert.Contains("scanned 1 log files", error, StringComparison.Ordinal);
        Assert.Contains("1 skipped (1 not a regular file)", error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_file_named_on_the_command_line_is_scanned_whatever_its_name()
    {
        var folder = Scratch();
        var copy = Path.Combine(folder, "evidence.json.gz");
        File.Copy(Path.Combine(trail.Root, trail.Manifest.PlantedEvents[0].RelativePath), copy);

        var (exitCode, output, error) = Run("scan", copy, "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Contains("scanned 1 log files", error, StringComparison.Ordinal);
        Assert.All(JsonLines(output), f => Assert.Equal(copy, f.GetProperty("logFile").GetString()));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_rules_file_adds_rules_and_disables_built_ins()
    {
        var folder = Scratch();
        var rules = Path.Combine(folder, "rules.yaml");
        File.WriteAllText(rules, """
            rules:
              - id: ACME-ANY-S3-READ
                title: Object read
                severity: LOW
                pattern: '{ $.eventName = GetObject }'
            disable: [CIS-4.3]
            """);

        var (exitCode, output, _) = Run("scan", trail.Root, "--format", "json", "--rules", rules);

        Assert.Equal(0, exitCode);
        var ruleIds = JsonLines(output).Select(f => f.GetProperty("ruleId").GetString()).ToHashSet();
        Assert.Contains("ACME-ANY-S3-READ", ruleIds);
        Assert.DoesNotContain("CIS-4.3", ruleIds);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_hostile_record_forges_no_line_in_the_text_report_and_keeps_its_exact_values_in_json()
    {
        var folder = Scratch();
        var file = Path.Combine(folder, "hostile.json.gz");
        var record = $$$"""{"eventVersion":"1.09","eventID":"e-hostile","eventTime":"2024-05-06T08:15:42Z","eventName":{{{HostileValues.Json(HostileValues.EventName)}}},"eventSource":"signin.amazonaws.com","awsRegion":{{{HostileValues.Json(HostileValues.Region)}}},"recipientAccountId":"111122223333","sourceIPAddress":"198.51.100.23","eventType":"AwsConsoleSignIn","userIdentity":{"type":"Root","userName":{{{HostileValues.Json(HostileValues.UserName)}}},"accountId":"111122223333"}}""";
        using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes($$"""{"Records":[{{record}}]}"""));
        }

        var (exitCode, text, _) = Run("scan", file);
        var (_, json, _) = Run("scan", file, "--format", "json");

        Assert.Equal(0, exitCode);
        HostileValues.AssertHarmless(text);
        HostileValues.AssertShownEscaped(text, $"  2024-05-06T08:15:42Z  {HostileValues.EventNameShown}  by {HostileValues.UserNameShown}  from 198.51.100.23  in {HostileValues.RegionShown} of 111122223333");
        HostileValues.AssertHarmless(json);
        var finding = JsonLines(json).Single(f => f.GetProperty("ruleId").GetString() == "CIS-4.3");
        Assert.Equal(HostileValues.Region, finding.GetProperty("awsRegion").GetString());
        Assert.Equal(HostileValues.UserName, finding.GetProperty("userName").GetString());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Sigma_rules_from_a_folder_run_beside_the_built_ins_and_the_load_is_reported_per_source()
    {
        var folder = Scratch();
        var extra = Path.Combine(folder, "root_describe.yml");
        File.WriteAllText(extra, "title: Root lists resources\nid: root-describe\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName|startswith: Describe\n    userIdentity.type: Root\n    userIdentity.invokedBy: null\n  condition: s\nlevel: critical\n");

        var (exitCode, output, error) = Run("scan", trail.Root, "--format", "json", "--rules", Core.Rules.RuleLoaderTests.FixtureRules, "--rules", extra);

        Assert.Equal(0, exitCode);
        Assert.Contains($"rules: {Core.Rules.RuleLoaderTests.FixtureRules}: 9 files: 6 Sigma rules loaded, 1 rule from rules files, 1 severity override, 2 rules disabled, 3 skipped (1 other log source, 1 deprecated, 1 correlation)", error, StringComparison.Ordinal);
        Assert.Contains($"rules: {extra}: 1 file: 1 Sigma rule loaded", error, StringComparison.Ordinal);
        var findings = JsonLines(output);
        string[] EventsOf(string rule) => findings.Where(f => f.GetProperty("ruleId").GetString() == rule).Select(f => f.GetProperty("eventId").GetString()!).ToArray();
        // The fixtures' public-policy and administrator rules catch what the built-ins of the same intent catch.
        Assert.NotEmpty(EventsOf("TR-S3-PUBLIC-POLICY"));
        Assert.Equal(EventsOf("TR-S3-PUBLIC-POLICY"), EventsOf("0b3f6c1e-7a2d-4c55-9e61-3f1a2b4c5d05"));
        Assert.NotEmpty(EventsOf("TR-IAM-ADMIN-POLICY-ATTACHED"));
        Assert.Equal(EventsOf("TR-IAM-ADMIN-POLICY-ATTACHED"), EventsOf("0b3f6c1e-7a2d-4c55-9e61-3f1a2b4c5d02"));
        var rootCalls = EventsOf("root-describe");
        Assert.NotEmpty(rootCalls);
        Assert.Subset(EventsOf("CIS-4.3").ToHashSet(), rootCalls.ToHashSet());
        Assert.Equal("CRITICAL", findings.First(f => f.GetProperty("ruleId").GetString() == "root-describe").GetProperty("severity").GetString());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_broken_sigma_rule_is_a_usage_error_naming_file_and_line_and_nothing_is_scanned()
    {
        var folder = Scratch();
        var rule = Path.Combine(folder, "broken.yml");
        File.WriteAllText(rule, "title: Broken\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName|containz: x\n  condition: s\n");

        var (exitCode, output, error) = Run("scan", trail.Root, "--rules", folder);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains($"error: {rule}:7: rule 'Broken': s: 'eventName|containz': unknown modifier 'containz'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("scanned", error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("--min-severity", "SEVERE", "is not a severity")]
    [InlineData("--format", "xml", "'xml' not recognized")]
    [InlineData("--rules", "/no/such/rules.yaml", "error: /no/such/rules.yaml: no such file or folder")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        var (exitCode, output, error) = Run("scan", trail.Root, option, value);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_rules_file_is_a_usage_error_naming_the_line_and_rule()
    {
        var folder = Scratch();
        var rules = Path.Combine(folder, "bad.yaml");
        File.WriteAllText(rules, "rules:\n  - id: X\n    title: t\n    severity: LOW\n    pattern: '{ $.a == 1 }'\n");

        var (exitCode, _, error) = Run("scan", trail.Root, "--rules", rules);

        Assert.Equal(2, exitCode);
        Assert.Contains("bad.yaml:5: rule X: filter pattern error", error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("{ $.userAgent = %a{100000}% }", "bad.yaml:5: rule X: filter pattern error at character 19: the repetition count 100000 is above the limit of 500")]
    [InlineData("{ $.userAgent = %a[ab]{4000}c% }", "bad.yaml:5: rule X: filter pattern error at character 23: the repetition count 4000 is above the limit of 500")]
    [InlineData("{ $.userAgent = %\\G% }", "bad.yaml:5: rule X: filter pattern error at character 18: \\G is not supported")]
    public void A_rules_file_with_a_regex_beyond_the_bounds_is_a_usage_error_naming_the_line_and_character(string pattern, string expected)
    {
        var folder = Scratch();
        var rules = Path.Combine(folder, "bad.yaml");
        File.WriteAllText(rules, $"rules:\n  - id: X\n    title: t\n    severity: LOW\n    pattern: '{pattern}'\n");

        var (exitCode, output, error) = Run("scan", trail.Root, "--rules", rules);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains("error: " + Path.Combine(folder, expected), error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void A_rules_file_nested_too_deep_is_a_usage_error_not_a_crash()
    {
        var folder = Scratch();
        var rules = Path.Combine(folder, "deep.yaml");
        File.WriteAllText(rules, "rules: " + new string('[', 200_000) + new string(']', 200_000) + "\n");

        var (exitCode, _, error) = Run("scan", trail.Root, "--rules", rules);

        Assert.Equal(2, exitCode);
        Assert.Contains("deep.yaml:1: the YAML is nested more than 64 levels deep", error, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}
