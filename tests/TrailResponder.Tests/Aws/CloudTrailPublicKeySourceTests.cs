using System.Net;
using System.Text.Json;
using TrailResponder.Aws;

namespace TrailResponder.Tests.Aws;

public class CloudTrailPublicKeySourceTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2025, 1, 2, 4, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public async Task List_public_keys_is_a_json_1_1_call_to_the_digests_region_with_epoch_second_times()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => CapturingTransport.Json(HttpStatusCode.OK,
            "{\"PublicKeyList\":[{\"Value\":\"AQID\",\"ValidityStartTime\":1.7340192E9,\"ValidityEndTime\":1736524800.5,\"Fingerprint\":\"8eba5db5bea9b640d1c40f9f1b5de9c4\"}]}")));

        var keys = await rig.Clients.PublicKeys().ListPublicKeysAsync("us-east-2", Start, End, CancellationToken.None);

        var request = Assert.Single(rig.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://cloudtrail.us-east-2.amazonaws.com/"), request.Uri);
        Assert.Equal("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListPublicKeys", request.Header("X-Amz-Target"));
        Assert.Equal("application/x-amz-json-1.1", request.Header("Content-Type"));
        Assert.Equal($"{{\"StartTime\":{Start.ToUnixTimeSeconds()},\"EndTime\":{End.ToUnixTimeSeconds() + 1}}}", request.BodyText);
        SnsNotificationPublisherTests.AssertSigned(request, "us-east-2", "cloudtrail");
        Assert.Contains("x-amz-target", Assert.Single(request.Headers["Authorization"]), StringComparison.Ordinal);

        var key = Assert.Single(keys.Keys);
        Assert.Equal("8eba5db5bea9b640d1c40f9f1b5de9c4", key.Fingerprint);
        Assert.Equal([1, 2, 3], key.Der.ToArray());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1734019200), key.ValidityStart);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1736524800500), key.ValidityEnd);
    }

    [Fact]
    public async Task Next_tokens_are_sent_back_until_none_is_returned_and_every_page_is_kept()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(
            () => CapturingTransport.Json(HttpStatusCode.OK, "{\"PublicKeyList\":[{\"Value\":\"AQ==\",\"ValidityStartTime\":1,\"ValidityEndTime\":2,\"Fingerprint\":\"a\"}],\"NextToken\":\"t-1\"}"),
            () => CapturingTransport.Json(HttpStatusCode.OK, "{\"PublicKeyList\":[{\"Value\":\"Ag==\",\"ValidityStartTime\":2,\"ValidityEndTime\":3,\"Fingerprint\":\"b\"}]}")));

        var keys = await rig.Clients.PublicKeys().ListPublicKeysAsync("eu-west-1", Start, End, CancellationToken.None);

        Assert.Equal(["a", "b"], keys.Keys.Select(k => k.Fingerprint));
        Assert.Equal(2, rig.Requests.Count);
        using var second = JsonDocument.Parse(rig.Requests[1].Body);
        Assert.Equal("t-1", second.RootElement.GetProperty("NextToken").GetString());
        using var first = JsonDocument.Parse(rig.Requests[0].Body);
        Assert.False(first.RootElement.TryGetProperty("NextToken", out _));
    }

    [Fact]
    public async Task The_region_argument_wins_over_aws_region_and_the_override_url_is_still_used()
    {
        using var rig = new AwsTestRig(
            CapturingTransport.Answering(() => CapturingTransport.Json(HttpStatusCode.OK, "{\"PublicKeyList\":[]}")),
            new Dictionary<string, string?> { ["AWS_REGION"] = "eu-west-1", ["AWS_ENDPOINT_URL_CLOUDTRAIL"] = "http://localhost:4566" });

        var keys = await rig.Clients.PublicKeys().ListPublicKeysAsync("ap-southeast-2", Start, End, CancellationToken.None);

        Assert.Empty(keys.Keys);
        var request = Assert.Single(rig.Requests);
        Assert.Equal(new Uri("http://localhost:4566/"), request.Uri);
        SnsNotificationPublisherTests.AssertSigned(request, "ap-southeast-2", "cloudtrail");
    }

    [Fact]
    public async Task Json_errors_become_service_exceptions_with_the_bare_code()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() =>
        {
            var response = CapturingTransport.Json(HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.cloudtrail.v20131101#InvalidTimeRangeException\",\"message\":\"Start time is after end time\"}");
            response.Headers.Add("x-amzn-RequestId", "req-ct");
            return response;
        }));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.PublicKeys().ListPublicKeysAsync("eu-west-1", End, Start, CancellationToken.None));

        Assert.Equal("cloudtrail", error.Service);
        Assert.Equal("ListPublicKeys", error.Operation);
        Assert.Equal("InvalidTimeRangeException", error.ErrorCode);
        Assert.Equal("Start time is after end time", error.ErrorMessage);
        Assert.Equal("req-ct", error.RequestId);
        Assert.Single(rig.Requests);
    }
}
