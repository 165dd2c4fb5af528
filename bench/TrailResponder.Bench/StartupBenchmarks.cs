using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Digests;
using TrailResponder.LocalAws;
using TrailResponder.SampleTrail;

namespace TrailResponder.Bench;

/// <summary>
/// The part of a cold start that is ours: from process start to the end of the first invocation of each handler in a
/// fresh process, against the local AWS endpoint, with the code JIT-compiled and precompiled with ReadyToRun.
/// </summary>
/// <remarks>
/// Each process is <c>trailresponder invoke</c>, which runs the handler the way the Lambda runtime would, so the
/// figure also holds the runtime's own start and the command line's parsing (a few milliseconds).
/// </remarks>
internal static class StartupBenchmarks
{
    private const string Bucket = "trailresponder-sample-trail";
    private const string SecurityGroup = "sg-0a1b2c3d4e5f60718";
    private const int Runs = 3;

    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    public static async Task RunAsync(string outFolder, ResultTable table)
    {
        Console.WriteLine("start-up (process start to first finished invocation):");
        var folder = Path.Combine(outFolder, "startup");
        var builds = new (string Name, string? Dll)[] { ("JIT", Publish(folder, "jit", readyToRun: false)), ("ReadyToRun", Publish(folder, "r2r", readyToRun: true)) };
        if (builds.Any(b => b.Dll is null))
        {
            table.Add(new Result("start-up", "skipped", "dotnet publish failed (see above)"));
            return;
        }

        if (await LocalAwsEnvironment.TryStartAsync(table, "start-up") is not { } endpoint)
        {
            return;
        }

        await using (endpoint)
        {
            var environment = await PrepareAsync(endpoint, folder);
            // Each invocation must have done its whole job, or its time says nothing.
            var invocations = new (string Function, Func<string> Event, Func<JsonElement, bool> DidItsJob)[]
            {
                ("LogProcessor", () => Path.Combine(Root, "events", "logprocessor-s3-notification.json"), answer => answer.GetProperty("findings").GetInt32() > 0),
                ("SecurityGroupResponder", () => ResponderEvent(endpoint, folder), answer => answer.GetProperty("revoked").GetArrayLength() == 1),
                ("DigestValidator", () => DigestEvent(folder), answer => answer.GetProperty("logFiles").GetProperty("valid").GetInt32() > 0 && answer.GetProperty("problems").GetInt32() == 0),
            };
            foreach (var (function, makeEvent, didItsJob) in invocations)
            {
                var times = builds.ToDictionary(
                    b => b.Name,
                    b => Best(() => Invoke(b.Dll!, function, makeEvent(), environment, didItsJob)));
                table.Add(new Result(
                    $"{function} first invocation, fresh process",
                    string.Create(CultureInfo.InvariantCulture, $"JIT {times["JIT"]:0} ms, ReadyToRun {times["ReadyToRun"]:0} ms"),
                    string.Create(CultureInfo.InvariantCulture, $"ReadyToRun saves {1 - (times["ReadyToRun"] / times["JIT"]):P0}")));
            }
        }
    }

    /// <summary>Publishes the command line as a function package is built (framework-dependent), for this machine; null when the publish fails.</summary>
    private static string? Publish(string folder, string name, bool readyToRun)
    {
        var output = Path.Combine(folder, name);
        var project = Path.Combine(Root, "cli", "TrailResponder.Cli");
        Console.WriteLine($"  publishing the command line ({name})");
        try
        {
            Measure.Shell($"dotnet publish '{project}' -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun={readyToRun} -o '{output}' --nologo -v q");
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"  {e.Message}");
            return null;
        }

