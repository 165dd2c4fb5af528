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
    private const string Bucket = "trailresponder-sample-trail";
    private const string Key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0905Z_Q7xYz9AbCdEf1234.json.gz";
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
    public async Task A_rules_file_with_a_regex_beyond_the_bounds_fails_each_invocation_naming_the_file_until_it_is_fixed()
    {
        var factory = new CloudTrailEventFactory(29, BaseTime);
        _store.Put(Key, LogFile(factory.LambdaInvoke()));
        const string Rule = "rules:\n  - id: ACME-UA\n    title: Odd user agent\n    severity: LOW\n    pattern: '{ $.userAgent = %REGEX% }'\n";
        _store.Put("config/rules.yaml", Encoding.UTF8.GetBytes(Rule.Replace("REGEX", "a{100000}", StringComparison.Ordinal)));
        var function = CreateFunction($"s3://{Bucket}/config/rules.yaml");

        var error = await Assert.ThrowsAsync<TrailResponder.Core.Rules.RuleFileException>(() => function.HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.StartsWith(
            $"s3://{Bucket}/config/rules.yaml:5: rule ACME-UA: filter pattern error at character 19: the repetition count 100000 is above the limit of 500",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("\"message\":\"rules file refused\"", _log.ToString(), StringComparison.Ordinal);

        // The failure is not kept: the next invocation reads the corrected file.
        _store.Put("config/rules.yaml", Encoding.UTF8.GetBytes(Rule.Replace("REGEX", "a{500}", StringComparison.Ordinal)));
        var answer = Answer(await function.HandleAsync(Event("logprocessor-s3-notification.json")));
        Assert.Equal(1, answer.GetProperty("processed").GetInt32());
    }

    [Fact]
    public async Task A_rules_file_that_cannot_be_read_fails_the_invocation_naming_it()
    {
        var error = await Assert.ThrowsAsync<TrailResponder.Core.Rules.RuleFileException>(
            () => CreateFunction($"s3://{Bucket}/config/missing.yaml").HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.StartsWith($"s3://{Bucket}/config/missing.yaml: the rules file could not be read: ", error.Message, StringComparison.Ordinal);
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

    [Fact]
    public async Task An_event_of_another_kind_fails_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => CreateFunction().HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes("{\"hello\":1}"))));

        Assert.Contains("not one the LogProcessor handles", error.Message, StringComparison.Ordinal);
    }
}
