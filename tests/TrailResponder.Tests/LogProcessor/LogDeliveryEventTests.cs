using System.Text;
using TrailResponder.LogProcessor.Events;

namespace TrailResponder.Tests.LogProcessor;

public class LogDeliveryEventTests
{
    private const string Key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0905Z_Q7xYz9AbCdEf1234.json.gz";

    private static LogDeliveryEvent Parse(string json) => LogDeliveryEvent.Parse(Encoding.UTF8.GetBytes(json));

    private static LogDeliveryEvent ParseSample(string name) =>
        LogDeliveryEvent.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", name)));

    [Theory]
    [InlineData("logprocessor-s3-notification.json", LogDeliveryKind.S3Notification)]
    [InlineData("logprocessor-eventbridge-object-created.json", LogDeliveryKind.EventBridgeObjectCreated)]
    [InlineData("logprocessor-cloudtrail-sns-notification.json", LogDeliveryKind.SnsNotification)]
    [InlineData("logprocessor-s3-batch-operations.json", LogDeliveryKind.BatchOperations)]
    public void Each_sample_event_names_the_same_log_file(string file, LogDeliveryKind kind)
    {
        var parsed = ParseSample(file);

        Assert.Equal(kind, parsed.Kind);
        var reference = Assert.Single(parsed.Objects);
        Assert.Equal("trailresponder-sample-trail", reference.Bucket);
        Assert.Equal(Key, reference.Key);
    }

    [Theory]
    [InlineData("security+logs/AWSLogs/a%2Bb%25c%3Dd.json.gz", "security logs/AWSLogs/a+b%c=d.json.gz")]
    [InlineData("plain/key.json.gz", "plain/key.json.gz")]
    [InlineData("caf%C3%A9/x", "caf\u00e9/x")]
    public void S3_notification_keys_are_form_decoded_exactly_once(string encoded, string decoded)
    {
        var parsed = Parse($$$$"""{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"{{{{encoded}}}}"}}}]}""");

        Assert.Equal(decoded, Assert.Single(parsed.Objects).Key);
    }

    [Fact]
    public void EventBridge_keys_go_through_the_same_decoding()
    {
        var parsed = Parse("""{"source":"aws.s3","detail-type":"Object Created","detail":{"bucket":{"name":"b"},"object":{"key":"my+prefix/a%2Bb"}}}""");

        Assert.Equal("my prefix/a+b", Assert.Single(parsed.Objects).Key);
    }

    [Fact]
    public void Only_object_created_records_are_deliveries()
    {
        var parsed = Parse("""{"Records":[{"eventSource":"aws:s3","eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"k1"}}},{"eventSource":"aws:s3","eventName":"ObjectCreated:CompleteMultipartUpload","s3":{"bucket":{"name":"b"},"object":{"key":"k2"}}}]}""");

        Assert.Equal(["k2"], parsed.Objects.Select(o => o.Key));
    }

    [Fact]
    public void An_S3_event_sent_through_SNS_is_read_twice_over()
    {
        var inner = """{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a+b"}}}]}""";
        var parsed = Parse($$$"""{"Records":[{"EventSource":"aws:sns","Sns":{"Message":{{{System.Text.Json.JsonSerializer.Serialize(inner)}}}}}]}""");

        Assert.Equal(LogDeliveryKind.SnsNotification, parsed.Kind);
        Assert.Equal("a b", Assert.Single(parsed.Objects).Key);
    }

    [Fact]
    public void CloudTrail_SNS_keys_are_taken_as_written_and_every_key_counts()
    {
        var message = """{"s3Bucket":"b","s3ObjectKey":["k+1","k2"]}""";
        var parsed = Parse($$$"""{"Records":[{"EventSource":"aws:sns","Sns":{"Message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}}}}]}""");

        Assert.Equal(["k+1", "k2"], parsed.Objects.Select(o => o.Key));
    }

    [Fact]
    public void The_S3_test_event_through_SNS_is_no_delivery()
    {
        var message = """{"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"}""";
        var parsed = Parse($$$"""{"Records":[{"EventSource":"aws:sns","Sns":{"Message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}}}}]}""");

        Assert.Empty(parsed.Objects);
    }

    [Fact]
    public void Batch_schema_2_names_the_bucket_directly_and_keeps_task_ids()
    {
        var parsed = Parse("""{"invocationSchemaVersion":"2.0","invocationId":"inv","job":{"id":"j","userArguments":{}},"tasks":[{"taskId":"t1","s3Key":"a%20b","s3VersionId":null,"s3Bucket":"bucket-2"}]}""");

        var task = Assert.Single(parsed.Objects);
        Assert.Equal(new LogObjectReference("bucket-2", "a b", "t1"), task);
        Assert.Equal("inv", parsed.Batch!.InvocationId);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"hello\":1}", "not one the LogProcessor handles")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}", "Records[0].eventSource is 'aws:sqs'")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},\"object\":{}}}]}", "Records[0].s3.object.key is missing")]
    [InlineData("{\"source\":\"aws.ec2\",\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":{}}", "not 'aws.s3' / 'Object Created'")]
    [InlineData("{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"i\",\"tasks\":[{\"taskId\":\"t\",\"s3Key\":\"k\"}]}", "tasks[0] names no bucket")]
    [InlineData("{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Message\":\"{oops\"}}]}", "Records[0].Sns.Message is not JSON")]
    public void Malformed_events_are_refused_with_the_field_named(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => Parse(json));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
