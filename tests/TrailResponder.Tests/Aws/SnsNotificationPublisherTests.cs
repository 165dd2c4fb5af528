using System.Net;
using System.Text;
using TrailResponder.Aws;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Tests.Aws;

public class SnsNotificationPublisherTests
{
    private const string TopicArn = "arn:aws:sns:eu-central-1:111122223333:trail-findings";
    private const string PublishOk = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>";

    private static AwsTestRig Rig(IReadOnlyDictionary<string, string?>? environment = null) =>
        new(CapturingTransport.Answering(() => CapturingTransport.Xml(HttpStatusCode.OK, PublishOk)), environment);

    [Fact]
    public async Task Publish_is_a_signed_form_post_to_the_topics_region()
    {
        using var rig = Rig();

        await rig.Clients.NotificationPublisher(TopicArn).PublishAsync(new Notification("SG revoked", "hello world: a/b"), CancellationToken.None);

        var request = Assert.Single(rig.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://sns.eu-central-1.amazonaws.com/"), request.Uri);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(
            [
                new("Action", "Publish"),
                new("Version", "2010-03-31"),
                new("TopicArn", TopicArn),
                new("Subject", "SG revoked"),
                new("Message", "hello world: a/b"),
            ],
            request.Form);
        Assert.Contains("Subject=SG+revoked", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("TopicArn=arn%3Aaws%3Asns%3Aeu-central-1", request.BodyText, StringComparison.Ordinal);
        AssertSigned(request, "eu-central-1", "sns");
    }

    [Fact]
    public async Task Overridden_endpoint_is_called_but_the_signature_keeps_the_real_service_and_region()
    {
        using var rig = Rig(new Dictionary<string, string?> { ["AWS_REGION"] = "eu-west-1", ["AWS_ENDPOINT_URL"] = "http://localhost:4566" });

        await rig.Clients.NotificationPublisher(TopicArn).PublishAsync(new Notification("s", "b"), CancellationToken.None);

        var request = Assert.Single(rig.Requests);
        Assert.Equal(new Uri("http://localhost:4566/"), request.Uri);
        AssertSigned(request, "eu-central-1", "sns");
    }

    [Theory]
    [InlineData("Alert:\r\nline two", "Alert: line two")]
    [InlineData("  leading\tand   runs  ", "leading and runs")]
    [InlineData("caf\u00e9 \u2013 ok", "caf? ? ok")]
    [InlineData("bell\u0007here", "bell here")]
    public void Subjects_are_made_printable_ascii_on_one_line(string subject, string expected)
    {
        Assert.Equal(expected, SnsNotificationPublisher.SanitizeSubject(subject));
    }

    [Fact]
    public void Subjects_are_cut_below_one_hundred_characters()
    {
        var subject = SnsNotificationPublisher.SanitizeSubject(new string('x', 150));

        Assert.Equal(99, subject!.Length);
    }

    [Fact]
    public async Task A_subject_with_nothing_printable_is_left_out()
    {
        using var rig = Rig();

        await rig.Clients.NotificationPublisher(TopicArn).PublishAsync(new Notification(" \r\n ", "body"), CancellationToken.None);

        Assert.Null(Assert.Single(rig.Requests).FormValue("Subject"));
    }

    [Fact]
    public void Oversized_bodies_are_cut_on_a_character_boundary_within_the_byte_limit()
    {
        var body = new string('\u00e9', SnsNotificationPublisher.MaxMessageBytes);

        var fitted = SnsNotificationPublisher.FitMessage(body);

        Assert.True(Encoding.UTF8.GetByteCount(fitted) <= SnsNotificationPublisher.MaxMessageBytes);
        Assert.EndsWith("[message truncated to SNS's size limit]", fitted, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', fitted);
    }

    [Fact]
    public void Bodies_within_the_limit_are_sent_unchanged()
    {
        var body = new string('a', SnsNotificationPublisher.MaxMessageBytes);

        Assert.Same(body, SnsNotificationPublisher.FitMessage(body));
    }

    [Fact]
    public void A_topic_arn_that_is_not_an_sns_arn_is_rejected()
    {
        using var rig = Rig();

        Assert.Throws<ArgumentException>(() => rig.Clients.NotificationPublisher("arn:aws:sqs:eu-west-1:111122223333:queue"));
    }

    internal static void AssertSigned(CapturedRequest request, string region, string service)
    {
        var authorization = Assert.Single(request.Headers["Authorization"]);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={AwsTestRig.AccessKey}/", authorization, StringComparison.Ordinal);
        Assert.Contains($"/{region}/{service}/aws4_request, SignedHeaders=", authorization, StringComparison.Ordinal);
        Assert.Contains("host", authorization, StringComparison.Ordinal);
        Assert.Contains("Signature=", authorization, StringComparison.Ordinal);
        Assert.NotNull(request.Header("X-Amz-Date"));
        Assert.NotNull(request.Header("X-Amz-Content-SHA256"));
    }
}
