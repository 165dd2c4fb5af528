using System.Text;
using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Storage;
using TrailResponder.LogProcessor;
using TrailResponder.SampleTrail;
using TrailResponder.Tests.Core.Delivery;
using TrailResponder.Tests.Core.SecurityGroups;
using TrailResponder.Tests.Core.Storage;

namespace TrailResponder.Tests.LogProcessor;

public class FunctionTests
{
    internal const string Bucket = "trailresponder-sample-trail";
    internal const string Key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0905Z_Q7xYz9AbCdEf1234.json.gz";
    private static readonly DateTimeOffset BaseTime = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryTrailStore _store = new();
    private readonly RecordingImporter _importer = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly StringWriter _log = new();
    private readonly FakeSecurityGroupClient _ec2 = new();

    private Function CreateFunction(string? rulesLocation = null)
    {
        var settings = LogProcessorSettings.FromEnvironment(new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "us-east-1",
            ["ACCOUNT_ID"] = "111122223333",
            ["FINDINGS_TOPIC_ARN"] = "arn:aws:sns:us-east-1:111122223333:findings",
            ["RULES_LOCATION"] = rulesLocation,
        });
        return new Function(new LogProcessorServices(settings, bucket => bucket == Bucket ? _store : throw new TrailObjectStoreException($"no bucket {bucket}"), _importer, _publisher, _ => _ec2, _log));
    }

    private static byte[] LogFile(params string[] records)
    {
        using var output = new MemoryStream();
        CloudTrailLogFileWriter.Write(output, records);
        return output.ToArray();
    }

    private static Stream Event(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", name));

    private static JsonElement Answer(Stream output) => JsonDocument.Parse(output).RootElement;

    [Theory]
    [InlineData("logprocessor-s3-notification.json")]
    [InlineData("logprocessor-eventbridge-object-created.json")]
    [InlineData("logprocessor-cloudtrail-sns-notification.json")]
    public async Task A_delivered_log_file_becomes_Security_Hub_findings_and_one_email(string eventFile)
    {
        var factory = new CloudTrailEventFactory(7, BaseTime);
        _store.Put(Key, LogFile(factory.ManagementRead(), factory.RootApiCall(), factory.ManagementRead(), factory.UnauthorizedEc2Call()));

        var answer = Answer(await CreateFunction().HandleAsync(Event(eventFile)));

        Assert.Equal(1, answer.GetProperty("processed").GetInt32());
        Assert.Equal(4, answer.GetProperty("records").GetInt32());
        Assert.Equal(["CIS-4.1", "CIS-4.3"], _importer.Imported.Select(f => f.Id.Split('/')[0]).Order());
        var email = Assert.Single(_publisher.Published);
        Assert.StartsWith("TrailResponder HIGH: Root user activity", email.Subject, StringComparison.Ordinal);
        Assert.Contains($"s3://{Bucket}/{Key}", email.Body, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"log file processed\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_file_of_benign_events_sends_nothing()
    {
        var factory = new CloudTrailEventFactory(3, BaseTime);
        _store.Put(Key, LogFile(factory.ManagementRead(), factory.LambdaInvoke()));

        var answer = Answer(await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.Equal(0, answer.GetProperty("findings").GetInt32());
        Assert.Empty(_importer.Imported);
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_digest_file_is_skipped_with_a_log_line()
    {
        var digest = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20260302T090512Z.json.gz";
        var json = $$$$"""{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"{{{{Bucket}}}}"},"object":{"key":"{{{{digest}}}}"}}}]}""";

        var answer = Answer(await CreateFunction().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        Assert.Equal(1, answer.GetProperty("skipped").GetInt32());
        Assert.Contains("a digest file", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_log_file_delivers_what_it_could_read_and_reports_the_damage()
    {
        var factory = new CloudTrailEventFactory(9, BaseTime);
        var records = Enumerable.Range(0, 400).Select(_ => factory.ManagementRead()).Prepend(factory.RootApiCall()).ToArray();
        var bytes = LogFile(records);
        _store.Put(Key, bytes[..(bytes.Length / 2)]);

        var answer = Answer(await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.Equal(1, answer.GetProperty("processed").GetInt32());
        Assert.Contains(_importer.Imported, f => f.Id.StartsWith("CIS-4.3/", StringComparison.Ordinal));
        Assert.Contains(_publisher.Published, n => n.Subject == "TrailResponder: log file could not be read (TruncatedGzip)");
        Assert.Contains("\"level\":\"ERROR\",\"message\":\"log file damaged\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_delivery_fails_the_invocation_so_Lambda_retries()
    {
        var factory = new CloudTrailEventFactory(11, BaseTime);
        _store.Put(Key, LogFile(factory.RootApiCall()));
        _importer.Failure = new InvalidOperationException("Security Hub is down");

        var error = await Assert.ThrowsAsync<LogProcessingException>(() => CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.Contains($"s3://{Bucket}/{Key}: Security Hub is down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_operations_get_a_result_per_task()
    {
        var factory = new CloudTrailEventFactory(13, BaseTime);
        _store.Put(Key, LogFile(factory.RootApiCall(), factory.ManagementRead()));

        var answer = Answer(await CreateFunction().HandleAsync(Event("logprocessor-s3-batch-operations.json")));

        Assert.Equal("1.0", answer.GetProperty("invocationSchemaVersion").GetString());
        Assert.Equal("YXNkZmFzZGZhc2RmYXNkZmFzZGZhc2RmYXNkZg", answer.GetProperty("invocationId").GetString());
        Assert.Equal("PermanentFailure", answer.GetProperty("treatMissingKeysAs").GetString());
        var result = Assert.Single(answer.GetProperty("results").EnumerateArray());
        Assert.Equal("dGFzay0wMDAwMDAx", result.GetProperty("taskId").GetString());
        Assert.Equal("Succeeded", result.GetProperty("resultCode").GetString());
        Assert.Equal("2 records, 1 findings", result.GetProperty("resultString").GetString());
    }

    [Fact]
    public async Task Batch_operations_tell_missing_objects_from_failures_worth_retrying()
    {
        var missing = Answer(await CreateFunction().HandleAsync(Event("logprocessor-s3-batch-operations.json")));
        Assert.Equal("PermanentFailure", missing.GetProperty("results")[0].GetProperty("resultCode").GetString());

        var factory = new CloudTrailEventFactory(17, BaseTime);
        _store.Put(Key, LogFile(factory.RootApiCall()));
        _publisher.Failure = new InvalidOperationException("SNS throttled");
        var retry = Answer(await CreateFunction().HandleAsync(Event("logprocessor-s3-batch-operations.json")));

        Assert.Equal("TemporaryFailure", retry.GetProperty("results")[0].GetProperty("resultCode").GetString());
        Assert.Equal("SNS throttled", retry.GetProperty("results")[0].GetProperty("resultString").GetString());
    }

    [Fact]
    public async Task A_rules_file_in_S3_adds_rules_and_disables_built_ins()
    {
        var factory = new CloudTrailEventFactory(19, BaseTime);
        _store.Put(Key, LogFile(factory.RootApiCall(), factory.LambdaInvoke()));
        _store.Put("config/rules.yaml", Encoding.UTF8.GetBytes("""
            rules:
              - id: ACME-LAMBDA
                title: Lambda invoked
                severity: CRITICAL
                pattern: '{ $.eventName = Invoke }'
            disable: [CIS-4.3]
            """));

        await CreateFunction($"s3://{Bucket}/config/rules.yaml").HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Equal(["ACME-LAMBDA"], _importer.Imported.Select(f => f.Id.Split('/')[0]));
        Assert.StartsWith("TrailResponder CRITICAL: Lambda invoked", Assert.Single(_publisher.Published).Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_of_sigma_rules_under_an_S3_prefix_runs_beside_the_built_ins()
    {
        var factory = new CloudTrailEventFactory(29, BaseTime);
        _store.Put(Key, LogFile(factory.RootApiCall(), factory.LambdaInvoke()));
        foreach (var file in Directory.EnumerateFiles(Core.Rules.RuleLoaderTests.FixtureRules, "*", SearchOption.AllDirectories))
        {
            _store.Put("config/sigma/" + Path.GetRelativePath(Core.Rules.RuleLoaderTests.FixtureRules, file).Replace('\\', '/'), File.ReadAllBytes(file));
        }

        _store.Put("config/sigma/extra/lambda.yml", Encoding.UTF8.GetBytes("title: Lambda invoked\nid: lambda-invoked\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName: Invoke\n  condition: s\nlevel: critical\n"));
        _store.Put("config/other.yml", Encoding.UTF8.GetBytes("not: [rules"));

        await CreateFunction($"s3://{Bucket}/config/sigma/").HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Equal(["CIS-4.3", "lambda-invoked"], _importer.Imported.Select(f => f.Id.Split('/')[0]).Order(StringComparer.Ordinal));
        Assert.Contains($"\"summary\":\"s3://{Bucket}/config/sigma/: 10 files: 7 Sigma rules loaded, 1 rule from rules files, 1 severity override, 2 rules disabled, 3 skipped (1 other log source, 1 deprecated, 1 correlation)\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_rule_fails_the_invocation_with_every_problem_named_and_a_fixed_one_is_read_on_the_next()
    {
        var factory = new CloudTrailEventFactory(31, BaseTime);
        _store.Put(Key, LogFile(factory.RootApiCall()));
        _store.Put("config/sigma/broken.yml", Encoding.UTF8.GetBytes("title: Broken\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName|sw: x\n  condition: s\n"));
        var function = CreateFunction($"s3://{Bucket}/config/sigma/,s3://{Bucket}/config/missing.yaml");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => function.HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.StartsWith($"RULES_LOCATION 's3://{Bucket}/config/sigma/,s3://{Bucket}/config/missing.yaml': 2 problems in the rules; fix them and deploy again;", error.Message, StringComparison.Ordinal);
        Assert.Contains($"s3://{Bucket}/config/sigma/broken.yml:7: rule 'Broken': s: 'eventName|sw': unknown modifier 'sw'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"s3://{Bucket}/config/missing.yaml: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"rule error\"", _log.ToString(), StringComparison.Ordinal);
        Assert.Empty(_importer.Imported);

        _store.Put("config/sigma/broken.yml", Encoding.UTF8.GetBytes("title: Fixed\nid: fixed\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName|startswith: Describe\n  condition: s\n"));
        _store.Put("config/missing.yaml", Encoding.UTF8.GetBytes("severity:\n  fixed: LOW\n"));
        await function.HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Equal(["CIS-4.3", "fixed"], _importer.Imported.Select(f => f.Id.Split('/')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_rules_file_with_a_regex_beyond_the_bounds_fails_each_invocation_naming_the_file_until_it_is_fixed()
    {
        var factory = new CloudTrailEventFactory(29, BaseTime);
        _store.Put(Key, LogFile(factory.LambdaInvoke()));
        const string Rule = "rules:\n  - id: ACME-UA\n    title: Odd user agent\n    severity: LOW\n    pattern: '{ $.userAgent = %REGEX% }'\n";
        _store.Put("config/rules.yaml", Encoding.UTF8.GetBytes(Rule.Replace("REGEX", "a{100000}", StringComparison.Ordinal)));
        var function = CreateFunction($"s3://{Bucket}/config/rules.yaml");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => function.HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.StartsWith($"RULES_LOCATION 's3://{Bucket}/config/rules.yaml': 1 problem in the rules;", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"s3://{Bucket}/config/rules.yaml:5: rule ACME-UA: filter pattern error at character 19: the repetition count 100000 is above the limit of 500",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("\"message\":\"rule error\"", _log.ToString(), StringComparison.Ordinal);

        // The failure is not kept: the next invocation reads the corrected file.
        _store.Put("config/rules.yaml", Encoding.UTF8.GetBytes(Rule.Replace("REGEX", "a{500}", StringComparison.Ordinal)));
        var answer = Answer(await function.HandleAsync(Event("logprocessor-s3-notification.json")));
        Assert.Equal(1, answer.GetProperty("processed").GetInt32());
    }

    [Fact]
    public async Task The_backstop_revokes_a_world_open_rule_the_real_time_path_missed()
    {
        const string group = "sg-0b0b0b0b0b0b0b0b0";
        var factory = new CloudTrailEventFactory(23, BaseTime);
        var opened = factory.AuthorizeSecurityGroupIngress(group, SecurityGroupPermission.Tcp(22, "0.0.0.0/0"), SecurityGroupPermission.Tcp(22, "10.0.0.0/8"));
        _store.Put(Key, LogFile(factory.ManagementRead(), opened));
        _ec2.AddGroup(group);
        using (var document = JsonDocument.Parse(opened))
        {
            foreach (var rule in TrailResponder.Core.SecurityGroups.SecurityGroupChange.Parse(document.RootElement).Rules)
            {
                _ec2.AddRule(TrailResponder.Core.SecurityGroups.DescribedSecurityGroupRule.Create(rule.RuleId!, group, false, "tcp", 22, 22, cidrIpv4: rule.Source.Value));
            }
        }

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        var remaining = Assert.Single(_ec2.RuleIds(group));
        Assert.Single(_ec2.RevokeCalls);
        Assert.Contains(_publisher.Published, n => n.Body.Contains("The real-time path (EventBridge) missed this change", StringComparison.Ordinal));
        Assert.Contains(_importer.Imported, f => f.Id.StartsWith("TR-SG-POLICY/", StringComparison.Ordinal));
        Assert.DoesNotContain(remaining, _ec2.RevokeCalls[0].RuleIds);
    }

    private (string Opened, string WorldRule) BackstopScenario(string group)
    {
        var factory = new CloudTrailEventFactory(23, BaseTime);
        var opened = factory.AuthorizeSecurityGroupIngress(group, SecurityGroupPermission.Tcp(22, "0.0.0.0/0"));
        _ec2.AddGroup(group);
        using var document = JsonDocument.Parse(opened);
        var worldRule = TrailResponder.Core.SecurityGroups.SecurityGroupChange.Parse(document.RootElement).Rules[0].RuleId!;
        return (opened, worldRule);
    }

    [Fact]
    public async Task The_backstop_reports_a_rule_fixed_in_place_since_the_event_as_already_fixed_and_revokes_nothing()
    {
        const string group = "sg-0b0b0b0b0b0b0b0b0";
        var (opened, worldRule) = BackstopScenario(group);
        _ec2.AddRule(TrailResponder.Core.SecurityGroups.DescribedSecurityGroupRule.Create(worldRule, group, false, "tcp", 22, 22, cidrIpv4: "10.3.0.0/16"));
        _store.Put(Key, LogFile(opened));

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Empty(_ec2.RevokeCalls);
        Assert.Equal([worldRule], _ec2.RuleIds(group));
        Assert.Contains(_publisher.Published, n => n.Subject.EndsWith("was already fixed", StringComparison.Ordinal)
            && n.Body.Contains($"Already fixed: {worldRule} (now tcp 22 from 10.3.0.0/16)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_EC2_failure_in_the_backstop_still_delivers_the_files_other_findings_then_fails_naming_the_error()
    {
        const string group = "sg-0b0b0b0b0b0b0b0b0";
        var (opened, _) = BackstopScenario(group);
        var factory = new CloudTrailEventFactory(29, BaseTime);
        _store.Put(Key, LogFile(opened, factory.CloudTrailChange("StopLogging")));
        _ec2.DescribeRulesFailure = new InvalidOperationException("EC2 DescribeSecurityGroupRules failed after 3 attempts: InternalError");

        var error = await Assert.ThrowsAsync<LogProcessingException>(() => CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.Contains("EC2 DescribeSecurityGroupRules failed after 3 attempts: InternalError", error.Message, StringComparison.Ordinal);
        Assert.Contains(group, error.Message, StringComparison.Ordinal);
        Assert.Contains(_importer.Imported, f => f.Id.StartsWith("CIS-4.5/", StringComparison.Ordinal));
        Assert.Contains(_publisher.Published, n => n.Body.Contains("StopLogging", StringComparison.Ordinal));
        Assert.Contains("\"message\":\"security group backstop failed\"", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_repeated_EC2_failures_the_backstop_skips_the_rest_of_the_file_and_says_how_many()
    {
        var factory = new CloudTrailEventFactory(31, BaseTime);
        var changes = Enumerable.Range(0, TrailResponder.LogProcessor.SecurityGroupBackstopException.MaxFailuresPerFile + 2)
            .Select(i => factory.AuthorizeSecurityGroupIngress($"sg-0b0b0b0b0b0b0b0{i:x2}", SecurityGroupPermission.Tcp(22, "0.0.0.0/0")))
            .ToArray();
        _store.Put(Key, LogFile(changes));
        _ec2.DescribeRulesFailure = new InvalidOperationException("InternalError");

        var error = await Assert.ThrowsAsync<LogProcessingException>(() => CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.Equal(TrailResponder.LogProcessor.SecurityGroupBackstopException.MaxFailuresPerFile, _ec2.DescribeRulesCalls);
        Assert.Contains("2 further change(s) skipped after 5 failures", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_of_another_kind_fails_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => CreateFunction().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"hello\":1}"))));

        Assert.Contains("not one the LogProcessor handles", error.Message, StringComparison.Ordinal);
    }
}
