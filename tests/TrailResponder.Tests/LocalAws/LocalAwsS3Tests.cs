using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsS3Tests
{
    [Fact]
    public async Task Put_keeps_user_metadata_and_get_and_head_return_it_with_the_object_headers()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var s3 = new SignedAwsClient(endpoint, "s3");
        Assert.Equal(HttpStatusCode.OK, (await s3.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/trail-bucket"))).Status);
        var put = new HttpRequestMessage(HttpMethod.Put, "/trail-bucket/AWSLogs/a%20b.json.gz") { Content = new ByteArrayContent("log body"u8.ToArray()) };
        put.Headers.TryAddWithoutValidation("x-amz-meta-Source", "test");

        var stored = await s3.SendAsync(put);
        var got = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket/AWSLogs/a%20b.json.gz"));
        var head = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/trail-bucket/AWSLogs/a%20b.json.gz"));

        Assert.Equal(HttpStatusCode.OK, stored.Status);
        Assert.Equal("test", endpoint.S3.GetObject("trail-bucket", "AWSLogs/a b.json.gz")!.Metadata["source"]);
        Assert.Equal("log body", got.Body);
        Assert.Equal("test", got.Headers["x-amz-meta-source"]);
        Assert.Equal(stored.Headers["ETag"], got.Headers["ETag"]);
        Assert.True(got.Headers.ContainsKey("Last-Modified"));
        Assert.Equal(("", "8", "test"), (head.Body, head.Headers["Content-Length"], head.Headers["x-amz-meta-source"]));
    }

    [Fact]
    public async Task Missing_key_and_missing_bucket_answer_in_S3s_xml_error_shape()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.S3.CreateBucket("trail-bucket");
        using var s3 = new SignedAwsClient(endpoint, "s3");

        var noKey = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket/nope"));
        var noBucket = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/other-bucket?list-type=2"));
        var headNoKey = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/trail-bucket/nope"));

        Assert.Equal((HttpStatusCode.NotFound, "NoSuchKey"), (noKey.Status, noKey.ErrorCode));
        Assert.StartsWith("<Error><Code>NoSuchKey</Code>", noKey.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchBucket"), (noBucket.Status, noBucket.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, ""), (headNoKey.Status, headNoKey.Body));
    }

    [Fact]
    public async Task ListObjectsV2_pages_2500_keys_in_pages_of_at_most_1000()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var keys = Enumerable.Range(0, 2500).Select(i => $"AWSLogs/{i:D5}.json.gz").ToList();
        foreach (var key in keys)
        {
            endpoint.S3.PutObject("trail-bucket", key, [1]);
        }
        using var s3 = new SignedAwsClient(endpoint, "s3");

        var pageSizes = new List<int>();
        var listed = new List<string>();
        string? token = null;
        do
        {
            var query = token is null ? "" : "&continuation-token=" + Uri.EscapeDataString(token);
            var page = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&max-keys=5000" + query));
            var contents = page.XmlValues("Key");
            pageSizes.Add(contents.Count);
            listed.AddRange(contents);
            token = page.XmlValues("NextContinuationToken").SingleOrDefault();
            Assert.Equal(token is null ? "false" : "true", page.XmlValues("IsTruncated").Single());
        }
        while (token is not null);

        Assert.Equal([1000, 1000, 500], pageSizes);
        Assert.Equal(keys, listed);
    }

    [Fact]
    public async Task ListObjectsV2_applies_prefix_delimiter_and_start_after()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        foreach (var key in new[] { "AWSLogs/a/1", "AWSLogs/a/2", "AWSLogs/b/1", "AWSLogs/top", "Other/x" })
        {
            endpoint.S3.PutObject("trail-bucket", key, [1]);
        }
        using var s3 = new SignedAwsClient(endpoint, "s3");

        var grouped = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&prefix=AWSLogs%2F&delimiter=%2F"));
        var firstPage = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&prefix=AWSLogs%2F&delimiter=%2F&max-keys=1"));
        var secondPage = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&prefix=AWSLogs%2F&delimiter=%2F&max-keys=1&continuation-token=" + Uri.EscapeDataString(firstPage.XmlValues("NextContinuationToken").Single())));
        var after = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&start-after=AWSLogs%2Fb%2F1"));

        Assert.Equal(["AWSLogs/top"], grouped.XmlValues("Key"));
        Assert.Equal(["AWSLogs/", "AWSLogs/a/", "AWSLogs/b/"], grouped.XmlValues("Prefix"));
        Assert.Equal(["AWSLogs/", "AWSLogs/a/"], firstPage.XmlValues("Prefix"));
        Assert.Equal(["AWSLogs/", "AWSLogs/b/"], secondPage.XmlValues("Prefix"));
        Assert.Equal(["AWSLogs/top", "Other/x"], after.XmlValues("Key"));
    }

    [Fact]
    public async Task AmazonS3Client_can_put_get_head_and_list_objects()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.S3.CreateBucket("trail-bucket");
        using var client = new AmazonS3Client(
            new BasicAWSCredentials(LocalAwsCredential.Default.AccessKeyId, LocalAwsCredential.Default.SecretAccessKey),
            new AmazonS3Config { ServiceURL = endpoint.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = endpoint.Options.Region });

        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "trail-bucket",
            Key = "AWSLogs/111122223333/log.json",
            ContentBody = "{\"Records\":[]}",
            Metadata = { ["origin"] = "sdk" },
        });
        using var got = await client.GetObjectAsync("trail-bucket", "AWSLogs/111122223333/log.json");
        using var reader = new StreamReader(got.ResponseStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var head = await client.GetObjectMetadataAsync("trail-bucket", "AWSLogs/111122223333/log.json");
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "trail-bucket", Prefix = "AWSLogs/" });

        Assert.Equal("{\"Records\":[]}", body);
        Assert.Equal("{\"Records\":[]}", Encoding.UTF8.GetString(endpoint.S3.GetObject("trail-bucket", "AWSLogs/111122223333/log.json")!.Content));
        Assert.Equal("sdk", endpoint.S3.GetObject("trail-bucket", "AWSLogs/111122223333/log.json")!.Metadata["origin"]);
        Assert.Equal("sdk", head.Metadata["x-amz-meta-origin"]);
        Assert.Equal(14, head.ContentLength);
        Assert.Equal(["AWSLogs/111122223333/log.json"], listed.S3Objects.Select(o => o.Key));
        // The SDK streams PutObject bodies aws-chunked; the stored content above proves they were decoded.
        Assert.Equal("aws-chunked", endpoint.Requests.Of("s3", "PutObject").Single().Parameters.GetProperty("ContentEncoding").GetString());
    }

    [Fact]
    public async Task Put_with_a_Content_MD5_that_does_not_match_the_body_is_BadDigest()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.S3.CreateBucket("trail-bucket");
        using var s3 = new SignedAwsClient(endpoint, "s3");
        var put = new HttpRequestMessage(HttpMethod.Put, "/trail-bucket/key") { Content = new ByteArrayContent("body"u8.ToArray()) };
        put.Content.Headers.ContentMD5 = System.Security.Cryptography.MD5.HashData("other"u8);

        var answer = await s3.SendAsync(put);

        Assert.Equal("BadDigest", answer.ErrorCode);
        Assert.Empty(endpoint.S3.Keys("trail-bucket"));
    }
}
