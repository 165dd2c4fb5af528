using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsSignatureTests
{
    private static (string, string)[] PublishTo(string topicArn) =>
        [("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topicArn), ("Message", "hello")];

    [Fact]
    public async Task Correctly_signed_publish_is_accepted_and_logged()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("findings");
        using var client = new SignedAwsClient(endpoint, "sns");

        var answer = await client.PostFormAsync(PublishTo(topic));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var logged = Assert.Single(endpoint.Requests.All);
        Assert.Equal(("sns", "Publish", 200, (string?)null), (logged.Service, logged.Operation, logged.StatusCode, logged.ErrorCode));
        Assert.Equal(topic, logged.Parameters.GetProperty("TopicArn").GetString());
    }

    [Fact]
    public async Task Session_token_is_required_when_the_configured_key_has_one()
    {
        var credential = new LocalAwsCredential("ASIALOCALTEST", "session-secret", "the-token");
        await using var endpoint = await LocalAwsEndpoint.StartAsync(new LocalAwsOptions { Credentials = [credential] });
        var topic = endpoint.Sns.CreateTopic("findings");
        using var withToken = new SignedAwsClient(endpoint, "sns", new SessionAWSCredentials("ASIALOCALTEST", "session-secret", "the-token"));
        using var withoutToken = new SignedAwsClient(endpoint, "sns", new BasicAWSCredentials("ASIALOCALTEST", "session-secret"));

        Assert.Equal(HttpStatusCode.OK, (await withToken.PostFormAsync(PublishTo(topic))).Status);
        var refused = await withoutToken.PostFormAsync(PublishTo(topic));

        Assert.Equal("InvalidClientTokenId", refused.ErrorCode);
        Assert.Single(endpoint.Sns.Messages(topic));
    }

    [Fact]
    public async Task Session_token_is_accepted_when_the_configured_key_has_none()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("findings");
        using var client = new SignedAwsClient(endpoint, "sns", new SessionAWSCredentials("AKIDLOCALTEST", "local-test-secret", "any-token"));

        var answer = await client.PostFormAsync(PublishTo(topic));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Scope_date_that_differs_from_X_Amz_Date_is_refused()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var uri = new Uri(endpoint.Url, "/");
        const string target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListPublicKeys";
        var signingRequest = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri, Content = "{}"u8.ToArray() };
        signingRequest.Headers["X-Amz-Target"] = target;
        var signedYesterday = AWSSigV4Signer.Sign(signingRequest, new AWSSigV4Parameters
        {
            Credentials = SignedAwsClient.DefaultCredentials,
            Region = RegionEndpoint.USEast1,
            Service = "cloudtrail",
            SignedAt = DateTime.UtcNow.AddDays(-1),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("Authorization", signedYesterday.Headers["Authorization"]);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        using var http = new HttpClient();

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("InvalidSignatureException", body, StringComparison.Ordinal);
        Assert.Contains("Date in Credential scope does not match", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_secret_is_refused_with_SignatureDoesNotMatch()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("findings");
        using var client = new SignedAwsClient(endpoint, "sns", new BasicAWSCredentials("AKIDLOCALTEST", "not-the-secret"));

        var answer = await client.PostFormAsync(PublishTo(topic));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("SignatureDoesNotMatch", answer.ErrorCode);
        Assert.Contains("<Type>Sender</Type>", answer.Body, StringComparison.Ordinal);
        Assert.Empty(endpoint.Sns.Messages(topic));
    }

    [Fact]
    public async Task Unknown_access_key_is_refused_in_each_services_own_words()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var stranger = new BasicAWSCredentials("AKIDSTRANGER", "local-test-secret");
        using var sns = new SignedAwsClient(endpoint, "sns", stranger);
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail", stranger);
        using var s3 = new SignedAwsClient(endpoint, "s3", stranger);

        Assert.Equal("InvalidClientTokenId", (await sns.PostFormAsync(PublishTo("arn:aws:sns:us-east-1:000000000000:x"))).ErrorCode);
        Assert.Equal("UnrecognizedClientException", (await cloudTrail.CloudTrailAsync("ListPublicKeys", "{}")).ErrorCode);
        Assert.Equal("InvalidAccessKeyId", (await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/bucket/key"))).ErrorCode);
    }

    [Fact]
    public async Task Scope_for_another_region_is_refused()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("findings");
        using var client = new SignedAwsClient(endpoint, "sns", region: "eu-west-1");

        var answer = await client.PostFormAsync(PublishTo(topic));

        Assert.Equal("SignatureDoesNotMatch", answer.ErrorCode);
        Assert.Contains("region", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope_for_another_service_is_refused()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("findings");
        using var asEc2 = new SignedAwsClient(endpoint, "ec2");
        using var asSqs = new SignedAwsClient(endpoint, "sqs");

        var signedForEc2 = await asEc2.PostFormAsync(PublishTo(topic));
        var signedForSqs = await asSqs.PostFormAsync(PublishTo(topic));

        Assert.Equal("SignatureDoesNotMatch", signedForEc2.ErrorCode);
        Assert.Contains("correct service: 'sns'", signedForEc2.Body, StringComparison.Ordinal);
        Assert.Equal("SignatureDoesNotMatch", signedForSqs.ErrorCode);
        Assert.Empty(endpoint.Sns.Messages(topic));
    }

    [Fact]
    public async Task Signature_older_than_fifteen_minutes_is_refused_as_expired()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("findings");
        var body = Encoding.UTF8.GetBytes($"Action=Publish&Version=2010-03-31&TopicArn={Uri.EscapeDataString(topic)}&Message=hi");
        var uri = new Uri(endpoint.Url, "/");
        var signingRequest = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri, Content = body };
        signingRequest.Headers["Content-Type"] = "application/x-www-form-urlencoded";
        var signed = AWSSigV4Signer.Sign(signingRequest, new AWSSigV4Parameters
        {
            Credentials = SignedAwsClient.DefaultCredentials,
            Region = RegionEndpoint.USEast1,
            Service = "sns",
            SignedAt = DateTime.UtcNow.AddMinutes(-20),
        });
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var http = new HttpClient();

        using var response = await http.SendAsync(request);
        var answer = new AwsAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), new Dictionary<string, string>());

        Assert.Equal("RequestExpired", answer.ErrorCode);
        Assert.Empty(endpoint.Sns.Messages(topic));
    }

    [Fact]
    public async Task Unsigned_request_and_malformed_authorization_are_refused()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var http = new HttpClient { BaseAddress = endpoint.Url };
        var malformed = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent([KeyValuePair.Create("Action", "Publish"), KeyValuePair.Create("Version", "2010-03-31")]) };
        malformed.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST/20250101/us-east-1/sns");
        malformed.Headers.TryAddWithoutValidation("X-Amz-Date", "20250101T000000Z");

        using var unsigned = await http.PostAsync("/", new FormUrlEncodedContent([KeyValuePair.Create("Action", "Publish"), KeyValuePair.Create("Version", "2010-03-31")]));
        using var incomplete = await http.SendAsync(malformed);

        Assert.Contains("<Code>MissingAuthenticationToken</Code>", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<Code>IncompleteSignature</Code>", await incomplete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_that_differs_from_its_signed_hash_is_refused_by_S3()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.S3.CreateBucket("trail");
        using var client = new SignedAwsClient(endpoint, "s3");
        var request = new HttpRequestMessage(HttpMethod.Put, "/trail/key") { Content = new ByteArrayContent("real body"u8.ToArray()) };
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", new string('0', 64));

        var answer = await client.SendAsync(request);

        Assert.Equal("XAmzContentSHA256Mismatch", answer.ErrorCode);
        Assert.Empty(endpoint.S3.Keys("trail"));
    }
}
