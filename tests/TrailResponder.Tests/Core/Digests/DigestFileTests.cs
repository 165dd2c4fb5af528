using System.Text;
using TrailResponder.Core.Digests;

namespace TrailResponder.Tests.Core.Digests;

public class DigestFileTests
{
    private const string Key = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240301T000507Z.json.gz";

    private const string Valid = """
        {"awsAccountId":"111122223333","digestStartTime":"2024-02-29T23:05:07Z","digestEndTime":"2024-03-01T00:05:07Z","digestS3Bucket":"b","digestS3Object":"k","digestPublicKeyFingerprint":"f","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":null,"oldestEventTime":null,"previousDigestS3Bucket":"b","previousDigestS3Object":"p","previousDigestHashValue":"h","previousDigestHashAlgorithm":"SHA-256","previousDigestSignature":"s","logFiles":[{"s3Bucket":"b","s3Object":"l","hashValue":"x","hashAlgorithm":"SHA-256","newestEventTime":"2024-02-29T23:59:00Z","oldestEventTime":"2024-02-29T23:58:00Z"}]}
        """;

    [Fact]
    public void Digest_fields_are_read_verbatim_and_the_hash_covers_the_exact_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid);

        var digest = DigestFile.Parse(Key, bytes);

        Assert.Equal("2024-03-01T00:05:07Z", digest.DigestEndTimeText);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 5, 7, TimeSpan.Zero), digest.DigestEndTime);
        Assert.Equal("p", digest.PreviousDigestS3Object);
        Assert.False(digest.IsChainStart);
        Assert.Equal(SignedTrailBuilder.Sha256Hex(bytes), digest.ContentSha256Hex);
        var log = Assert.Single(digest.LogFiles);
        Assert.Equal(new DigestLogFileReference("b", "l", "x", "SHA-256", "2024-02-29T23:59:00Z", "2024-02-29T23:58:00Z"), log);
    }

    [Theory]
    [InlineData("\"digestS3Object\":\"k\",", "digestS3Object", "required field is missing")]
    [InlineData("\"digestEndTime\":\"2024-03-01T00:05:07Z\"", "digestEndTime", "required field is null", "\"digestEndTime\":null")]
    [InlineData("\"digestStartTime\":\"2024-02-29T23:05:07Z\"", "digestStartTime", "'yesterday' is not a timestamp", "\"digestStartTime\":\"yesterday\"")]
    [InlineData("\"digestS3Bucket\":\"b\"", "digestS3Bucket", "expected a string, found Number", "\"digestS3Bucket\":5")]
    [InlineData("\"hashValue\":\"x\",", "logFiles[0].hashValue", "required field is missing")]
    [InlineData("\"logFiles\":[{", "logFiles[0]", "expected an object, found Number", "\"logFiles\":[7,{")]
    public void Bad_field_is_reported_with_the_key_and_the_field(string original, string field, string problem, string replacement = "")
    {
        var json = Valid.Replace(original, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<DigestFormatException>(() => DigestFile.Parse(Key, Encoding.UTF8.GetBytes(json)));

        Assert.Equal(field, error.Field);
        Assert.Equal(problem, error.Problem);
        Assert.Contains(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_json_is_reported_with_the_key()
    {
        var error = Assert.Throws<DigestFormatException>(() => DigestFile.Parse(Key, "not json"u8));

        Assert.Null(error.Field);
        Assert.StartsWith($"Digest '{Key}': not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Starting_digest_has_null_previous_fields()
    {
        var json = Valid.Replace("\"previousDigestS3Object\":\"p\"", "\"previousDigestS3Object\":null", StringComparison.Ordinal);

        Assert.True(DigestFile.Parse(Key, Encoding.UTF8.GetBytes(json)).IsChainStart);
    }
}
