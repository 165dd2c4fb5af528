using System.Globalization;
using System.Net;
using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.LocalAws;
using TrailResponder.Tests.LocalAws;

namespace TrailResponder.Tests.Integration;

/// <summary>A local AWS endpoint per test class, and the environment that points the functions at it.</summary>
public abstract class LocalAwsTest : IAsyncLifetime
{
    protected const string Bucket = "trailresponder-sample-trail";
    protected const string Key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0905Z_Q7xYz9AbCdEf1234.json.gz";

    protected LocalAwsEndpoint Endpoint { get; private set; } = null!;

    protected string Topic { get; private set; } = null!;

    protected StringWriter Log { get; } = new();

    /// <summary>The endpoint's credentials, as the functions' default credential chain would find them in Lambda.</summary>
    protected static AWSCredentials Credentials { get; } = new BasicAWSCredentials(LocalAwsCredential.Default.AccessKeyId, LocalAwsCredential.Default.SecretAccessKey);

    /// <summary>Real retries and pacing, without the real waits.</summary>
    protected static AwsRetryOptions Retry { get; } = new() { Delay = (_, _) => Task.CompletedTask };

    public async Task InitializeAsync()
    {
        Endpoint = await LocalAwsEndpoint.StartAsync();
        Topic = Endpoint.Sns.CreateTopic("trailresponder-findings");
        Endpoint.S3.CreateBucket(Bucket);
    }

    public async Task DisposeAsync() => await Endpoint.DisposeAsync();

    /// <summary>What the template gives a function, pointed at the local endpoint.</summary>
    protected Dictionary<string, string?> Environment(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_REGION"] = Endpoint.Options.Region,
            ["AWS_ENDPOINT_URL"] = Endpoint.Url.ToString(),
            ["ACCOUNT_ID"] = Endpoint.Options.AccountId,
            ["FINDINGS_TOPIC_ARN"] = Topic,
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>What the console's "Edit inbound rules" sends: ModifySecurityGroupRules, so the rule keeps its id and direction.</summary>
    protected async Task EditRuleAsync(string groupId, string ruleId, int fromPort, int toPort, string cidr)
    {
        using var ec2 = new SignedAwsClient(Endpoint, "ec2");
        var answer = await ec2.PostFormAsync(
            ("Action", "ModifySecurityGroupRules"), ("Version", "2016-11-15"), ("GroupId", groupId),
            ("SecurityGroupRule.1.SecurityGroupRuleId", ruleId),
            ("SecurityGroupRule.1.SecurityGroupRule.IpProtocol", "tcp"),
            ("SecurityGroupRule.1.SecurityGroupRule.FromPort", fromPort.ToString(CultureInfo.InvariantCulture)),
            ("SecurityGroupRule.1.SecurityGroupRule.ToPort", toPort.ToString(CultureInfo.InvariantCulture)),
            ("SecurityGroupRule.1.SecurityGroupRule.CidrIpv4", cidr));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    protected static Stream Event(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", name));
}
