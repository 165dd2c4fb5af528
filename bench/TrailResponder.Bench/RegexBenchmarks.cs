using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TrailResponder.Core.Patterns;
using TrailResponder.Core.Rules;

namespace TrailResponder.Bench;

/// <summary>
/// Filter-pattern regexes against adversarial values: the largest accepted regexes on four 1 MB random a/b user
/// agents (no match, so every character is scanned), and what one regex rule costs in memory.
/// </summary>
internal static class RegexBenchmarks
{
    private const int ValueBytes = 1 << 20;
    private const double TargetMegabytesPerSecond = 4;

    public static void Run(ResultTable table)
    {
        Console.WriteLine("regex rules, adversarial values:");
        var random = new Random(4);
        var records = Enumerable.Range(0, 4)
            .Select(_ => Encoding.UTF8.GetBytes("{\"userAgent\":\"" + new string([.. Enumerable.Range(0, ValueBytes).Select(_ => random.Next(2) == 0 ? 'a' : 'b')]) + "\"}"))
            .ToArray();

        // The largest regexes the bounds accept, in the shapes that cost the most per character: every state live,
        // runs of skippable states (the carry chain), assertions at every boundary, many alternatives.
        var worst = new[]
        {
            "a[ab]{500}c",
            "a[ab]{0,500}c",
            "\\ba[ab]{0,500}c\\b",
            string.Join('|', Enumerable.Repeat("a[ab]{60}c", 8)),
        };
        foreach (var body in worst.Append("^Mozilla/5\\.0"))
        {
            var pattern = FilterPattern.Parse("{ $.userAgent = %" + body + "% }");
            var evaluator = new RuleSet([new DetectionRule("BENCH", "bench", Severity.Low, "", "", pattern)]).CreateEvaluator();
            var matches = 0;
            var (wall, cpu) = BestOf(3, () => matches = records.Count(r => evaluator.Match(r).Count > 0));
            if (matches != 0)
            {
                throw new InvalidOperationException($"%{body}% matched a value with no 'c'");
            }

            // On a shared machine the wall clock also measures the neighbours; the target is checked on CPU time.
            var bytes = (double)records.Length * ValueBytes;
            var isWorst = worst.Contains(body);
            table.Add(new Result(
                $"regex %{(body.Length > 30 ? body[..30] + "..." : body)}% ({pattern.Regexes[0].StateCount} states), 4 x 1 MB a/b",
                $"{ResultTable.Rate(bytes / cpu.TotalSeconds / 1e6, "MB")} of CPU time ({ResultTable.Rate(bytes / wall.TotalSeconds / 1e6, "MB")} wall)",
                string.Empty,
                isWorst ? $">= {TargetMegabytesPerSecond} MB/s" : string.Empty,
                isWorst ? bytes / cpu.TotalSeconds / 1e6 >= TargetMegabytesPerSecond : null));
        }

        // What the old engine did with the first of them (a[ab]{4000}c took 70 s for the four values): one value.
        var old = new Regex(worst[0], RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        var value = Encoding.UTF8.GetString(records[0].AsSpan(14, ValueBytes));
        var (oldWall, oldCpu) = BestOf(1, () => old.IsMatch(value));
        table.Add(new Result(
            $"before: NonBacktracking %{worst[0]}%, 1 MB a/b",
            string.Create(CultureInfo.InvariantCulture, $"{ValueBytes / oldCpu.TotalSeconds / 1e6:0.00} MB/s of CPU time ({ValueBytes / oldWall.TotalSeconds / 1e6:0.00} MB/s wall)")));

        MemoryPerRule(table);
    }

    // Retained memory of a rules file of 10,000 rules with one regex each, beside the NonBacktracking regex each used to build.
    private static void MemoryPerRule(ResultTable table)
    {
        const int Rules = 10_000;
        var yaml = new StringBuilder("rules:\n");
        for (var i = 0; i < Rules; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - id: R{i}\n    title: t\n    severity: LOW\n    pattern: '{{ $.userAgent = %^Mozilla/{i}\\.0;[a-z]+\\w*$% }}'\n");
        }

        var text = yaml.ToString();
        RuleSet ruleSet = null!;
        long bytes = 0;
        var (_, load) = BestOf(1, () => (ruleSet, bytes) = Retained(() => new RuleSet(RuleFile.Parse(new StringReader(text), "rules.yaml").ApplyTo(BuiltInRules.All))));
        var tables = ruleSet.Rules.Sum(r => r.Pattern.Regexes.Sum(x => x.TableBytes));
        const int Sample = 200;
        var (_, before) = Retained(() => Enumerable.Range(0, Sample)
            .Select(i => new Regex($"^Mozilla/{i}\\.0;[a-z]+\\w*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking))
            .ToArray());
        table.Add(new Result(
            $"{Rules:N0} regex rules loaded",
            string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / Rules:0.0} KB per rule retained ({tables / Rules} B of automaton tables), {bytes / 1e6:0} MB in all, loaded in {load.TotalSeconds:0.0} s of CPU time"),
            string.Create(CultureInfo.InvariantCulture, $"before: {before / 1024.0 / Sample:0} KB per rule"),
            "<= 16 KB per rule",
            bytes / Rules <= 16 * 1024));
    }

    // The best wall time and the best CPU time of the process (the scan is single-threaded) over several runs.
    private static (TimeSpan Wall, TimeSpan Cpu) BestOf(int runs, Action action)
    {
        var (wall, cpu) = (TimeSpan.MaxValue, TimeSpan.MaxValue);
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            action();
            wall = clock.Elapsed < wall ? clock.Elapsed : wall;
            process.Refresh();
            cpu = process.TotalProcessorTime - cpuBefore < cpu ? process.TotalProcessorTime - cpuBefore : cpu;
        }

        return (wall, cpu);
    }

    private static (T Value, long Bytes) Retained<T>(Func<T> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var value = build();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(value);
        return (value, after - before);
    }
}
