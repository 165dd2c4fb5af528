using System.Net;
using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Tests.Aws;

public class AwsRetryHandlerTests
{
    private const string TopicArn = "arn:aws:sns:eu-west-1:111122223333:trail-findings";
    private const string PublishOk = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>";

    private static readonly Notification Sample = new("SG revoked", "hello world");

    private static HttpResponseMessage SnsError(HttpStatusCode status, string code) =>
        CapturingTransport.Xml(status, $"<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message></Error><RequestId>r-err</RequestId></ErrorResponse>");

    private static HttpResponseMessage Ok() => CapturingTransport.Xml(HttpStatusCode.OK, PublishOk);

    public static TheoryData<HttpStatusCode, string> RetryableErrors => new()
    {
        { HttpStatusCode.BadRequest, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>" },
        { HttpStatusCode.TooManyRequests, "<ErrorResponse><Error><Code>Throttled</Code><Message>slow down</Message></Error></ErrorResponse>" },
        { HttpStatusCode.BadRequest, "{\"__type\":\"com.amazonaws.cloudtrail.v20131101#ThrottlingException\",\"message\":\"Rate exceeded\"}" },
        { HttpStatusCode.ServiceUnavailable, "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>" },
        { HttpStatusCode.InternalServerError, "<ErrorResponse><Error><Code>InternalError</Code><Message>oops</Message></Error></ErrorResponse>" },
        { HttpStatusCode.BadGateway, "" },
        { HttpStatusCode.ServiceUnavailable, "<html><body>Service Unavailable</body></html>" },
        { HttpStatusCode.GatewayTimeout, "" },
        { HttpStatusCode.TooManyRequests, "{}" },
        { HttpStatusCode.BadRequest, "<ErrorResponse><Error><Code>RequestTimeout</Code><Message>late</Message></Error></ErrorResponse>" },
    };

    public static TheoryData<HttpStatusCode, string> PermanentErrors => new()
    {
        { HttpStatusCode.BadRequest, "InvalidParameter" },
        { HttpStatusCode.Forbidden, "AuthorizationError" },
        { HttpStatusCode.NotFound, "NotFound" },
        { HttpStatusCode.Forbidden, "InvalidClientTokenId" },
        { HttpStatusCode.BadRequest, "ValidationException" },
    };

    [Theory]
    [MemberData(nameof(RetryableErrors))]
    public async Task Throttling_transient_codes_and_5xx_statuses_are_retried_until_success(HttpStatusCode status, string body)
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => CapturingTransport.Text(status, body, "text/xml"), Ok));

        await rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None);

        Assert.Equal(2, rig.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(0.5)], rig.Delays);
    }

    [Theory]
    [MemberData(nameof(PermanentErrors))]
    public async Task Other_client_errors_are_not_retried(HttpStatusCode status, string code)
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => SnsError(status, code), Ok));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None));

        Assert.Equal(code, error.ErrorCode);
        Assert.Single(rig.Requests);
        Assert.Empty(rig.Delays);
    }

    [Fact]
    public async Task Three_attempts_are_the_cap_and_the_last_error_is_reported()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => SnsError(HttpStatusCode.InternalServerError, "InternalError")));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None));

        Assert.Equal(3, rig.Requests.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, error.HttpStatus);
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal("r-err", error.RequestId);
    }

    [Fact]
    public async Task Backoff_before_each_retry_is_full_jitter_doubling_per_retry()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => SnsError(HttpStatusCode.BadRequest, "Throttling")));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None));

        // Jitter is fixed at 0.5: retry 1 waits 0.5 × 1 s, retry 2 waits 0.5 × 2 s.
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)], rig.Delays);
        Assert.True(error.IsThrottling);
    }

    [Fact]
    public void Backoff_is_capped_at_twenty_seconds()
    {
        var options = new AwsRetryOptions { Jitter = () => 0.999 };

        Assert.Equal(TimeSpan.FromSeconds(0.999 * 20), options.BackoffBefore(12));
        Assert.Equal(TimeSpan.FromSeconds(0.999 * 4), options.BackoffBefore(3));
    }

    [Fact]
    public void Backoff_can_be_zero_because_the_jitter_is_full()
    {
        var options = new AwsRetryOptions { Jitter = () => 0 };

        Assert.Equal(TimeSpan.Zero, options.BackoffBefore(2));
    }

    [Fact]
    public async Task Every_attempt_is_signed_again_with_the_credentials_current_at_that_attempt()
    {
        var credentials = new RotatingCredentials();
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => SnsError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable"), Ok), credentials: credentials);

        await rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None);

        var authorizations = rig.Requests.Select(r => Assert.Single(r.Headers["Authorization"])).ToList();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDROTATED1/", authorizations[0], StringComparison.Ordinal);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDROTATED2/", authorizations[1], StringComparison.Ordinal);
        Assert.All(rig.Requests, r => Assert.Equal(Sample.Body, r.FormValue("Message")));
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried()
    {
        var transport = new CapturingTransport(async (_, index, cancellationToken) =>
        {
            if (index == 0)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return Ok();
        });
        using var rig = new AwsTestRig(transport, adjust: o => o with { AttemptTimeout = TimeSpan.FromMilliseconds(20), TimeProvider = TimeProvider.System });

        await rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None);

        Assert.Equal(2, rig.Requests.Count);
    }

    [Fact]
    public async Task Timeouts_on_every_attempt_end_as_a_request_timeout_error()
    {
        var transport = new CapturingTransport(async (_, _, cancellationToken) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return Ok();
        });
        using var rig = new AwsTestRig(transport, adjust: o => o with { AttemptTimeout = TimeSpan.FromMilliseconds(20), TimeProvider = TimeProvider.System });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None));

        Assert.Equal(AwsServiceException.TimeoutErrorCode, error.ErrorCode);
        Assert.Null(error.HttpStatus);
        Assert.Equal(3, rig.Requests.Count);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried()
    {
        using var caller = new CancellationTokenSource();
        var transport = new CapturingTransport(async (_, _, cancellationToken) =>
        {
            await caller.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return Ok();
        });
        using var rig = new AwsTestRig(transport);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, caller.Token));

        Assert.Single(rig.Requests);
        Assert.Empty(rig.Delays);
    }

    [Fact]
    public async Task Network_errors_are_retried_and_reported_without_a_status_when_they_persist()
    {
        var transport = new CapturingTransport((_, _, _) => throw new HttpRequestException("connection refused", new IOException("socket closed")));
        using var rig = new AwsTestRig(transport);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None));

        Assert.Equal(AwsServiceException.NetworkErrorCode, error.ErrorCode);
        Assert.Null(error.HttpStatus);
        Assert.Equal(3, rig.Requests.Count);
    }

    [Fact]
    public async Task Bare_io_errors_are_retried_and_reported_as_network_errors()
    {
        var transport = new CapturingTransport((_, _, _) => throw new IOException("broken pipe"));
        using var rig = new AwsTestRig(transport);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None));

        Assert.Equal(AwsServiceException.NetworkErrorCode, error.ErrorCode);
        Assert.Equal(3, rig.Requests.Count);
    }

    [Fact]
    public async Task A_single_network_error_is_absorbed_by_a_retry()
    {
        var transport = new CapturingTransport((_, index, _) => index == 0 ? throw new HttpRequestException("reset") : Task.FromResult(Ok()));
        using var rig = new AwsTestRig(transport);

        await rig.Clients.NotificationPublisher(TopicArn).PublishAsync(Sample, CancellationToken.None);

        Assert.Equal(2, rig.Requests.Count);
    }

    [Fact]
    public async Task Error_messages_carry_no_credentials_headers_or_request_bodies()
    {
        var credentials = new SessionAWSCredentials(AwsTestRig.AccessKey, AwsTestRig.SecretKey, "SESSIONTOKENSECRET");
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => SnsError(HttpStatusCode.BadRequest, "InvalidParameter")), credentials: credentials);
        var secretBody = new Notification("subject", "the body must stay out of logs");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.NotificationPublisher(TopicArn).PublishAsync(secretBody, CancellationToken.None));

        Assert.Equal("SESSIONTOKENSECRET", Assert.Single(rig.Requests[0].Headers["X-Amz-Security-Token"]));
        var text = error.ToString();
        Assert.DoesNotContain(AwsTestRig.SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("SESSIONTOKENSECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Signature=", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secretBody.Body, text, StringComparison.Ordinal);
        Assert.Equal("sns Publish failed (HTTP 400, InvalidParameter, request id r-err): m", error.Message);
    }

    /// <summary>Credentials that change on every resolution, as rotated Lambda credentials would between attempts.</summary>
    private sealed class RotatingCredentials : AWSCredentials
    {
        private int resolutions;

        public override ImmutableCredentials GetCredentials()
        {
            var n = Interlocked.Increment(ref resolutions);
            return new ImmutableCredentials($"AKIDROTATED{n}", "secret" + n, null);
        }
    }
}
