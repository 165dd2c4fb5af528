using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrailResponder.Aws;
using TrailResponder.LogProcessor;

namespace TrailResponder.Bench;

/// <summary>
/// Peak resident memory of the LogProcessor handling one log file of 10 MB, 100 MB and 1 GB of JSON, each in a fresh
/// process: the whole path, from S3 through the rules to Security Hub and the email, against the local AWS endpoint.
/// </summary>
internal static class MemoryBenchmarks
{
    private const string Bucket = "trailresponder-bench";

    // "About the same" between two warmed-up invocations: what compiling a few more methods may add.
    private const double SameWithin = 1.10;

    public static async Task RunAsync(Corpus corpus, string outFolder, ResultTable table)
    {
        Console.WriteLine("memory (LogProcessor, one file per fresh process):");
        if (await LocalAwsEnvironment.TryStartAsync(table, "peak memory") is not { } endpoint)
        {
            return;
        }

        await using (endpoint)
        {
            endpoint.S3.CreateBucket(Bucket);
            var environment = LocalAwsEnvironment.For(endpoint, endpoint.Sns.CreateTopic("findings"), Bucket);

            // Every finding of the synthetic files is below the default HIGH: email them all, so the email's tally is measured too.
            environment["EMAIL_MIN_SEVERITY"] = "INFORMATIONAL";
            var bench = Path.Combine(AppContext.BaseDirectory, "TrailResponder.Bench.dll");
            ChildRun Measure(string file, string unique)
            {
                var key = $"AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0905Z_{unique}.json.gz";
                endpoint.S3.PutObject(Bucket, key, File.ReadAllBytes(file));
                var eventFile = Path.Combine(outFolder, $"memory-event-{unique}.json");
                File.WriteAllText(
                    eventFile,
                    """{"Records":[{"eventSource":"aws:s3","awsRegion":"us-east-1","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"BUCKET"},"object":{"key":"KEY"}}}]}"""
                        .Replace("BUCKET", Bucket, StringComparison.Ordinal).Replace("KEY", key, StringComparison.Ordinal));
                var output = Bench.Measure.Shell($"dotnet '{bench}' --peak-memory '{eventFile}'", environment).Output;
                var run = ChildRun.Parse(output);
                if (run.Findings == 0 || run.Imported != run.Findings || run.Emails != 1)
                {
                    throw new InvalidOperationException($"the LogProcessor did not deliver every finding of {file}: {output}");
                }

                return run;
            }

            var small = Measure(corpus.TenMegabytes, "benchTenMegabyte");
            var medium = Measure(corpus.HundredMegabytes, "benchHundredMegab");
            var large = Measure(corpus.Large, "benchLargeFile01");
            var largeName = $"{corpus.LargeBytes / 1_000_000} MB";
            table.Add(new Result("peak memory, 10 MB of JSON", ResultTable.Megabytes(small.Peak), small.Describe()));
            table.Add(new Result("peak memory, 100 MB of JSON", ResultTable.Megabytes(medium.Peak), medium.Describe()));
            table.Add(new Result(
                $"peak memory, {largeName} of JSON",
                ResultTable.Megabytes(large.Peak),
                large.Describe(),
                "< 150 MB",
                large.Peak < 150_000_000));

            // The heap is the same for both (committed, and live after); what the longer run adds is code: tiered
            // compilation promotes more methods as more paths get hot. The 10 MB run ends before the collector's first
            // collection, so its heap was never committed in full.
            var grown = (double)large.Peak / medium.Peak;
            table.Add(new Result(
                $"peak memory, {largeName} vs 100 MB of JSON",
                string.Create(CultureInfo.InvariantCulture, $"{grown:0.00} x"),
                "memory does not grow with the file",
                string.Create(CultureInfo.InvariantCulture, $"<= {SameWithin:0.00} x"),
                grown <= SameWithin));
            table.Add(new Result(
                $"peak memory, {largeName} vs 10 MB of JSON",
                string.Create(CultureInfo.InvariantCulture, $"{(double)large.Peak / small.Peak:0.00} x"),
                "a cold start's warm-up: the 10 MB run ends before its first collection and tier-up"));
        }
    }

    /// <summary>What the child printed: its peak working set, the heap left after a full collection, the bytes allocated and committed, the methods compiled, and the handler's counts.</summary>
    private sealed record ChildRun(long Peak, long Live, long Allocated, long Committed, int Methods, int Records, int Findings, int Imported, int Emails)
    {
        public static ChildRun Parse(string output)
        {
            var fields = output.Trim().Split('\n')[^1].Split(' ').Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return new ChildRun(fields[0], fields[1], fields[2], fields[3], (int)fields[4], (int)fields[5], (int)fields[6], (int)fields[7], (int)fields[8]);
        }

        public string Describe() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Records:N0} records, {Findings:N0} findings imported and emailed; {Methods:N0} methods compiled, heap {Committed / 1e6:0} MB committed, {Live / 1e6:0.0} MB live after, {Allocated / 1e6:0} MB allocated");
    }
}

/// <summary>
/// The child process of <see cref="MemoryBenchmarks"/>: the LogProcessor handler, configured from the environment the
/// template would give it, handles one S3 notification; then it prints its peak working set, the heap still live after
/// a full collection, the bytes allocated and committed, the methods compiled, and the records, findings, imports and
/// emails of the invocation.
/// </summary>
internal static class PeakMemoryChild
{
    public static async Task<int> RunAsync(string eventFile)
    {
        var log = new StringWriter();
        var function = new Function(LogProcessorServices.FromEnvironment(AwsClients.ProcessEnvironment(), log: log));
        using var input = File.OpenRead(eventFile);
        using var answer = JsonDocument.Parse(await function.HandleAsync(input));
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var allocated = GC.GetTotalAllocatedBytes();
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var imported = log.ToString().Split('\n')
            .Where(line => line.Contains("\"log file processed\"", StringComparison.Ordinal))
            .Sum(line => JsonDocument.Parse(line).RootElement.GetProperty("imported").GetInt32());
        var summary = answer.RootElement;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{peak} {live} {allocated} {committed} {methods} {summary.GetProperty("records").GetInt32()} {summary.GetProperty("findings").GetInt32()} {imported} {summary.GetProperty("emails").GetInt32()}"));
        GC.KeepAlive(function);
        return 0;
    }
}
