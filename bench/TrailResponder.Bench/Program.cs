using System.Diagnostics;
using System.Globalization;
using TrailResponder.Bench;

// The harness (default), and children that measure one job each in a fresh process, so each memory figure is that
// job's alone: the LogProcessor on one event, and one read of a file.
if (args is ["--peak-memory", var eventFile])
{
    return await PeakMemoryChild.RunAsync(eventFile);
}

// A child whose peak resident memory GNU time reports: one read of a file, with or without the rules.
if (args is ["--read-once", var job, var file])
{
    return LogBenchmarks.ReadOnce(job, file);
}

// Writes the benchmark's Sigma rules as files, to read them or to run them with 'trailresponder scan --rules DIR'.
if (args is ["--write-sigma-rules", var folder])
{
    foreach (var rule in SigmaBenchRules.Files())
    {
        var path = Path.Combine(folder, Path.GetFileName(rule.Path));
        Directory.CreateDirectory(folder);
        File.WriteAllText(path, rule.Text);
    }

    return 0;
}

var quick = args.Contains("--quick");
var sections = new (string Name, Func<Corpus, string, ResultTable, Task> Run)[]
{
    ("logs", (corpus, _, table) => { LogBenchmarks.Run(corpus, table); return Task.CompletedTask; }),
    ("scaling", (corpus, _, table) => { ScanScaling.Run(corpus, table); return Task.CompletedTask; }),
    ("memory", MemoryBenchmarks.RunAsync),
    ("digests", (corpus, _, table) => { DigestBenchmarks.Run(corpus, table); return Task.CompletedTask; }),
    ("policy", (_, _, table) => PolicyBenchmarks.RunAsync(table)),
    ("startup", (_, outFolder, table) => StartupBenchmarks.RunAsync(outFolder, table)),
    ("regex", (_, _, table) => { RegexBenchmarks.Run(table); return Task.CompletedTask; }),
};

// Sections that generate their own input: run alone, they need no corpus (generating it takes minutes the first time).
string[] withoutCorpus = ["regex"];

// --only NAME[,NAME] runs some sections, to re-measure one target without waiting for the others.
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? sections.Select(s => s.Name).ToArray();
if (only.FirstOrDefault(name => sections.All(s => s.Name != name)) is { } unknown)
{
    Console.Error.WriteLine($"error: no section '{unknown}' (sections: {string.Join(", ", sections.Select(s => s.Name))})");
    return 2;
}

var outFolder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "out"));
Console.WriteLine($"TrailResponder benchmarks ({(quick ? "quick" : "full")}) on {Environment.ProcessorCount} cores, corpus in {outFolder}");
var corpus = only.All(withoutCorpus.Contains) ? null! : Corpus.Build(outFolder, quick);
var table = new ResultTable();
var clock = Stopwatch.StartNew();
foreach (var (_, run) in sections.Where(s => only.Contains(s.Name)))
{
    await run(corpus, outFolder, table);
}

table.Print(Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"benchmarks ran in {clock.Elapsed.TotalSeconds:0} s"));
return table.AllPassed ? 0 : 1;
