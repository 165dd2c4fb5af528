using System.Net;
using System.Text;
using TrailResponder.Core.Storage;

namespace TrailResponder.Tests.Aws;

public class S3TrailObjectStoreTests
{
    private const string Bucket = "trail-bucket";

    private static readonly Dictionary<string, string?> LocalStack = new() { ["AWS_REGION"] = "eu-west-1", ["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566" };

    private static HttpResponseMessage ListPage(string prefix, string contents, string? next) =>
        CapturingTransport.Xml(
            HttpStatusCode.OK,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + $"<Name>{Bucket}</Name><Prefix>{prefix}</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>{(next is null ? "false" : "true")}</IsTruncated>"
            + (next is null ? string.Empty : $"<NextContinuationToken>{next}</NextContinuationToken>")
            + contents + "</ListBucketResult>");

    private static string Entry(string key, long size) =>
        $"<Contents><Key>{key}</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified><ETag>\"e\"</ETag><Size>{size}</Size><StorageClass>STANDARD</StorageClass></Contents>";

    private static HttpResponseMessage S3Error(HttpStatusCode status, string code) =>
        CapturingTransport.Xml(status, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>m</Message><RequestId>r-s3</RequestId></Error>");

    [Fact]
    public async Task Listing_pages_through_every_continuation_token_and_returns_keys_relative_to_the_prefix()
    {
        using var rig = new AwsTestRig(
            CapturingTransport.Answering(
                () => ListPage("team/AWSLogs/", Entry("team/AWSLogs/a.json.gz", 10), "token-1"),
                () => ListPage("team/AWSLogs/", Entry("team/AWSLogs/b.json.gz", 20), null)),
            LocalStack);
        var store = rig.Clients.TrailStore(Bucket, "team/");

        var listed = new List<StoredObject>();
        await foreach (var stored in store.ListAsync("AWSLogs/"))
        {
            listed.Add(stored);
        }

        Assert.Equal(
            [
                new StoredObject("AWSLogs/a.json.gz", 10, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)),
                new StoredObject("AWSLogs/b.json.gz", 20, new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            ],
            listed);
        Assert.Equal("s3://trail-bucket/team/", store.Location);
        Assert.Equal(2, rig.Requests.Count);
        // Path-style addressing against the overridden endpoint: LocalStack has no per-bucket host names.
        Assert.Equal("localhost", rig.Requests[0].Uri.Host);
        Assert.StartsWith("/trail-bucket", rig.Requests[0].Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("list-type=2", rig.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("prefix=team%2FAWSLogs%2F", rig.Requests[0].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("continuation-token=token-1", rig.Requests[1].Uri.Query, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/s3/aws4_request", Assert.Single(rig.Requests[0].Headers["Authorization"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_override_the_regional_endpoint_is_used()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => ListPage(string.Empty, string.Empty, null)));

        await foreach (var unused in rig.Clients.TrailStore(Bucket).ListAsync(string.Empty))
        {
            Assert.Fail("nothing was listed");
        }

        Assert.EndsWith("s3.eu-west-1.amazonaws.com", Assert.Single(rig.Requests).Uri.Host, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_an_object_streams_its_bytes()
    {
        using var rig = new AwsTestRig(
            CapturingTransport.Answering(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("gzip bytes")) }),
            LocalStack);

        await using var stream = await rig.Clients.TrailStore(Bucket, "team").OpenReadAsync("AWSLogs/a.json.gz");
        using var reader = new StreamReader(stream);

        Assert.Equal("gzip bytes", await reader.ReadToEndAsync());
        var request = Assert.Single(rig.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/trail-bucket/team/AWSLogs/a.json.gz", request.Uri.AbsolutePath);
    }

    [Fact]
    public async Task The_body_is_not_checked_against_an_MD5_ETag_a_second_time()
    {
        // An ETag that looks like an MD5 but is not the body's: the SDK's own check would throw at the end of the body.
        using var rig = new AwsTestRig(
            CapturingTransport.Answering(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("gzip bytes")) };
                response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"0123456789abcdef0123456789abcdef\"");
                return response;
            }),
            LocalStack);

        await using var stream = await rig.Clients.TrailStore(Bucket).OpenReadAsync("AWSLogs/a.json.gz");
        using var reader = new StreamReader(stream);

        Assert.Equal("gzip bytes", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_missing_object_is_not_found()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => S3Error(HttpStatusCode.NotFound, "NoSuchKey")), LocalStack);

        var error = await Assert.ThrowsAsync<TrailObjectNotFoundException>(() => rig.Clients.TrailStore(Bucket).OpenReadAsync("AWSLogs/missing.json.gz"));

        Assert.Equal("AWSLogs/missing.json.gz", error.Key);
    }

    [Fact]
    public async Task Access_denied_is_a_store_failure_not_an_absence()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => S3Error(HttpStatusCode.Forbidden, "AccessDenied")), LocalStack);

        var error = await Assert.ThrowsAsync<TrailObjectStoreException>(() => rig.Clients.TrailStore(Bucket).OpenReadAsync("AWSLogs/a.json.gz"));

        Assert.Contains("AccessDenied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bucket_is_a_store_failure_even_though_its_status_is_404()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => S3Error(HttpStatusCode.NotFound, "NoSuchBucket")), LocalStack);

        await Assert.ThrowsAsync<TrailObjectStoreException>(() => rig.Clients.TrailStore(Bucket).OpenReadAsync("AWSLogs/a.json.gz"));
    }

    [Fact]
    public async Task Metadata_is_read_with_head_object_and_keyed_without_the_amz_meta_prefix()
    {
        using var rig = new AwsTestRig(
            CapturingTransport.Answering(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
                response.Headers.Add("x-amz-meta-signature", "abcd");
                response.Headers.Add("x-amz-meta-signature-algorithm", "SHA256withRSA");
                return response;
            }),
            LocalStack);

        var metadata = await rig.Clients.TrailStore(Bucket).GetMetadataAsync("AWSLogs/digest.json.gz");

        Assert.Equal("abcd", metadata["signature"]);
        Assert.Equal("SHA256withRSA", metadata["Signature-Algorithm"]);
        Assert.Equal(HttpMethod.Head, Assert.Single(rig.Requests).Method);
    }

    [Fact]
    public async Task Metadata_of_a_missing_object_is_not_found()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new ByteArrayContent([]) }), LocalStack);

        await Assert.ThrowsAsync<TrailObjectNotFoundException>(() => rig.Clients.TrailStore(Bucket).GetMetadataAsync("AWSLogs/missing.json.gz"));
    }
}
