using System.Net;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsCloudTrailTests
{
    private static readonly DateTimeOffset Day = new(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListPublicKeys_returns_the_keys_whose_validity_overlaps_the_range()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.CloudTrail.AddPublicKey([1, 2, 3], Day, Day.AddDays(30), "old");
        endpoint.CloudTrail.AddPublicKey([4, 5, 6], Day.AddDays(30), Day.AddDays(60), "new");
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail");

        var answer = await cloudTrail.CloudTrailAsync("ListPublicKeys", $$"""{"StartTime": {{Day.AddDays(40).ToUnixTimeSeconds()}}, "EndTime": {{Day.AddDays(41).ToUnixTimeSeconds()}}}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var key = Assert.Single(answer.Json.GetProperty("PublicKeyList").EnumerateArray());
        Assert.Equal("new", key.GetProperty("Fingerprint").GetString());
        Assert.Equal(Convert.ToBase64String([4, 5, 6]), key.GetProperty("Value").GetString());
        Assert.Equal(Day.AddDays(30).ToUnixTimeSeconds(), key.GetProperty("ValidityStartTime").GetDouble());
    }

    [Fact]
    public async Task ListPublicKeys_pages_with_NextToken()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.CloudTrail.KeysPerPage = 2;
        for (var i = 0; i < 5; i++)
        {
            endpoint.CloudTrail.AddPublicKey([(byte)i], Day, Day.AddDays(90), $"k{i}");
        }
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail");
        var range = $"\"StartTime\": {Day.AddDays(1).ToUnixTimeSeconds()}, \"EndTime\": {Day.AddDays(2).ToUnixTimeSeconds()}";

        var fingerprints = new List<string>();
        string? token = null;
        do
        {
            var answer = await cloudTrail.CloudTrailAsync("ListPublicKeys", token is null ? $"{{{range}}}" : $"{{{range}, \"NextToken\": \"{token}\"}}");
            fingerprints.AddRange(answer.Json.GetProperty("PublicKeyList").EnumerateArray().Select(k => k.GetProperty("Fingerprint").GetString()!));
            token = answer.Json.TryGetProperty("NextToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);

        Assert.Equal(["k0", "k1", "k2", "k3", "k4"], fingerprints);
    }

    [Fact]
    public async Task Start_after_end_is_InvalidTimeRangeException()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail");

        var answer = await cloudTrail.CloudTrailAsync("ListPublicKeys", $$"""{"StartTime": {{Day.AddDays(2).ToUnixTimeSeconds()}}, "EndTime": {{Day.ToUnixTimeSeconds()}}}""");

        Assert.Equal("InvalidTimeRangeException", answer.ErrorCode);
    }
}
