using System.Net;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsFaultTests
{
    [Fact]
    public async Task Throttling_uses_each_services_own_code_and_status_then_recovers()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("t");
        endpoint.S3.CreateBucket("trail-bucket");
        using var sns = new SignedAwsClient(endpoint, "sns");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail");
        using var s3 = new SignedAwsClient(endpoint, "s3");
        endpoint.Faults.Throttle(ServiceNames.Sns, "Publish");
        endpoint.Faults.Throttle(ServiceNames.Ec2, "DescribeSecurityGroupRules");
        endpoint.Faults.Throttle(ServiceNames.SecurityHub, "BatchImportFindings");
        endpoint.Faults.Throttle(ServiceNames.CloudTrail, "ListPublicKeys");
        endpoint.Faults.Throttle(ServiceNames.S3, "ListObjectsV2", times: 2);

        Task<AwsAnswer> Publish() => sns.PostFormAsync(("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topic), ("Message", "x"));
        Task<AwsAnswer> Describe() => ec2.PostFormAsync(("Action", "DescribeSecurityGroupRules"), ("Version", "2016-11-15"));
        Task<AwsAnswer> Import() => hub.PostJsonAsync("/findings/import", LocalAwsSecurityHubTests.Import(LocalAwsSecurityHubTests.Finding("f-1")));
        Task<AwsAnswer> Keys() => cloudTrail.CloudTrailAsync("ListPublicKeys", "{}");
        Task<AwsAnswer> List() => s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2"));

        Assert.Equal((HttpStatusCode.BadRequest, "Throttling"), Pair(await Publish()));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "RequestLimitExceeded"), Pair(await Describe()));
        Assert.Equal((HttpStatusCode.TooManyRequests, "LimitExceededException"), Pair(await Import()));
        Assert.Equal((HttpStatusCode.BadRequest, "ThrottlingException"), Pair(await Keys()));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "SlowDown"), Pair(await List()));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "SlowDown"), Pair(await List()));
        Assert.All([await Publish(), await Describe(), await Import(), await Keys(), await List()], a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    [Fact]
    public async Task Internal_failure_answers_500_with_the_services_internal_error_code()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("t");
        using var sns = new SignedAwsClient(endpoint, "sns");
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail");
        endpoint.Faults.FailInternally(ServiceNames.Sns, "Publish");
        endpoint.Faults.FailInternally(ServiceNames.CloudTrail, "ListPublicKeys");

        var publish = await sns.PostFormAsync(("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topic), ("Message", "x"));
        var keys = await cloudTrail.CloudTrailAsync("ListPublicKeys", "{}");

        Assert.Equal((HttpStatusCode.InternalServerError, "InternalError"), Pair(publish));
        Assert.Contains("<Type>Receiver</Type>", publish.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.InternalServerError, "InternalFailure"), Pair(keys));
        Assert.Empty(endpoint.Sns.Messages(topic));
        var logged = endpoint.Requests.Of(ServiceNames.Sns, "Publish").Single();
        Assert.Equal((500, "InternalError"), (logged.StatusCode, logged.ErrorCode));
    }

    [Fact]
    public async Task Delay_makes_a_client_with_a_short_timeout_give_up_and_only_the_next_call_is_slow()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var impatient = new SignedAwsClient(endpoint, "cloudtrail", timeout: TimeSpan.FromMilliseconds(300));
        endpoint.Faults.Delay(ServiceNames.CloudTrail, "ListPublicKeys", TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.CloudTrailAsync("ListPublicKeys", "{}"));
        var next = await impatient.CloudTrailAsync("ListPublicKeys", "{}");

        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task Injected_finding_failures_apply_to_the_next_imports_only()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        endpoint.Faults.FailFindings(["f-2"], "InternalFailure", "try again later", imports: 2);
        var body = LocalAwsSecurityHubTests.Import(LocalAwsSecurityHubTests.Finding("f-1"), LocalAwsSecurityHubTests.Finding("f-2"));

        var first = await hub.PostJsonAsync("/findings/import", body);
        var second = await hub.PostJsonAsync("/findings/import", body);
        Assert.Equal(["f-1"], endpoint.SecurityHub.Findings.Keys);
        var third = await hub.PostJsonAsync("/findings/import", body);

        var failed = Assert.Single(first.Json.GetProperty("FailedFindings").EnumerateArray());
        Assert.Equal(("f-2", "InternalFailure", "try again later"), (failed.GetProperty("Id").GetString(), failed.GetProperty("ErrorCode").GetString(), failed.GetProperty("ErrorMessage").GetString()));
        Assert.Equal(1, second.Json.GetProperty("FailedCount").GetInt32());
        Assert.Equal((2, 0), (third.Json.GetProperty("SuccessCount").GetInt32(), third.Json.GetProperty("FailedCount").GetInt32()));
        Assert.Equal(["f-1", "f-2"], endpoint.SecurityHub.Findings.Keys.Order());
    }

    private static (HttpStatusCode, string?) Pair(AwsAnswer answer) => (answer.Status, answer.ErrorCode);
}