        return Path.Combine(output, "trailresponder.dll");
    }

    /// <summary>Fills the endpoint with what the three invocations read, and returns the environment the template would give.</summary>
    private static async Task<Dictionary<string, string>> PrepareAsync(LocalAwsEndpoint endpoint, string folder)
    {
        endpoint.S3.CreateBucket(Bucket);
        var topic = endpoint.Sns.CreateTopic("findings");
        endpoint.Ec2.AddSecurityGroup(SecurityGroup, "web");

        // A log file of the size CloudTrail usually delivers every five minutes, under the sample event's key.
        using (var file = new MemoryStream())
        {
            CloudTrailLogFileWriter.WriteMixedRecords(file, 500, seed: 7);
            using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "events", "logprocessor-s3-notification.json")));
            var key = sample.RootElement.GetProperty("Records")[0].GetProperty("s3").GetProperty("object").GetProperty("key").GetString()!;
            endpoint.S3.PutObject(Bucket, key, file.ToArray());
        }

        // Six hours of signed digests and their log files in one region: the local endpoint answers in us-east-1 only.
        var trail = Path.Combine(folder, "trail");
        var keys = Path.Combine(folder, "public-keys.json");
        if (Directory.Exists(trail))
        {
            Directory.Delete(trail, recursive: true);
        }

        var options = new SampleTrailOptions { Regions = ["us-east-1"] };
        var manifest = SampleTrailGenerator.Generate(trail, options);
        using (var signer = new SampleDigestWriter())
        {
            signer.Write(trail, manifest, options.AccountId, options.Day, keys);
        }

        // The folder store reads the digests' signature sidecars as S3 user metadata, which is where S3 keeps them.
        var folderStore = new LocalFolderTrailStore(trail);
        await foreach (var stored in folderStore.ListAsync(string.Empty))
        {
            using var content = new MemoryStream();
            await using (var input = await folderStore.OpenReadAsync(stored.Key))
            {
                await input.CopyToAsync(content);
            }

            endpoint.S3.PutObject(Bucket, stored.Key, content.ToArray(), await folderStore.GetMetadataAsync(stored.Key));
        }

        foreach (var key in PublicKeySet.Parse(File.ReadAllText(keys), keys).Keys)
        {
            endpoint.CloudTrail.AddPublicKey(key.Der.ToArray(), key.ValidityStart, key.ValidityEnd, key.Fingerprint);
        }

        var environment = LocalAwsEnvironment.For(endpoint, topic, Bucket);

        // The functions' own runtime settings, not the command line's (which compiles loops optimised at once).
        environment["DOTNET_TC_QuickJitForLoops"] = "1";
        return environment;
    }

    /// <summary>The sample event, naming a rule that is open again: each invocation revokes the one before.</summary>
    private static string ResponderEvent(LocalAwsEndpoint endpoint, string folder)
    {
        var rule = endpoint.Ec2.AddRule(SecurityGroup, isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0").RuleId;
        var path = Path.Combine(folder, "securitygroup-event.json");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(Root, "events", "securitygroup-ssh-opened-to-world.json")).Replace("sgr-0f1e2d3c4b5a69788", rule, StringComparison.Ordinal));
        return path;
    }

    private static string DigestEvent(string folder)
    {
        var path = Path.Combine(folder, "digest-range.json");
        File.WriteAllText(path, """{"startTime":"2026-03-02T00:00:00Z","endTime":"2026-03-02T06:00:00Z"}""");
        return path;
    }

    private static double Invoke(string dll, string function, string eventFile, IReadOnlyDictionary<string, string> environment, Func<JsonElement, bool> didItsJob)
    {
        var (elapsed, output, _) = Measure.Shell($"dotnet '{dll}' invoke {function} --event '{eventFile}'", environment);
        using var answer = JsonDocument.Parse(output);
        if (!didItsJob(answer.RootElement))
        {
            throw new InvalidOperationException($"{function} did not do what the benchmark set up: {output}");
        }

        return elapsed.TotalMilliseconds;
    }

    private static double Best(Func<double> run) => Enumerable.Range(0, Runs).Select(_ => run()).Min();
}
