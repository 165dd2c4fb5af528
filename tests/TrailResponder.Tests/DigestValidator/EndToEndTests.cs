using System.Text.Json;
using Amazon.Runtime;
using TrailResponder.DigestValidator;
using TrailResponder.LocalAws;
using TrailResponder.Tests.Core.Digests;

namespace TrailResponder.Tests.DigestValidator;

public class EndToEndTests
{
    private static readonly AWSCredentials Credentials = new BasicAWSCredentials("AKIDLOCALTEST", "local-test-secret");

    private static Stream Event(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", name));

    // The local endpoint signs and answers in us-east-1 only (other regions are refused as AWS would refuse a
    // mis-scoped signature), so its trail has the standard hours in that one region.
    private static SignedTrailBuilder UsEastTrail()
    {
        var trail = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            trail.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour));
        }

        return trail;
    }

    [Fact]
    public async Task The_scheduled_event_against_S3_CloudTrail_Security_Hub_and_SNS_reports_a_deleted_log_file_with_its_key()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var trail = UsEastTrail();
        var inWindow = trail.Digests.Single(d => d.Key == SignedTrailBuilder.DigestKey("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", 4)));
        var deleted = inWindow.LogKeys[2];
        trail.Store.Remove(deleted);
        LocalTrailBucket.Upload(endpoint, trail);
        var topic = endpoint.Sns.CreateTopic("trail-integrity");
        var environment = LocalTrailBucket.Environment(endpoint);
        environment["ACCOUNT_ID"] = "111122223333";
        environment["FINDINGS_TOPIC_ARN"] = topic;
        environment["TRAIL_BUCKET"] = SignedTrailBuilder.Bucket;
        using var log = new StringWriter();

        var output = await new Function(DigestValidatorServices.FromEnvironment(environment, Credentials, log)).HandleAsync(Event("digestvalidator-schedule.json"));

        var answer = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["us-east-1"], answer.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(2, answer.GetProperty("digests").GetProperty("valid").GetInt32());
        var finding = Assert.Single(endpoint.SecurityHub.Findings);
        Assert.Equal($"TR-DIGEST/111122223333/us-east-1/log-missing/{deleted}", finding.Key);
        var json = JsonDocument.Parse(finding.Value).RootElement;
        Assert.Equal("CRITICAL", json.GetProperty("Severity").GetProperty("Label").GetString());
        Assert.Equal($"arn:aws:s3:::{SignedTrailBuilder.Bucket}/{deleted}", json.GetProperty("Resources")[0].GetProperty("Id").GetString());
        var message = Assert.Single(endpoint.Sns.Messages(topic));
        Assert.Equal("TrailResponder CRITICAL: 1 CloudTrail integrity problem in example-trail-bucket", message.Subject);
        Assert.Contains($"s3://{SignedTrailBuilder.Bucket}/{deleted}", message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_range_event_against_an_intact_bucket_publishes_nothing()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var trail = UsEastTrail();
        LocalTrailBucket.Upload(endpoint, trail);
        var topic = endpoint.Sns.CreateTopic("trail-integrity");
        var environment = LocalTrailBucket.Environment(endpoint);
        environment["ACCOUNT_ID"] = "111122223333";
        environment["FINDINGS_TOPIC_ARN"] = topic;
        environment["TRAIL_BUCKET"] = SignedTrailBuilder.Bucket;
        using var log = new StringWriter();

        var output = await new Function(DigestValidatorServices.FromEnvironment(environment, Credentials, log)).HandleAsync(Event("digestvalidator-range.json"));

        Assert.Equal(5, JsonDocument.Parse(output).RootElement.GetProperty("digests").GetProperty("valid").GetInt32());
        Assert.Empty(endpoint.SecurityHub.Findings);
        Assert.Empty(endpoint.Sns.Messages(topic));
    }
}
