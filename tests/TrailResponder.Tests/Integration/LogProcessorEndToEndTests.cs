using System.Text.Json;
using TrailResponder.LocalAws;
using TrailResponder.LogProcessor;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.Integration;

public class LogProcessorEndToEndTests : LocalAwsTest
{
    private static readonly DateTimeOffset BaseTime = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private Function CreateFunction(params (string Name, string Value)[] extra) =>
        new(LogProcessorServices.FromEnvironment(Environment(extra), Credentials, Log, Retry));

    private void PutLogFile(params string[] records)
    {
        using var output = new MemoryStream();
        CloudTrailLogFileWriter.Write(output, records);
        Endpoint.S3.PutObject(Bucket, Key, output.ToArray());
    }

    private void PutViolations()
    {
        var factory = new CloudTrailEventFactory(31, BaseTime);
        PutLogFile(factory.ManagementRead(), factory.RootApiCall(), factory.ManagementRead(), factory.UnauthorizedEc2Call(), factory.AttachAdministratorAccessToUser("bob"));
    }

    [Theory]
    [InlineData("logprocessor-s3-notification.json")]
    [InlineData("logprocessor-eventbridge-object-created.json")]
    [InlineData("logprocessor-cloudtrail-sns-notification.json")]
    public async Task A_sample_event_turns_its_log_file_into_Security_Hub_findings_and_an_email(string eventFile)
    {
        PutViolations();

        await CreateFunction().HandleAsync(Event(eventFile));

        var findings = Endpoint.SecurityHub.Findings;
        Assert.Contains(findings.Keys, id => id.StartsWith("CIS-4.3/", StringComparison.Ordinal));
        Assert.Contains(findings.Keys, id => id.StartsWith("CIS-4.1/", StringComparison.Ordinal));
        Assert.Contains(findings.Keys, id => id.StartsWith("TR-IAM-ADMIN-POLICY-ATTACHED/", StringComparison.Ordinal));
        var root = JsonDocument.Parse(findings.First(f => f.Key.StartsWith("CIS-4.3/", StringComparison.Ordinal)).Value).RootElement;
        Assert.Equal("CIS-4.3", root.GetProperty("GeneratorId").GetString());
        Assert.Equal($"s3://{Bucket}/{Key}", root.GetProperty("ProductFields").GetProperty("trailresponder/LogFile").GetString());
        var email = Assert.Single(Endpoint.Sns.Messages(Topic));
        Assert.StartsWith("TrailResponder HIGH:", email.Subject, StringComparison.Ordinal);
        Assert.Contains("Root user activity", email.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Processing_the_same_file_again_updates_the_findings_instead_of_duplicating_them()
    {
        PutViolations();
        var function = CreateFunction();

        await function.HandleAsync(Event("logprocessor-s3-notification.json"));
        var first = Endpoint.SecurityHub.Findings.Keys.ToHashSet();
        await function.HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Equal(first, Endpoint.SecurityHub.Findings.Keys.ToHashSet());
        Assert.Equal(2, Endpoint.Requests.Of(ServiceNames.SecurityHub, "BatchImportFindings").Count);
    }

    [Fact]
    public async Task Throttled_Security_Hub_and_SNS_calls_are_retried_and_nothing_is_lost()
    {
        PutViolations();
        Endpoint.Faults.Throttle(ServiceNames.SecurityHub, "BatchImportFindings", times: 2);
        Endpoint.Faults.Throttle(ServiceNames.Sns, "Publish", times: 1);
        Endpoint.Faults.FailInternally(ServiceNames.S3, "GetObject", times: 1);

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Equal(5, Endpoint.SecurityHub.Findings.Count);
        Assert.Single(Endpoint.Sns.Messages(Topic));
        Assert.Equal(3, Endpoint.Requests.Of(ServiceNames.SecurityHub, "BatchImportFindings").Count);
    }

    [Fact]
    public async Task Findings_that_fail_in_a_batch_are_sent_again_until_they_are_accepted()
    {
        PutViolations();
        var factory = new CloudTrailEventFactory(31, BaseTime);
        factory.ManagementRead();
        var rootEventId = JsonDocument.Parse(factory.RootApiCall()).RootElement.GetProperty("eventID").GetString();
        Endpoint.Faults.FailFindings([$"CIS-4.3/{rootEventId}"], "InvalidInput", "temporary validation problem", imports: 1);

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Contains($"CIS-4.3/{rootEventId}", Endpoint.SecurityHub.Findings.Keys);
    }

    [Fact]
    public async Task Findings_Security_Hub_keeps_refusing_fail_the_invocation_so_Lambda_retries_it()
    {
        PutViolations();
        var factory = new CloudTrailEventFactory(31, BaseTime);
        factory.ManagementRead();
        var rootEventId = JsonDocument.Parse(factory.RootApiCall()).RootElement.GetProperty("eventID").GetString();
        Endpoint.Faults.FailFindings([$"CIS-4.3/{rootEventId}"], "InvalidInput", "finding refused", imports: 100);

        var error = await Assert.ThrowsAsync<LogProcessingException>(() => CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.Contains($"CIS-4.3/{rootEventId}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_operations_task_gets_its_result_from_the_real_pipeline()
    {
        PutViolations();

        var answer = JsonDocument.Parse(await CreateFunction().HandleAsync(Event("logprocessor-s3-batch-operations.json"))).RootElement;

        Assert.Equal("Succeeded", answer.GetProperty("results")[0].GetProperty("resultCode").GetString());
        Assert.Equal("5 records, 5 findings", answer.GetProperty("results")[0].GetProperty("resultString").GetString());
    }

    [Fact]
    public async Task The_backstop_revokes_through_EC2_what_the_real_time_path_missed()
    {
        const string group = "sg-0a1b2c3d4e5f60718";
        Endpoint.Ec2.AddSecurityGroup(group, "web");
        var world = Endpoint.Ec2.AddRule(group, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        var office = Endpoint.Ec2.AddRule(group, isEgress: false, "tcp", 5432, 5432, cidrIpv4: "10.20.0.0/16");
        var record = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "securitygroup-ssh-opened-to-world.json"))
            .Replace("sgr-0f1e2d3c4b5a69788", world.RuleId, StringComparison.Ordinal)
            .Replace("sgr-0a9b8c7d6e5f40312", office.RuleId, StringComparison.Ordinal);
        PutLogFile(JsonDocument.Parse(record).RootElement.GetProperty("detail").GetRawText());

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Equal([office.RuleId], Endpoint.Ec2.Rules(group).Select(r => r.RuleId));
        Assert.Contains(Endpoint.Sns.Messages(Topic), m => m.Message.Contains("The real-time path (EventBridge) missed this change", StringComparison.Ordinal));
        Assert.Contains(Endpoint.SecurityHub.Findings.Keys, id => id.StartsWith("TR-SG-POLICY/", StringComparison.Ordinal));
    }

    // ---- The backstop (and a backfill) on an event whose rule changed since: it judges the rule as it is now.

    private const string SampleGroup = "sg-0a1b2c3d4e5f60718";

    /// <summary>The sample event's group with its two rules, and the record that added them (eventTime replaced when given).</summary>
    private (string World, string Record) SampleGroupAndRecord(string? eventTime = null)
    {
        Endpoint.Ec2.AddSecurityGroup(SampleGroup, "web");
        var world = Endpoint.Ec2.AddRule(SampleGroup, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0").RuleId;
        var office = Endpoint.Ec2.AddRule(SampleGroup, isEgress: false, "tcp", 5432, 5432, cidrIpv4: "10.20.0.0/16").RuleId;
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "securitygroup-ssh-opened-to-world.json"))
            .Replace("sgr-0f1e2d3c4b5a69788", world, StringComparison.Ordinal)
            .Replace("sgr-0a9b8c7d6e5f40312", office, StringComparison.Ordinal)
            .Replace("2026-03-02T09:02:37Z", eventTime ?? "2026-03-02T09:02:37Z", StringComparison.Ordinal);
        return (world, JsonDocument.Parse(json).RootElement.GetProperty("detail").GetRawText());
    }

    private string? WorldCidr(string world) => Endpoint.Ec2.Rules(SampleGroup).SingleOrDefault(r => r.RuleId == world)?.CidrIpv4;

    [Fact]
    public async Task The_backstop_leaves_a_rule_narrowed_in_place_alone_and_reports_it_already_fixed()
    {
        var (world, record) = SampleGroupAndRecord();
        await EditRuleAsync(SampleGroup, world, 22, 22, "10.3.0.0/16");
        PutLogFile(record);

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Empty(Endpoint.Requests.Of(ServiceNames.Ec2, "RevokeSecurityGroupIngress"));
        Assert.Equal("10.3.0.0/16", WorldCidr(world));
        var email = Assert.Single(Endpoint.Sns.Messages(Topic), m => m.Subject?.EndsWith("was already fixed", StringComparison.Ordinal) == true);
        Assert.Contains($"Already fixed: {world} (now tcp 22 from 10.3.0.0/16)", email.Message, StringComparison.Ordinal);
        Assert.Contains("The log-file backstop found this change", email.Message, StringComparison.Ordinal);
        var finding = JsonDocument.Parse(Endpoint.SecurityHub.Findings.Single(f => f.Key.StartsWith("TR-SG-POLICY/", StringComparison.Ordinal)).Value).RootElement;
        Assert.Equal("PASSED", finding.GetProperty("Compliance").GetProperty("Status").GetString());
        Assert.Equal("RESOLVED", finding.GetProperty("Workflow").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task The_backstop_leaves_a_deleted_rule_alone_without_a_second_notice()
    {
        var (world, record) = SampleGroupAndRecord();
        Endpoint.Ec2.RemoveRule(world);
        PutLogFile(record);

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Empty(Endpoint.Requests.Of(ServiceNames.Ec2, "RevokeSecurityGroupIngress"));
        Assert.DoesNotContain(Endpoint.SecurityHub.Findings.Keys, id => id.StartsWith("TR-SG-POLICY/", StringComparison.Ordinal));
        Assert.Contains("\"message\":\"violating rules already gone\"", Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_backstop_revokes_a_rule_widened_further_since_the_event()
    {
        var (world, record) = SampleGroupAndRecord();
        await EditRuleAsync(SampleGroup, world, 20, 30, "0.0.0.0/0");
        PutLogFile(record);

        await CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json"));

        Assert.Null(WorldCidr(world));
        Assert.Contains(Endpoint.Sns.Messages(Topic), m => m.Message.Contains($"Revoked: {world} (tcp 20-30 from 0.0.0.0/0)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_backfill_that_replays_an_old_event_does_not_revoke_the_rule_fixed_long_ago()
    {
        var (world, record) = SampleGroupAndRecord(eventTime: "2024-05-06T09:02:37Z");
        await EditRuleAsync(SampleGroup, world, 22, 22, "10.3.0.0/16");
        PutLogFile(record);

        var answer = JsonDocument.Parse(await CreateFunction(("DRY_RUN", "false")).HandleAsync(Event("logprocessor-s3-batch-operations.json"))).RootElement;

        Assert.Equal("Succeeded", answer.GetProperty("results")[0].GetProperty("resultCode").GetString());
        Assert.Empty(Endpoint.Requests.Of(ServiceNames.Ec2, "RevokeSecurityGroupIngress"));
        Assert.Equal("10.3.0.0/16", WorldCidr(world));
        Assert.Contains(Endpoint.Sns.Messages(Topic), m => m.Subject?.EndsWith("was already fixed", StringComparison.Ordinal) == true
            && m.Message.Contains("When:    2024-05-06T09:02:37Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_EC2_keeps_failing_the_backstop_delivers_the_files_other_findings_then_fails_naming_the_error()
    {
        var (world, record) = SampleGroupAndRecord();
        var factory = new CloudTrailEventFactory(37, BaseTime);
        PutLogFile(record, factory.CloudTrailChange("StopLogging"));
        Endpoint.Faults.FailInternally(ServiceNames.Ec2, "DescribeSecurityGroupRules", times: 100);

        var error = await Assert.ThrowsAsync<LogProcessingException>(() => CreateFunction().HandleAsync(Event("logprocessor-s3-notification.json")));

        Assert.Contains("security-group backstop could not settle 1 change(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("DescribeSecurityGroupRules", error.Message, StringComparison.Ordinal);
        Assert.Contains("InternalError", error.Message, StringComparison.Ordinal);
        Assert.Contains(Endpoint.SecurityHub.Findings.Keys, id => id.StartsWith("CIS-4.5/", StringComparison.Ordinal));
        Assert.Contains(Endpoint.Sns.Messages(Topic), m => m.Message.Contains("StopLogging", StringComparison.Ordinal));
        Assert.Equal("0.0.0.0/0", WorldCidr(world));
    }
}
