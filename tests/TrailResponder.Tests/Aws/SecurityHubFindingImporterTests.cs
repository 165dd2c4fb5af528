using System.Net;
using System.Text;
using System.Text.Json;
using TrailResponder.Aws;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Tests.Aws;

public class SecurityHubFindingImporterTests
{
    private const string AllImported = "{\"FailedCount\":0,\"SuccessCount\":1,\"FailedFindings\":[]}";

    private static AsffFinding Finding(int n) =>
        new($"trailresponder/eu-west-1/111122223333/sg-open/sgr-{n}", Encoding.UTF8.GetBytes($"{{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"trailresponder/eu-west-1/111122223333/sg-open/sgr-{n}\",\"Title\":\"t\\u00e9 {n}\"}}"));

    private static List<AsffFinding> Findings(int count) => Enumerable.Range(1, count).Select(Finding).ToList();

    private static HttpResponseMessage Imported() => CapturingTransport.Json(HttpStatusCode.OK, AllImported, "application/json");

    private static HttpResponseMessage Failed(params (string Id, string Code, string Message)[] failures) =>
        CapturingTransport.Json(
            HttpStatusCode.OK,
            JsonSerializer.Serialize(new
            {
                FailedCount = failures.Length,
                SuccessCount = 0,
                FailedFindings = failures.Select(f => new { f.Id, ErrorCode = f.Code, ErrorMessage = f.Message }),
            }),
            "application/json");

    private static HttpResponseMessage Throttled(string code = "LimitExceededException")
    {
        var response = CapturingTransport.Json(HttpStatusCode.TooManyRequests, $"{{\"Code\":\"{code}\",\"Message\":\"Rate exceeded\"}}", "application/json");
        response.Headers.Add("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazonaws.securityhub/");
        return response;
    }

    private static IReadOnlyList<string> SentIds(CapturedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return body.RootElement.GetProperty("Findings").EnumerateArray().Select(f => f.GetProperty("Id").GetString()!).ToList();
    }

