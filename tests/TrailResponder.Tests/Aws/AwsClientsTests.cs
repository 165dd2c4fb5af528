using System.Net;
using Amazon.Runtime;
using TrailResponder.Aws;

namespace TrailResponder.Tests.Aws;

public class AwsClientsTests
{
    [Fact]
    public void Building_without_aws_region_fails_naming_the_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AwsClients.FromEnvironment(new Dictionary<string, string?>(), new BasicAWSCredentials("test", "test")));

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_hand_written_client_goes_through_the_one_transport_with_its_own_signing_name()
    {
        var transport = new CapturingTransport((request, _, _) => Task.FromResult(request.Uri.AbsolutePath == "/findings/import"
            ? CapturingTransport.Json(HttpStatusCode.OK, "{\"FailedCount\":0,\"SuccessCount\":1}", "application/json")
            : request.Header("X-Amz-Target") is not null
                ? CapturingTransport.Json(HttpStatusCode.OK, "{\"PublicKeyList\":[]}")
                : CapturingTransport.Xml(HttpStatusCode.OK, request.FormValue("Action") == "Publish"
                    ? "<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>"
                    : "<DescribeSecurityGroupRulesResponse><securityGroupRuleSet/></DescribeSecurityGroupRulesResponse>")));
        using var rig = new AwsTestRig(transport);

        await rig.Clients.NotificationPublisher("arn:aws:sns:eu-west-1:111122223333:t").PublishAsync(new("s", "b"), CancellationToken.None);
        await rig.Clients.SecurityGroups().DescribeRulesAsync("sg-1", CancellationToken.None);
        await rig.Clients.FindingImporter().ImportAsync([new("id", "{\"Id\":\"id\"}"u8.ToArray())], CancellationToken.None);
        await rig.Clients.PublicKeys().ListPublicKeysAsync("eu-west-1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), CancellationToken.None);

        Assert.Equal(
            ["/eu-west-1/sns/", "/eu-west-1/ec2/", "/eu-west-1/securityhub/", "/eu-west-1/cloudtrail/"],
            rig.Requests.Select(r => Scope(Assert.Single(r.Headers["Authorization"]))));
    }

    [Fact]
    public void The_process_environment_snapshot_holds_the_process_variables()
    {
        var snapshot = AwsClients.ProcessEnvironment();

        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), snapshot.GetValueOrDefault("PATH"));
    }

    [Fact]
    public void S3_uses_path_style_only_against_an_overridden_endpoint()
    {
        using var regional = new AwsTestRig(CapturingTransport.Answering(() => new HttpResponseMessage(HttpStatusCode.OK)));
        using var local = new AwsTestRig(
            CapturingTransport.Answering(() => new HttpResponseMessage(HttpStatusCode.OK)),
            new Dictionary<string, string?> { ["AWS_REGION"] = "eu-west-1", ["AWS_ENDPOINT_URL"] = "http://localhost:4566" });

        Assert.False(regional.Clients.S3Config().ForcePathStyle);
        Assert.Equal("eu-west-1", regional.Clients.S3Config().RegionEndpoint.SystemName);
        Assert.True(local.Clients.S3Config().ForcePathStyle);
        Assert.Equal("http://localhost:4566/", local.Clients.S3Config().ServiceURL);
        Assert.Equal("eu-west-1", local.Clients.S3Config().AuthenticationRegion);
    }

    private static string Scope(string authorization)
    {
        var credential = authorization.Split(' ')[1];
        var parts = credential.Split('/');
        return $"/{parts[2]}/{parts[3]}/";
    }
}
