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
        (long Peak, long Live, int Findings) Measure(string file)
        {
            var fields = Bench.Measure.Shell($"dotnet '{bench}' --peak-memory '{file}'").Output.Split(' ', StringSplitOptions.TrimEntries);
            return (long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
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
    }

    // What a full collection leaves after the scan is what the findings hold; the rest of the peak is garbage.
    private static string Retained((long Peak, long Live, int Findings) run) =>
        string.Create(CultureInfo.InvariantCulture, $"{run.Findings:N0} findings hold {run.Live / 1e6:0.0} MB");
}

/// <summary>
/// The child process of <see cref="MemoryBenchmarks"/>: scan one file with every rule, print the peak working set, the
/// heap still live after a full collection (the findings, which a scan keeps), and the number of findings.
/// </summary>
internal static class PeakMemoryChild
{
    public static int Run(string file)
    {
        var scan = new LogFileScanner(RuleSet.BuiltIn).Scan(File.OpenRead(file), file);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var live = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{peak} {live} {scan.Findings.Count}"));
        GC.KeepAlive(scan);
        return 0;
    }
}
