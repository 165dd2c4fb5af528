using System.Diagnostics;
using System.Globalization;
using TrailResponder.Bench;

// Two modes: the harness (default), and a child that reads one file and reports its own peak memory, so each
// memory figure comes from a fresh process.
if (args is ["--peak-memory", var file])
{
    return PeakMemoryChild.Run(file);
}

var quick = args.Contains("--quick");
var outFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "out"));
Console.WriteLine($"TrailResponder benchmarks ({(quick ? "quick" : "full")}) on {Environment.ProcessorCount} cores, corpus in {outFolder}");
var corpus = Corpus.Build(outFolder, quick);
var table = new ResultTable();
var clock = Stopwatch.StartNew();
LogBenchmarks.Run(corpus, table);
ScanScaling.Run(corpus, table);
MemoryBenchmarks.Run(corpus, table);
DigestBenchmarks.Run(corpus, table);
await PolicyBenchmarks.RunAsync(table);
await StartupBenchmarks.RunAsync(outFolder, table);
table.Print(Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"benchmarks ran in {clock.Elapsed.TotalSeconds:0} s"));
return table.AllPassed ? 0 : 1;
