using System.Text.Json.Nodes;

namespace TrailResponder.Tests.Template;

public class TemplateResourceTests
{
    private static readonly SamTemplate Template = SamTemplate.Load();

    public static TheoryData<string> FunctionIds { get; } = [.. Template.Functions.Select(f => f.LogicalId)];

    private static JsonObject Resources => Template.Document["Resources"]!.AsObject();

    private static IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == type).Select(r => r.Value!.AsObject());

    private const string CreatedBucket = "trailresponder-111122223333-c1d2e3f4a5b6";

    // Ref TrailBucket (and its ARN) resolve to the name the bucket resource computes for itself.
    private static JsonObject Resolved(string logicalId, IReadOnlyDictionary<string, string>? parameters = null) =>
        new TemplateEvaluator(Template.Document, parameters, new Dictionary<string, string> { ["TrailBucket"] = CreatedBucket, ["TrailBucket.Arn"] = "arn:aws:s3:::" + CreatedBucket })
            .Resolve(Resources[logicalId]!["Properties"])!.AsObject();

    private static string Ref(JsonNode? node) => node?["Ref"]?.GetValue<string>() ?? node?["Fn::GetAtt"]?[0]?.GetValue<string>() ?? string.Empty;

    [Theory]
    [MemberData(nameof(FunctionIds))]
    public void Every_function_runs_on_dotnet10_with_JSON_logs_and_code_from_its_project_folder(string logicalId)
    {
        var function = Template.Functions.Single(f => f.LogicalId == logicalId);
        var globals = Template.Document["Globals"]!["Function"]!;

        Assert.Equal("dotnet10", (function.Properties["Runtime"] ?? globals["Runtime"])!.GetValue<string>());
        Assert.Equal("JSON", function.Properties["LoggingConfig"]!["LogFormat"]!.GetValue<string>());
        Assert.StartsWith("functions/", function.CodeUri, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(Template.RepositoryRoot, function.CodeUri)), $"{function.CodeUri} does not exist.");
        Assert.Equal(3, function.Handler.Split("::").Length);
    }

    [Theory]
    [MemberData(nameof(FunctionIds))]
    public void Every_function_has_a_dead_letter_queue_and_alarms_on_its_errors_and_its_dead_letters(string logicalId)
    {
        var function = Template.Functions.Single(f => f.LogicalId == logicalId);
        var queue = Ref(function.Properties["DeadLetterQueue"]!["TargetArn"]);
        var alarms = OfType("AWS::CloudWatch::Alarm").ToList();

        Assert.Equal("AWS::SQS::Queue", Resources[queue]!["Type"]!.GetValue<string>());
        Assert.Contains(alarms, a => a["Properties"]!["MetricName"]!.GetValue<string>() == "Errors"
            && Ref(a["Properties"]!["Dimensions"]![0]!["Value"]) == logicalId);
        Assert.Contains(alarms, a => a["Properties"]!["MetricName"]!.GetValue<string>() == "ApproximateNumberOfMessagesVisible"
            && Ref(a["Properties"]!["Dimensions"]![0]!["Value"]) == queue);
        Assert.All(alarms, a => Assert.Equal("FindingsTopic", Ref(a["Properties"]!["AlarmActions"]![0])));
    }

    [Theory]
    [MemberData(nameof(FunctionIds))]
    public void Every_environment_variable_the_template_sets_is_one_the_function_reads(string logicalId)
    {
        var function = Template.Functions.Single(f => f.LogicalId == logicalId);
        var sources = string.Concat(
            new[] { function.CodeUri, "functions/TrailResponder.Core", "functions/TrailResponder.Aws" }
                .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Template.RepositoryRoot, folder), "*.cs", SearchOption.AllDirectories))
                .Select(File.ReadAllText));

        Assert.All(
            function.Properties["Environment"]!["Variables"]!.AsObject().Select(v => v.Key),
            name => Assert.Contains($"\"{name}\"", sources, StringComparison.Ordinal));
    }

    [Fact]
    public void The_LogProcessor_is_told_its_own_timeout_so_that_it_stops_before_Lambda_kills_it()
    {
        var function = Resolved("LogProcessorFunction");

        var timeout = function["Timeout"]!.ToString();
        Assert.Equal(timeout, function["Environment"]!["Variables"]!["FUNCTION_TIMEOUT_SECONDS"]!.ToString());
        Assert.InRange(int.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture), TrailResponder.LogProcessor.InvocationDeadline.MinTimeoutSeconds, TrailResponder.LogProcessor.InvocationDeadline.MaxTimeoutSeconds);
    }

    [Fact]
    public void The_findings_topic_is_KMS_encrypted_and_the_email_subscribes_to_it()
    {
        var topic = Resources["FindingsTopic"]!["Properties"]!;
        var subscription = Resolved("AlertEmailSubscription", new Dictionary<string, string> { ["AlertEmail"] = "security@example.com" });

        Assert.Equal("TopicKey", Ref(topic["KmsMasterKeyId"]));
        Assert.Equal("email", subscription["Protocol"]!.GetValue<string>());
        Assert.Equal("security@example.com", subscription["Endpoint"]!.GetValue<string>());
        Assert.Equal("HasAlertEmail", Resources["AlertEmailSubscription"]!["Condition"]!.GetValue<string>());
    }

    [Fact]
    public void The_created_trail_is_multi_region_with_global_events_and_log_file_validation()
    {
        var trail = Resolved("Trail");

        Assert.True(trail["IsMultiRegionTrail"]!.GetValue<bool>());
        Assert.True(trail["IncludeGlobalServiceEvents"]!.GetValue<bool>());
        Assert.True(trail["EnableLogFileValidation"]!.GetValue<bool>());
        Assert.True(trail["IsLogging"]!.GetValue<bool>());
        Assert.False(new TemplateEvaluator(Template.Document, new Dictionary<string, string> { ["TrailBucketName"] = "theirs" }).Exists("Trail"));
        Assert.False(new TemplateEvaluator(Template.Document, new Dictionary<string, string> { ["CreateTrail"] = "false" }).Exists("Trail"));
    }

    [Fact]
    public void The_created_bucket_is_versioned_private_KMS_encrypted_aged_out_and_notifies_the_LogProcessor()
    {
        var bucket = Resolved("TrailBucket");
        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        var encryption = bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!;
        var notification = bucket["NotificationConfiguration"]!["LambdaConfigurations"]![0]!;

        Assert.Equal(CreatedBucket, bucket["BucketName"]!.GetValue<string>());
        Assert.Equal("Enabled", bucket["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.All(block, setting => Assert.True(setting.Value!.GetValue<bool>()));
        Assert.Equal(4, block.Count);
        Assert.Equal("aws:kms", encryption["SSEAlgorithm"]!.GetValue<string>());
        Assert.NotEmpty(bucket["LifecycleConfiguration"]!["Rules"]!.AsArray());
        Assert.Equal("AWSLogs/", notification["Filter"]!["S3Key"]!["Rules"]![0]!["Value"]!.GetValue<string>());
        Assert.Equal("LogProcessorFunction", Ref(Resources["TrailBucket"]!["Properties"]!["NotificationConfiguration"]!["LambdaConfigurations"]![0]!["Function"]));
        Assert.Equal(
            $"arn:aws:s3:::{CreatedBucket}",
            Resolved("LogProcessorS3Permission")["SourceArn"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("TrailBucket")]
    [InlineData("TrailKey")]
    public void The_created_trail_bucket_and_its_key_outlive_the_stack(string logicalId) =>
        Assert.Equal("Retain", Resources[logicalId]!["DeletionPolicy"]!.GetValue<string>());

    [Fact]
    public void The_bucket_policy_denies_plain_HTTP_and_lets_only_this_trail_write()
    {
        var statements = Resolved("TrailBucketPolicy")["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var trailArn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/trailresponder";

        Assert.Contains(statements, s => s["Effect"]!.GetValue<string>() == "Deny" && s["Condition"]?["Bool"]?["aws:SecureTransport"]?.GetValue<string>() == "false");
        var cloudTrail = statements.Where(s => s["Principal"] is JsonObject principal && principal["Service"]?.GetValue<string>() == "cloudtrail.amazonaws.com").ToList();
        Assert.Equal(2, cloudTrail.Count);
        Assert.All(cloudTrail, s => Assert.Equal(trailArn, s["Condition"]!["StringEquals"]!["aws:SourceArn"]!.GetValue<string>()));
        Assert.Contains(cloudTrail, s => s["Action"]!.GetValue<string>() == "s3:PutObject"
            && s["Resource"]!.GetValue<string>() == $"arn:aws:s3:::{CreatedBucket}/AWSLogs/111122223333/*");
    }

    [Fact]
    public void An_existing_bucket_reaches_the_LogProcessor_through_an_EventBridge_Object_Created_rule()
    {
        var parameters = new Dictionary<string, string> { ["TrailBucketName"] = "theirs", ["TrailKeyPrefix"] = "org" };
        var evaluator = new TemplateEvaluator(Template.Document, parameters);
        var pattern = Resolved("LogProcessorObjectCreatedRule", parameters)["EventPattern"]!;

        Assert.False(evaluator.Exists("TrailBucket"));
        Assert.True(evaluator.Exists("LogProcessorEventBridgePermission"));
        Assert.Equal("Object Created", pattern["detail-type"]![0]!.GetValue<string>());
        Assert.Equal("theirs", pattern["detail"]!["bucket"]!["name"]![0]!.GetValue<string>());
        Assert.Equal("org/AWSLogs/", pattern["detail"]!["object"]!["key"]![0]!["prefix"]!.GetValue<string>());
    }

    [Fact]
    public void The_responder_listens_to_the_EC2_calls_it_handles_and_never_to_revocations()
    {
        var function = Template.Functions.Single(f => f.LogicalId == "SecurityGroupResponderFunction");
        var trigger = function.Properties["Events"]!.AsObject().Single().Value!;
        var names = trigger["Properties"]!["Pattern"]!["detail"]!["eventName"]!.AsArray().Select(n => n!.GetValue<string>());

        Assert.Equal("EventBridgeRule", trigger["Type"]!.GetValue<string>());
        Assert.Equal(["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "ModifySecurityGroupRules"], names);
    }

    [Fact]
    public void The_digest_validator_runs_every_hour()
    {
        var function = Template.Functions.Single(f => f.LogicalId == "DigestValidatorFunction");
        var trigger = function.Properties["Events"]!.AsObject().Single().Value!;

        Assert.Equal("Schedule", trigger["Type"]!.GetValue<string>());
        Assert.Equal("rate(1 hour)", trigger["Properties"]!["Schedule"]!.GetValue<string>());
    }

    [Fact]
    public void The_Athena_table_projects_region_and_date_partitions_over_the_trail_layout()
    {
        var parameters = new Dictionary<string, string> { ["CreateAthenaTable"] = "true" };
        var table = Resolved("CloudTrailTable", parameters)["TableInput"]!;
        var settings = table["Parameters"]!;

        Assert.Equal("true", settings["projection.enabled"]!.GetValue<string>());
        Assert.Equal("yyyy/MM/dd", settings["projection.timestamp.format"]!.GetValue<string>());
        Assert.Contains("eu-west-1", settings["projection.region.values"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(
            $"s3://{CreatedBucket}/AWSLogs/111122223333/CloudTrail/${{region}}/${{timestamp}}",
            settings["storage.location.template"]!.GetValue<string>());
        Assert.Equal(["region", "timestamp"], table["PartitionKeys"]!.AsArray().Select(k => k!["Name"]!.GetValue<string>()));
        Assert.False(new TemplateEvaluator(Template.Document).Exists("CloudTrailTable"));
    }

    [Fact]
    public void A_responder_only_stack_for_another_region_holds_just_the_responder_its_topic_and_its_alarms()
    {
        var evaluator = new TemplateEvaluator(Template.Document, new Dictionary<string, string> { ["Components"] = "responder-only" });

        var created = Resources.Select(r => r.Key).Where(evaluator.Exists).Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "FindingsTopic", "FindingsTopicPolicy",
                "SecurityGroupResponderDeadLetterAlarm", "SecurityGroupResponderDeadLetterQueue", "SecurityGroupResponderErrorsAlarm",
                "SecurityGroupResponderFunction", "SecurityGroupResponderLogGroup",
                "TopicKey", "TopicKeyAlias",
            ],
            created);
    }

    [Fact]
    public void The_outputs_name_the_topic_the_functions_and_the_Athena_table()
    {
        var outputs = Template.Document["Outputs"]!.AsObject();

        Assert.Equal("FindingsTopic", Ref(outputs["FindingsTopicArn"]!["Value"]));
        Assert.All(Template.Functions, f => Assert.Contains(outputs, o => Ref(o.Value!["Value"]) == f.LogicalId));
        Assert.Equal("CreateAthena", outputs["AthenaTable"]!["Condition"]!.GetValue<string>());
    }
}
