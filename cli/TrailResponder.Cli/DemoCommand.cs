using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TrailResponder.Cli.Local;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Diagnostics;
using TrailResponder.Core.Digests;
using TrailResponder.Core.Rules;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.LogProcessor;
using TrailResponder.SampleTrail;

namespace TrailResponder.Cli;

/// <summary>
/// <c>trailresponder demo [DIR]</c>: build a realistic sample trail and run the three jobs on it with the functions'
/// own code, the AWS side replaced by files in DIR. No AWS account needed.
/// </summary>
internal static class DemoCommand
{
    private const string Account = CloudTrailEventFactory.DefaultAccountId;
    private const string Bucket = "trailresponder-sample-trail";
    private static readonly DateOnly Day = new(2026, 3, 2);

    public static Command Create()
    {
        var folder = new Argument<string?>("dir")
        {
            Description = "A new or empty folder for the sample trail and the outputs (default: a new temp folder)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command(
            "demo",
            "Write a sample trail and run detection, the responder, the LogProcessor and validation on it")
        {
            folder,
        };
        command.SetAction(parse => Run(parse.GetValue(folder), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string? folder, TextWriter output, TextWriter error)
    {
        var root = folder ?? Path.Combine(Path.GetTempPath(), "trailresponder-demo-" + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal));
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            error.WriteLine($"error: {root} is not empty; give a new or empty folder so the sample trail is not mixed with other files");
            return ExitCodes.Usage;
        }

        var outputs = Path.Combine(root, "demo-outputs");
        var trailRoot = Path.Combine(root, "trail");
        Directory.CreateDirectory(outputs);

        // 1. The sample trail, the security-group changes, the signed digests, then the damage to find.
        var manifest = SampleTrailGenerator.Generate(trailRoot, new SampleTrailOptions { Day = Day });
        var groups = new LocalSecurityGroups();
        var (changes, changesFile) = WriteSecurityGroupChanges(trailRoot, groups);
        manifest = manifest with { Files = [.. manifest.Files, changesFile] };
        var keysFile = Path.Combine(root, "public-keys.json");
        using (var signer = new SampleDigestWriter { Bucket = Bucket })
        {
            signer.Write(trailRoot, manifest, Account, Day, keysFile);
        }

        var tampered = manifest.Files[40].RelativePath;
        var deleted = manifest.Files[80].RelativePath;
        Tamper(Path.Combine(trailRoot, tampered));
        File.Delete(Path.Combine(trailRoot, deleted));

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Wrote a sample trail to {trailRoot}: {manifest.Files.Count} log files, {manifest.TotalRecords + changes.Count:N0} records, "
            + $"{manifest.PlantedEvents.Count(p => p.Event.ExpectedRuleIds.Count > 0)} planted CIS violations, {changes.Count} security-group changes, "
            + $"signed hourly digests; then tampered with one log file and deleted another."));
        output.WriteLine();

        // 2. Detection: the rules the LogProcessor runs, as a report.
        output.WriteLine("== Detection: what the LogProcessor's rules find ==");
        output.WriteLine();
        var scanExit = ScanCommand.ScanAndReport([trailRoot], RuleSet.BuiltIn, "text", Severity.Informational, new ScanCommand.ScanSources(CliEnvironment.Process(), null, null), output, error);

        // 3. The real-time responder on the three changes, as EventBridge would deliver them.
        var securityHub = new LocalSecurityHub(Path.Combine(outputs, "securityhub-findings.json"));
        var emails = new LocalEmailTopic(Path.Combine(outputs, "emails"));
        var log = new StringWriter();
        var context = new AsffContext("us-east-1", Account);
        var responder = new SecurityGroupResponder(
            new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default),
            _ => groups,
            new SecurityGroupNotice(context, "TrailResponder:Exempt=true"),
            emails,
            securityHub,
            dryRun: false,
            new JsonLineLog(log));
        output.WriteLine("== SecurityGroupResponder: the security-group changes ==");
        foreach (var change in changes)
        {
            var response = responder.RespondAsync(change, ResponsePath.RealTime, CancellationToken.None).GetAwaiter().GetResult();
            var decision = response.Decision;
            var verdict = decision.Decision switch
            {
                SecurityGroupVerdict.Revoke => $"REVOKED {string.Join(", ", response.Revoked)} ({string.Join("; ", decision.Violations.Select(v => v.Reason))})",
                SecurityGroupVerdict.Exempt => $"EXEMPT, left open: {decision.Reasons.LastOrDefault()}",
                SecurityGroupVerdict.Allow => "ALLOWED: nothing the policy forbids",
                _ => $"IGNORED: {string.Join("; ", decision.Reasons)}",
            };
            output.WriteLine($"  {decision.GroupId} ({decision.GroupName ?? "-"}) {change.Rules.FirstOrDefault()?.DescribeTraffic()} from {change.Rules.FirstOrDefault()?.Source.Value}: {verdict}");
        }

        output.WriteLine();

        // 4. The LogProcessor function itself over every log file, Security Hub and SNS replaced by files.
        var settings = LogProcessorSettings.FromEnvironment(new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "us-east-1",
            ["ACCOUNT_ID"] = Account,
            ["FINDINGS_TOPIC_ARN"] = $"arn:aws:sns:us-east-1:{Account}:trailresponder-findings",
        });
        var function = new Function(new LogProcessorServices(settings, _ => new LocalFolderTrailStore(trailRoot), securityHub, emails, _ => groups, log));
        foreach (var file in manifest.Files.Where(f => f.RelativePath != deleted))
        {
            function.HandleAsync(S3Notification(file.RelativePath)).GetAwaiter().GetResult().Dispose();
        }

        output.WriteLine("== LogProcessor: the function's own code over every delivered file ==");
        output.WriteLine($"  {securityHub.Count} findings in ASFF: {Path.Combine(outputs, "securityhub-findings.json")}");
        output.WriteLine($"  {emails.Sent} emails, as the security team would get them: {Path.Combine(outputs, "emails")}");
        output.WriteLine();

        // 5. Integrity: the digest validation the DigestValidator runs every hour.
        var keys = PublicKeySet.Parse(File.ReadAllText(keysFile), keysFile);
        var report = new DigestChainValidator(new LocalFolderTrailStore(trailRoot), keys, new DigestValidationOptions()).ValidateAsync().GetAwaiter().GetResult();
        var problems = IntegrityProblem.Of(report);
        output.WriteLine("== DigestValidator: log file integrity ==");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {report.Digests.Valid} of {report.Digests.Total} digests and {report.LogFiles.Valid} of {report.LogFiles.Total} log files verified."));
        foreach (var problem in problems)
        {
            output.WriteLine($"  {problem.Severity.ToLabel(),-8} {problem.Kind}: {problem.Key} ({problem.Reason})");
        }

        File.WriteAllLines(Path.Combine(outputs, "validation.txt"), problems.Select(p => $"{p.Severity.ToLabel()}\t{p.Kind}\t{p.Key}\t{p.Reason}"));
        File.WriteAllText(Path.Combine(outputs, "function-log.jsonl"), log.ToString());
        output.WriteLine();
        output.WriteLine("Next:");
        output.WriteLine($"  trailresponder scan {trailRoot} --format json --min-severity HIGH   # findings for scripts");
        output.WriteLine($"  trailresponder search {trailRoot} --event-name ConsoleLogin --error '*'   # question the trail");
        output.WriteLine($"  trailresponder validate {trailRoot} --public-keys {keysFile}   # the integrity report in full");
        output.WriteLine($"  ls {outputs}   # ASFF findings, emails, validation report, the functions' JSON logs");
        return scanExit;
    }

    // One change to revoke, one allowed, one exempt by tag: each with its group in the local EC2.
    private static (IReadOnlyList<SecurityGroupChange> Changes, SampleTrailFile File) WriteSecurityGroupChanges(string trailRoot, LocalSecurityGroups groups)
    {
        var time = new DateTimeOffset(Day.ToDateTime(new TimeOnly(14, 0)), TimeSpan.Zero);
        var factory = new CloudTrailEventFactory(7, time);
        var records = new[]
        {
            ("sg-0aaa1111bbbb22223", "web", new Dictionary<string, string>(), factory.AuthorizeSecurityGroupIngress("sg-0aaa1111bbbb22223", SecurityGroupPermission.Tcp(22, "0.0.0.0/0"), SecurityGroupPermission.Tcp(22, "10.0.0.0/8"))),
            ("sg-0ccc3333dddd44445", "load-balancer", new Dictionary<string, string>(), factory.AuthorizeSecurityGroupIngress("sg-0ccc3333dddd44445", SecurityGroupPermission.Tcp(443, "0.0.0.0/0"))),
            ("sg-0eee5555ffff66667", "bastion", new Dictionary<string, string> { ["TrailResponder:Exempt"] = "true" }, factory.AuthorizeSecurityGroupIngress("sg-0eee5555ffff66667", SecurityGroupPermission.Tcp(3389, "0.0.0.0/0"))),
        };
        var changes = new List<SecurityGroupChange>();
        foreach (var (groupId, name, tags, record) in records)
        {
            using var document = JsonDocument.Parse(record);
            var change = SecurityGroupChange.Parse(document.RootElement) with { GroupName = name };
            groups.AddGroup(groupId, tags);
            foreach (var rule in change.Rules)
            {
                groups.AddRule(DescribedSecurityGroupRule.Create(rule.RuleId!, groupId, false, rule.Protocol.WireValue, rule.FromPort, rule.ToPort, cidrIpv4: rule.Source.Value));
            }

            changes.Add(change);
        }

        var newest = changes.Max(c => c.Origin.EventTime!.Value);
        var key = $"AWSLogs/{Account}/CloudTrail/us-east-1/{newest:yyyy'/'MM'/'dd}/{Account}_CloudTrail_us-east-1_{newest:yyyyMMdd'T'HHmm'Z'}_SecurityGroups0001.json.gz";
        var path = Path.Combine(trailRoot, key.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var file = File.Create(path))
        {
            CloudTrailLogFileWriter.Write(file, records.Select(r => r.Item4));
        }

        return (changes, new SampleTrailFile(key, "us-east-1", records.Length, time, time.AddHours(1), newest));
    }

    // Changes one event's region in place: still a valid log file, but no longer the one the digest vouches for.
    private static void Tamper(string path)
    {
        string json;
        using (var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip))
        {
            json = reader.ReadToEnd();
        }

        var at = json.IndexOf("\"sourceIPAddress\":\"", StringComparison.Ordinal) + "\"sourceIPAddress\":\"".Length;
        json = string.Concat(json.AsSpan(0, at), "192.0.2.1", json.AsSpan(json.IndexOf('"', at)));
        using var output = File.Create(path);
        using var compressed = new GZipStream(output, CompressionLevel.Fastest);
        compressed.Write(Encoding.UTF8.GetBytes(json));
    }

    private static MemoryStream S3Notification(string key) => new(Encoding.UTF8.GetBytes(
        $$$$"""{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"{{{{Bucket}}}}"},"object":{"key":"{{{{System.Net.WebUtility.UrlEncode(key)}}}}"}}}]}"""));
}
