using System.Diagnostics;
using System.Globalization;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;

namespace TrailResponder.Bench;

/// <summary>Peak resident memory while reading and evaluating a 10 MB and a large file, each in a fresh process.</summary>
internal static class MemoryBenchmarks
{
    public static void Run(Corpus corpus, ResultTable table)
    {
        Console.WriteLine("memory:");
        var bench = Path.Combine(AppContext.BaseDirectory, "TrailResponder.Bench.dll");
        (long Peak, long Live, int Findings, long FirstHalf, long SecondHalf) Measure(string file)
        {
            var fields = Bench.Measure.Shell($"dotnet '{bench}' --peak-memory '{file}'").Output
                .Split(' ', StringSplitOptions.TrimEntries)
                .Select(field => long.Parse(field, CultureInfo.InvariantCulture))
                .ToArray();
            return (fields[0], fields[1], (int)fields[2], fields[3], fields[4]);
        }

        var small = Measure(corpus.TenMegabytes);
        var large = Measure(corpus.Large);
        table.Add(new Result("peak memory, 10 MB of JSON", ResultTable.Megabytes(small.Peak), Retained(small)));
        table.Add(new Result(
            $"peak memory, {corpus.LargeBytes / 1_000_000} MB of JSON",
            ResultTable.Megabytes(large.Peak),
            string.Create(CultureInfo.InvariantCulture, $"{(double)large.Peak / small.Peak:0.00} x the 10 MB file; {Retained(large)}"),
            "< 150 MB",
            large.Peak < 150_000_000));
        table.Add(new Result(
            $"peak memory, {corpus.LargeBytes / 1_000_000} MB of JSON, first half / second half",
            $"{ResultTable.Megabytes(large.FirstHalf)} / {ResultTable.Megabytes(large.SecondHalf)}",
            string.Create(CultureInfo.InvariantCulture, $"second half {(double)large.SecondHalf / large.FirstHalf:0.00} x the first")));
    }

    // What a full collection leaves after the scan is what the findings hold; the rest of the peak is garbage.
    private static string Retained((long Peak, long Live, int Findings, long FirstHalf, long SecondHalf) run) =>
        string.Create(CultureInfo.InvariantCulture, $"{run.Findings:N0} findings hold {run.Live / 1e6:0.0} MB");
}

/// <summary>
/// The child process of <see cref="MemoryBenchmarks"/>: scan one file with every rule, and print the peak working set,
/// the heap still live after a full collection (the findings, which a scan keeps), the number of findings, and the
/// peak working set while reading the file's first half and its second half.
/// </summary>
internal static class PeakMemoryChild
{
    public static int Run(string file)
    {
        using var input = File.OpenRead(file);
        var halfway = input.Length / 2;
        long firstHalf = 0, secondHalf = 0;
        using var done = new ManualResetEventSlim();

        // Sampling the working set against the position read so far tells growth with the file from the collector's
        // one-time start-up (the first gen0 budget), which a short file never reaches.
        var sampler = new Thread(() =>
        {
            do
            {
                var workingSet = Environment.WorkingSet;
                if (input.Position < halfway)
                {
                    firstHalf = Math.Max(firstHalf, workingSet);
                }
                else
                {
                    secondHalf = Math.Max(secondHalf, workingSet);
                }
            }
            while (!done.Wait(10));
        });
        sampler.Start();
        var scan = new LogFileScanner(RuleSet.BuiltIn).Scan(input, file);
        done.Set();
        sampler.Join();
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var live = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{peak} {live} {scan.Findings.Count} {firstHalf} {secondHalf}"));
        GC.KeepAlive(scan);
        return 0;
    }
}
