using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.LocalAws;
using TrailResponder.Responder;

namespace TrailResponder.Bench;

/// <summary>The security-group decision per event, and one full responder invocation against the local AWS endpoint.</summary>
internal static class PolicyBenchmarks
{
    private static readonly string Events = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "events"));

    public static async Task RunAsync(ResultTable table)
    {
        Console.WriteLine("security-group responder:");
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default);
        var changes = new[] { "securitygroup-ssh-opened-to-world.json", "securitygroup-https-opened-allowed.json" }
            .Select(name => SecurityGroupChange.Parse(JsonDocument.Parse(File.ReadAllText(Path.Combine(Events, name))).RootElement))
            .ToArray();
        const int rounds = 500_000;
        for (var i = 0; i < 50_000; i++)
        {
            policy.Decide(changes[i % 2]);
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            policy.Decide(changes[i % 2]);
        }

        var microseconds = clock.Elapsed.TotalMicroseconds / rounds;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)rounds;
        table.Add(new Result(
            "policy decision per event",
            string.Create(CultureInfo.InvariantCulture, $"{microseconds:0.00} µs, {bytes:0} bytes allocated"),
            string.Empty,
            "< 10 µs",
            microseconds < 10));

        if (await LocalAwsEnvironment.TryStartAsync(table, "full invocation against the local endpoint") is not { } endpoint)
        {
            return;
        }

        await using (endpoint)
        {
            var topic = endpoint.Sns.CreateTopic("findings");
            const string group = "sg-0a1b2c3d4e5f60718";
            endpoint.Ec2.AddSecurityGroup(group, "web");
            var environment = new Dictionary<string, string?>
            {
                ["AWS_REGION"] = endpoint.Options.Region,
                ["AWS_ENDPOINT_URL"] = endpoint.Url.ToString(),
                ["ACCOUNT_ID"] = endpoint.Options.AccountId,
                ["FINDINGS_TOPIC_ARN"] = topic,
            };
            var credentials = new BasicAWSCredentials(LocalAwsCredential.Default.AccessKeyId, LocalAwsCredential.Default.SecretAccessKey);
            var function = new Function(ResponderServices.FromEnvironment(environment, credentials, TextWriter.Null));
            var template = File.ReadAllText(Path.Combine(Events, "securitygroup-ssh-opened-to-world.json"));
            async Task InvokeOnce()
            {
                // Each round opens the port again: a fresh rule id for the responder to revoke.
                var rule = endpoint.Ec2.AddRule(group, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0").RuleId;
                var incoming = template.Replace("sgr-0f1e2d3c4b5a69788", rule, StringComparison.Ordinal);
                await (await function.HandleAsync(new MemoryStream(Encoding.UTF8.GetBytes(incoming)))).DisposeAsync();
            }

            await InvokeOnce();
            const int invocations = 20;
            clock.Restart();
            for (var i = 0; i < invocations; i++)
            {
                await InvokeOnce();
            }

            table.Add(new Result(
                "full responder invocation (describe, revoke, SNS, Security Hub)",
                string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalMilliseconds / invocations:0.0} ms"),
                "local endpoint on 127.0.0.1"));
        }
    }
}
