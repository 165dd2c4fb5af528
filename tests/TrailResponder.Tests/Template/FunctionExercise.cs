using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.DigestValidator;
using TrailResponder.LocalAws;
using TrailResponder.LogProcessor;
using TrailResponder.Responder;
using TrailResponder.SampleTrail;
using TrailResponder.Tests.Core.Digests;
using TrailResponder.Tests.DigestValidator;

namespace TrailResponder.Tests.Template;

/// <summary>One invocation of a function: what the endpoint held before it, and the event it receives.</summary>
/// <param name="Name">The events/ file, or what the derived scenario shows.</param>
/// <param name="Arrange">Puts what the event refers to in the endpoint and returns the event.</param>
public sealed record Scenario(string Name, Func<LocalAwsEndpoint, Stream> Arrange);

/// <summary>What running a function's scenarios did: the answers and every request the endpoint received.</summary>
/// <param name="Environment">The environment the template gave the function (resolved), plus the endpoint's.</param>
/// <param name="Requests">Every request the function made, in order, across all scenarios.</param>
/// <param name="Failures">Scenarios whose invocation threw, with the error.</param>
public sealed record Exercised(IReadOnlyDictionary<string, string?> Environment, IReadOnlyList<RecordedRequest> Requests, IReadOnlyList<string> Failures);

/// <summary>
/// Runs a function in-process against the local AWS endpoint with the environment the template gives it, once per
/// scenario: each sample event in events/ whose name starts with the function's prefix, plus derived events for code
/// paths the samples do not reach.
/// </summary>
public static class FunctionExercise
{
    /// <summary>The account the sample events name.</summary>
    public const string AccountId = "111122223333";

    /// <summary>The bucket the sample events name.</summary>
    public const string SampleBucket = "trailresponder-sample-trail";

    /// <summary>The log file the LogProcessor sample events name.</summary>
    public const string SampleKey = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0905Z_Q7xYz9AbCdEf1234.json.gz";

    /// <summary>The security group the scenarios put in EC2.</summary>
    public const string Group = "sg-0a1b2c3d4e5f60718";

    /// <summary>The role ARN the template's GetAtt of the responder's role stands for.</summary>
    public const string ResponderRoleArn = "arn:aws:iam::111122223333:role/trailresponder-SecurityGroupResponderFunctionRole-EXAMPLE";

    /// <summary>The bucket of the signed trail the DigestValidator scenarios deliver.</summary>
    public const string DigestTrailBucket = SignedTrailBuilder.Bucket;

    /// <summary>The trail whose digests they sign.</summary>
    public const string DigestTrailName = SignedTrailBuilder.TrailName;

