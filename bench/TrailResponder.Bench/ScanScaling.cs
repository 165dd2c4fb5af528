using System.Globalization;
using System.Text.RegularExpressions;

namespace TrailResponder.Bench;

/// <summary><c>trailresponder scan</c> over a day of many small files, with one core and with all of them.</summary>
internal static partial class ScanScaling
{
    public static void Run(Corpus corpus, ResultTable table)
    {
        Console.WriteLine("scan over many files:");
        var cli = Path.Combine(AppContext.BaseDirectory, "trailresponder.dll");
        var files = Directory.EnumerateFiles(corpus.Trail, "*.json.gz", SearchOption.AllDirectories).Count(f => f.Contains("/CloudTrail/", StringComparison.Ordinal));
        var command = $"dotnet '{cli}' scan '{corpus.Trail}' --format json > /dev/null";
        Dictionary<string, string>? OnCores(int? cores) =>
            cores is { } n ? new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = n.ToString(CultureInfo.InvariantCulture) } : null;
        (TimeSpan Elapsed, long Records, double JsonBytes) Once(int? cores)
        {
            // The scan's own elapsed time (from its summary line), without process start-up, which is not what
            // scaling is about.
            var summary = Summary().Match(Measure.Shell(command, OnCores(cores)).Error);
            return (
                TimeSpan.FromSeconds(double.Parse(summary.Groups["seconds"].Value, CultureInfo.InvariantCulture)),
                long.Parse(summary.Groups["records"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                double.Parse(summary.Groups["json"].Value, CultureInfo.InvariantCulture) * 1e6);
        }

        // One core and all cores take turns, best of five each: a busy moment on this shared machine then disturbs
        // both sides of the ratio alike instead of one of them.
        var one = Once(1);
        var all = Once(null);
        for (var round = 1; round < 5; round++)
        {
            var next = Once(1);
            one = next.Elapsed < one.Elapsed ? next : one;
            next = Once(null);
            all = next.Elapsed < all.Elapsed ? next : all;
        }

        string Rates((TimeSpan Elapsed, long Records, double JsonBytes) run, long? peak) =>
            $"{ResultTable.Rate(files / run.Elapsed.TotalSeconds, "files")}, {ResultTable.Rate(run.Records / run.Elapsed.TotalSeconds, "records")}, "
            + $"{ResultTable.Rate(run.JsonBytes / run.Elapsed.TotalSeconds / 1e6, "MB")}{ResultTable.Peak(peak)}";

        var speedup = one.Elapsed / all.Elapsed;
        table.Add(new Result($"scan, {files} files, 1 core", Rates(one, Measure.PeakResidentBytes(command, OnCores(1)))));
        table.Add(new Result(
            $"scan, {files} files, {Environment.ProcessorCount} cores",
            Rates(all, Measure.PeakResidentBytes(command)),
            string.Create(CultureInfo.InvariantCulture, $"{speedup:0.00} x one core"),
            Environment.ProcessorCount >= 2 ? ">= 1.7 x one core" : "(one core only)",
            Environment.ProcessorCount >= 2 ? speedup >= 1.7 : null));
    }

    // The summary line: "scanned N log files (X MB read, Y MB of JSON) with R rules: N records, ... in S s (...)".
    [GeneratedRegex(@"MB read, (?<json>[0-9.]+) MB of JSON\).*?: (?<records>[0-9,]+) records,.* in (?<seconds>[0-9.]+) s ")]
    private static partial Regex Summary();
}
