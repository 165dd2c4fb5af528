using TrailResponder.Core.Digests;

namespace TrailResponder.Tests.Core.Digests;

public class PublicKeySetTests
{
    [Fact]
    public void Cli_output_with_iso_timestamps_is_read()
    {
        var keys = PublicKeySet.Parse("""
            {"PublicKeyList":[{"Value":"AAEC","ValidityStartTime":"2024-02-01T00:00:00+00:00","ValidityEndTime":"2024-03-02T12:30:00Z","Fingerprint":"abc"}]}
            """, "keys.json");

        var key = Assert.Single(keys.Keys);
        Assert.Equal("abc", key.Fingerprint);
        Assert.Equal(new byte[] { 0, 1, 2 }, key.Der.ToArray());
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), key.ValidityStart);
        Assert.Equal(new DateTimeOffset(2024, 3, 2, 12, 30, 0, TimeSpan.Zero), key.ValidityEnd);
    }

    [Fact]
    public void Api_output_with_epoch_seconds_and_the_documentations_quoted_epoch_seconds_are_read()
    {
        var keys = PublicKeySet.Parse("""
            {"publicKeyList":[{"Value":"AAEC","ValidityStartTime":1436317441.0,"ValidityEndTime":"1438909441.0","Fingerprint":"abc"}]}
            """, "keys.json");

        var key = Assert.Single(keys.Keys);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1436317441), key.ValidityStart);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1438909441), key.ValidityEnd);
    }

    [Theory]
    [InlineData("{}", "field 'PublicKeyList'")]
    [InlineData("{\"PublicKeyList\":[{\"Value\":\"AAEC\",\"ValidityStartTime\":1,\"ValidityEndTime\":2}]}", "field 'PublicKeyList[0].Fingerprint'")]
    [InlineData("{\"PublicKeyList\":[{\"Value\":\"!!\",\"ValidityStartTime\":1,\"ValidityEndTime\":2,\"Fingerprint\":\"f\"}]}", "field 'PublicKeyList[0].Value': not base64")]
    [InlineData("{\"PublicKeyList\":[{\"Value\":\"AAEC\",\"ValidityStartTime\":\"soon\",\"ValidityEndTime\":2,\"Fingerprint\":\"f\"}]}", "field 'PublicKeyList[0].ValidityStartTime'")]
    [InlineData("{", "not valid JSON")]
    public void Malformed_key_list_is_reported_with_the_source_and_field(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PublicKeySet.Parse(json, "keys.json"));

        Assert.Contains("'keys.json'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_is_found_by_fingerprint_only_within_its_validity_window_allowing_for_signing_delay()
    {
        var start = new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var keys = new PublicKeySet([new TrailPublicKey("abc", new byte[] { 1 }, start, start.AddDays(30))]);

        Assert.Equal(PublicKeyMatchStatus.Found, keys.Find("abc", start.AddDays(1)).Status);
        Assert.Equal(PublicKeyMatchStatus.Found, keys.Find("abc", start.AddHours(-1)).Status);
        Assert.Equal(PublicKeyMatchStatus.OutsideValidity, keys.Find("abc", start.AddHours(-3)).Status);
        Assert.Equal(PublicKeyMatchStatus.OutsideValidity, keys.Find("abc", start.AddDays(30).AddSeconds(1)).Status);
        Assert.Equal(PublicKeyMatchStatus.Unknown, keys.Find("ABC", start.AddDays(1)).Status);
    }

    [Fact]
    public void Sets_from_several_regions_merge()
    {
        var a = new PublicKeySet([new TrailPublicKey("a", new byte[] { 1 }, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue)]);
        var b = new PublicKeySet([new TrailPublicKey("b", new byte[] { 2 }, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue)]);

        Assert.Equal(["a", "b"], a.Merge(b).Keys.Select(k => k.Fingerprint));
    }
}