    private static readonly DateTimeOffset BaseTime = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Which function each events/ prefix belongs to, by project folder.</summary>
    public static IReadOnlyDictionary<string, string> EventPrefixes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["logprocessor-"] = "LogProcessor",
        ["securitygroup-"] = "SecurityGroupResponder",
        ["digestvalidator-"] = "DigestValidator",
    };

    /// <summary>The folder of the user's rules the LogProcessor scenarios put in the sample bucket.</summary>
    public const string RulesPath = "trailresponder-rules/";

    /// <summary>
    /// The parameters that open every code path: revocations on, Security Hub on, the sample bucket as the existing trail
    /// bucket, and a folder of the user's rules in it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WidestParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DryRun"] = "false",
        ["SecurityHubEnabled"] = "true",
        ["TrailBucketName"] = SampleBucket,
        ["RulesBucket"] = SampleBucket,
        ["RulesPath"] = RulesPath,
    };

    /// <summary>
    /// <paramref name="parameters"/> with what a function's scenarios need on top: the DigestValidator's scenarios deliver
    /// a signed trail of their own, so they name its bucket and trail.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParametersFor(string folder, IReadOnlyDictionary<string, string> parameters)
    {
        var result = new Dictionary<string, string>(parameters, StringComparer.Ordinal);
        if (folder == "DigestValidator")
        {
            result["TrailBucketName"] = DigestTrailBucket;
            result["TrailName"] = DigestTrailName;
        }

        return result;
    }

    private static AWSCredentials Credentials { get; } = new BasicAWSCredentials(LocalAwsCredential.Default.AccessKeyId, LocalAwsCredential.Default.SecretAccessKey);

    private static AwsRetryOptions Retry { get; } = new() { Delay = (_, _) => Task.CompletedTask };

    /// <summary>The events/ files of the function in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> SampleEvents(string folder)
    {
        var prefix = EventPrefixes.Single(p => p.Value == folder).Key;
        return [.. Directory.EnumerateFiles(Path.Combine(SamTemplate.FindRepositoryRoot(), "events"), prefix + "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
    }

    /// <summary>Runs every scenario of <paramref name="function"/> with <paramref name="parameters"/>, each on a fresh endpoint.</summary>
    public static async Task<Exercised> RunAsync(SamTemplate template, SamFunction function, IReadOnlyDictionary<string, string> parameters)
    {
        var folder = Path.GetFileName(function.CodeUri);
        parameters = ParametersFor(folder, parameters);
        var requests = new List<RecordedRequest>();
        var failures = new List<string>();
        IReadOnlyDictionary<string, string?> environment = new Dictionary<string, string?>();
        foreach (var scenario in Scenarios(folder))
        {
            await using var endpoint = await LocalAwsEndpoint.StartAsync(new LocalAwsOptions { AccountId = AccountId });
            var topic = endpoint.Sns.CreateTopic("trailresponder-findings");
            endpoint.S3.CreateBucket(SampleBucket);
            environment = Environment(template, function, parameters, endpoint, topic);
            var input = scenario.Arrange(endpoint);
            try
            {
                await Invoke(folder, environment, input);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{scenario.Name}: {e.GetType().Name}: {e.Message}");
            }

            requests.AddRange(endpoint.Requests.All);
        }

        return new Exercised(environment, requests, failures);
    }

    /// <summary>The function's environment as the template resolves it for <paramref name="parameters"/>, pointed at the endpoint.</summary>
    public static Dictionary<string, string?> Environment(SamTemplate template, SamFunction function, IReadOnlyDictionary<string, string> parameters, LocalAwsEndpoint endpoint, string topic)
    {
        var evaluator = new TemplateEvaluator(
            template.Document,
            parameters,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["FindingsTopic"] = topic,
                ["SecurityGroupResponderFunctionRole.Arn"] = ResponderRoleArn,
            },
            AccountId,
            endpoint.Options.Region);
        var variables = evaluator.Resolve(function.Properties["Environment"]?["Variables"])?.AsObject() ?? [];
        var environment = variables.ToDictionary(v => v.Key, v => (string?)v.Value?.ToString(), StringComparer.Ordinal);
        environment["AWS_REGION"] = endpoint.Options.Region;
        environment["AWS_ENDPOINT_URL"] = endpoint.Url.ToString();
        return environment;
    }

    private static async Task Invoke(string folder, IReadOnlyDictionary<string, string?> environment, Stream input)
    {
        using var log = new StringWriter();
        switch (folder)
        {
            case "LogProcessor":
                await new TrailResponder.LogProcessor.Function(LogProcessorServices.FromEnvironment(environment, Credentials, log, Retry)).HandleAsync(input);
                break;
            case "SecurityGroupResponder":
                await new TrailResponder.Responder.Function(ResponderServices.FromEnvironment(environment, Credentials, log, Retry)).HandleAsync(input);
                break;
            case "DigestValidator":
                await new TrailResponder.DigestValidator.Function(DigestValidatorServices.FromEnvironment(environment, Credentials, log)).HandleAsync(input);
                break;
            default:
                throw new NotSupportedException($"No driver for the function in {folder}.");
        }
    }

    private static IEnumerable<Scenario> Scenarios(string folder) => folder switch
    {
        "LogProcessor" => SampleEvents(folder).Select(name => new Scenario(name, endpoint =>
        {
            PutLogFileWithEverything(endpoint);
            PutRules(endpoint);
            return SampleEvent(name);
        })),
        "SecurityGroupResponder" => [
            .. SampleEvents(folder).Select(name => new Scenario(name, endpoint => SecurityGroupSample(endpoint, name))),
            new Scenario("a ModifySecurityGroupRules record widening a rule to the world (not among the samples)", ModifiedRule),
        ],
        "DigestValidator" => [
            .. SampleEvents(folder).Select(name => new Scenario(name, endpoint =>
            {
                PutSignedTrail(endpoint, tamper: false);
                return SampleEvent(name);
            })),
            new Scenario("a log file deleted after its digest was signed (an integrity problem to report)", endpoint =>
            {
                PutSignedTrail(endpoint, tamper: true);
                return SampleEvent("digestvalidator-schedule.json");
            }),
        ],
        _ => [],
    };

    // Hourly signed digests around 2024-03-01 00:00 and the key CloudTrail would list, optionally with one log file of
    // the scheduled window deleted after its digest was signed. One region: the endpoint answers in us-east-1 only.
    private static void PutSignedTrail(LocalAwsEndpoint endpoint, bool tamper)
    {
        using var trail = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            trail.AddHour("us-east-1", SignedTrailBuilder.StandardEnd("us-east-1", hour));
        }

        if (tamper)
        {
            trail.Store.Remove(trail.Digests[^1].LogKeys[0]);
        }

        endpoint.S3.CreateBucket(DigestTrailBucket);
        LocalTrailBucket.Upload(endpoint, trail, DigestTrailBucket);
    }

    private static Stream SampleEvent(string name) => File.OpenRead(Path.Combine(SamTemplate.FindRepositoryRoot(), "events", name));

    // A log file that reaches every path of the LogProcessor: rule findings (Security Hub and email) and the
    // security-group backstop (a world-open SSH rule to revoke, a modified rule whose direction EC2 must tell).
    private static void PutLogFileWithEverything(LocalAwsEndpoint endpoint)
    {
        var factory = new CloudTrailEventFactory(31, BaseTime, TimeSpan.FromHours(1), AccountId, endpoint.Options.Region);
        endpoint.Ec2.AddSecurityGroup(Group, "web");
        var world = endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        var widened = endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 3389, 3389, cidrIpv4: "0.0.0.0/0");
        var opened = SecurityGroupRecord("securitygroup-ssh-opened-to-world.json", world.RuleId, "sgr-unused");
        var records = new[]
        {
            factory.ManagementRead(),
            factory.RootApiCall(),
            factory.UnauthorizedEc2Call(),
            factory.AttachAdministratorAccessToUser("bob"),
            opened,
            factory.ModifySecurityGroupRules(Group, widened.RuleId, new SecurityGroupPermission("tcp", 3389, 3389) { Ipv4Cidrs = ["0.0.0.0/0"] }),
        };
        using var output = new MemoryStream();
        CloudTrailLogFileWriter.Write(output, records);
        endpoint.S3.PutObject(SampleBucket, SampleKey, output.ToArray());
    }

    // A Sigma rule and a rules file in the rules folder: the LogProcessor lists it and reads both.
    private static void PutRules(LocalAwsEndpoint endpoint)
    {
        endpoint.S3.PutObject(SampleBucket, RulesPath + "sigma/admin_attached.yml", Encoding.UTF8.GetBytes(
            "title: Administrator attached\nid: exercise-admin\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName|startswith: Attach\n    requestParameters.policyArn|endswith: /AdministratorAccess\n  condition: s\nlevel: high\n"));
        endpoint.S3.PutObject(SampleBucket, RulesPath + "severities.yaml", Encoding.UTF8.GetBytes("severity:\n  exercise-admin: CRITICAL\n"));
    }

    private static Stream SecurityGroupSample(LocalAwsEndpoint endpoint, string name)
    {
        endpoint.Ec2.AddSecurityGroup(Group, "web");
        var world = endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        var office = endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 5432, 5432, cidrIpv4: "10.20.0.0/16");
        var json = File.ReadAllText(Path.Combine(SamTemplate.FindRepositoryRoot(), "events", name))
            .Replace("sgr-0f1e2d3c4b5a69788", world.RuleId, StringComparison.Ordinal)
            .Replace("sgr-0a9b8c7d6e5f40312", office.RuleId, StringComparison.Ordinal);
        return new MemoryStream(Encoding.UTF8.GetBytes(json));
    }

    private static Stream ModifiedRule(LocalAwsEndpoint endpoint)
    {
        endpoint.Ec2.AddSecurityGroup(Group, "web");
        var rule = endpoint.Ec2.AddRule(Group, isEgress: false, "tcp", 3389, 3389, cidrIpv4: "0.0.0.0/0");
        var factory = new CloudTrailEventFactory(7, BaseTime, TimeSpan.FromHours(1), AccountId, endpoint.Options.Region);
        var record = factory.ModifySecurityGroupRules(Group, rule.RuleId, new SecurityGroupPermission("tcp", 3389, 3389) { Ipv4Cidrs = ["0.0.0.0/0"] });
        return new MemoryStream(Encoding.UTF8.GetBytes(record));
    }

    // The record inside a sample EventBridge event, with its rule ids replaced by ones the endpoint holds.
    private static string SecurityGroupRecord(string name, string worldRuleId, string officeRuleId)
    {
        var json = File.ReadAllText(Path.Combine(SamTemplate.FindRepositoryRoot(), "events", name))
            .Replace("sgr-0f1e2d3c4b5a69788", worldRuleId, StringComparison.Ordinal)
            .Replace("sgr-0a9b8c7d6e5f40312", officeRuleId, StringComparison.Ordinal);
        return JsonDocument.Parse(json).RootElement.GetProperty("detail").GetRawText();
    }
}
