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
        long Peak(string file) => long.Parse(Measure.Shell($"dotnet '{bench}' --peak-memory '{file}'").Output.Trim(), CultureInfo.InvariantCulture);
        var small = Peak(corpus.TenMegabytes);
        var large = Peak(corpus.Large);
        table.Add(new Result("peak memory, 10 MB of JSON", ResultTable.Megabytes(small)));
        table.Add(new Result(
            $"peak memory, {corpus.LargeBytes / 1_000_000} MB of JSON",
            ResultTable.Megabytes(large),
            string.Create(CultureInfo.InvariantCulture, $"{(double)large / small:0.00} x the 10 MB file"),
            "< 150 MB",
            large < 150_000_000));
    }
}

/// <summary>The child process of <see cref="MemoryBenchmarks"/>: scan one file with every rule, print the peak working set.</summary>
internal static class PeakMemoryChild
{
    public static int Run(string file)
    {
        new LogFileScanner(RuleSet.BuiltIn).Scan(File.OpenRead(file), file);
        Console.WriteLine(Process.GetCurrentProcess().PeakWorkingSet64.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