    [Fact]
    public async Task Import_posts_the_findings_as_given_to_findings_import_signed_for_securityhub()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(Imported));
        var findings = Findings(2);

        await rig.Clients.FindingImporter().ImportAsync(findings, CancellationToken.None);

        var request = Assert.Single(rig.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://securityhub.eu-west-1.amazonaws.com/findings/import"), request.Uri);
        Assert.Equal("application/json", request.Header("Content-Type"));
        var expected = "{\"Findings\":[" + string.Join(",", findings.Select(f => Encoding.UTF8.GetString(f.Json.Span))) + "]}";
        Assert.Equal(expected, request.BodyText);
        SnsNotificationPublisherTests.AssertSigned(request, "eu-west-1", "securityhub");
    }

    [Fact]
    public async Task Findings_go_in_batches_of_at_most_one_hundred_in_order()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(Imported));
        var findings = Findings(250);

        await rig.Clients.FindingImporter().ImportAsync(findings, CancellationToken.None);

        Assert.Equal([100, 100, 50], rig.Requests.Select(r => SentIds(r).Count));
        Assert.Equal(findings.Select(f => f.Id), rig.Requests.SelectMany(SentIds));
    }

    [Fact]
    public async Task Batches_are_also_split_to_stay_under_the_request_size_limit()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(Imported));
        var findings = Findings(10);
        var oneFinding = findings[0].Json.Length + 1;

        await rig.Clients.FindingImporter(new SecurityHubImportOptions { MaxBatchBytes = (oneFinding * 4) + 2 }).ImportAsync(findings, CancellationToken.None);

        Assert.Equal([4, 4, 2], rig.Requests.Select(r => SentIds(r).Count));
    }

    [Fact]
    public async Task A_burst_of_thirty_calls_goes_out_at_once_and_later_calls_are_paced_to_ten_per_second()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(Imported));

        await rig.Clients.FindingImporter().ImportAsync(Findings(3500), CancellationToken.None);

        Assert.Equal(35, rig.Requests.Count);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 5), rig.Delays);
    }

    [Fact]
    public async Task Pacing_spans_imports_because_the_importer_is_shared()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(Imported));

        await rig.Clients.FindingImporter().ImportAsync(Findings(3000), CancellationToken.None);
        await rig.Clients.FindingImporter().ImportAsync(Findings(1), CancellationToken.None);

        Assert.Same(rig.Clients.FindingImporter(), rig.Clients.FindingImporter());
        Assert.Equal([TimeSpan.FromMilliseconds(100)], rig.Delays);
    }

    [Theory]
    [InlineData("LimitExceededException")]
    [InlineData("TooManyRequestsException")]
    public async Task A_batch_still_throttled_after_the_http_retries_is_backed_off_and_sent_again(string code)
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Throttled(code), () => Throttled(code), () => Throttled(code), Imported));

        await rig.Clients.FindingImporter().ImportAsync(Findings(3), CancellationToken.None);

        Assert.Equal(4, rig.Requests.Count);
        Assert.All(rig.Requests, r => Assert.Equal(3, SentIds(r).Count));
        // HTTP retries (0.5 s, 1 s), then the importer's own backoff (0.5 × 2 s).
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], rig.Delays);
    }

    [Fact]
    public async Task After_throttling_the_burst_allowance_is_gone_and_calls_follow_the_sustained_rate()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Throttled(), () => Throttled(), () => Throttled(), Imported));

        await rig.Clients.FindingImporter().ImportAsync(Findings(1500), CancellationToken.None);

        // The 1 s backoff refilled 10 calls' worth: the resent batch and 9 more go at once, the last 5 wait 0.1 s each.
        Assert.Equal(15 + 3, rig.Requests.Count);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 5), rig.Delays.Skip(3));
    }

    [Fact]
    public async Task Failed_findings_are_sent_again_alone_after_a_backoff()
    {
        var findings = Findings(3);
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Failed((findings[1].Id, "InternalFailure", "try again")), Imported));

        await rig.Clients.FindingImporter().ImportAsync(findings, CancellationToken.None);

        Assert.Equal(2, rig.Requests.Count);
        Assert.Equal([findings[1].Id], SentIds(rig.Requests[1]));
        Assert.Equal([TimeSpan.FromSeconds(0.5)], rig.Delays);
    }

    [Fact]
    public async Task Findings_that_keep_failing_are_named_with_their_codes_and_messages()
    {
        var findings = Findings(2);
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Failed((findings[0].Id, "InvalidInput", "Finding does not adhere to Amazon Finding Format."))));

        var error = await Assert.ThrowsAsync<FindingImportException>(() => rig.Clients.FindingImporter().ImportAsync(findings, CancellationToken.None));

        var failure = Assert.Single(error.Failures);
        Assert.Equal(new FailedFinding(findings[0].Id, "InvalidInput", "Finding does not adhere to Amazon Finding Format."), failure);
        Assert.Contains(findings[0].Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidInput", error.Message, StringComparison.Ordinal);
        Assert.Contains("Finding does not adhere to Amazon Finding Format.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SchemaVersion", error.Message, StringComparison.Ordinal);
        // The first import and three retry rounds, each round backing off longer.
        Assert.Equal(4, rig.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], rig.Delays);
    }

    [Fact]
    public async Task A_failed_count_without_a_list_is_not_taken_for_success()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => CapturingTransport.Json(HttpStatusCode.OK, "{\"FailedCount\":2,\"SuccessCount\":0}", "application/json")));

        var error = await Assert.ThrowsAsync<FindingImportException>(() => rig.Clients.FindingImporter().ImportAsync(Findings(2), CancellationToken.None));

        Assert.Contains("2 failed finding(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_errors_that_are_not_throttling_throw_at_once()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() =>
        {
            var response = CapturingTransport.Json(HttpStatusCode.Unauthorized, "{\"Code\":\"InvalidAccessException\",\"Message\":\"Account is not subscribed to AWS Security Hub\"}", "application/json");
            response.Headers.Add("x-amzn-ErrorType", "InvalidAccessException");
            return response;
        }));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.FindingImporter().ImportAsync(Findings(1), CancellationToken.None));

        Assert.Equal("InvalidAccessException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatus);
        Assert.Single(rig.Requests);
    }

    [Fact]
    public async Task No_findings_means_no_call()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(Imported));

        await rig.Clients.FindingImporter().ImportAsync([], CancellationToken.None);

        Assert.Empty(rig.Requests);
    }
}
