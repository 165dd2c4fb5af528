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
        TimeSpan Scan(int? cores)
        {
            var environment = cores is { } n ? new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = n.ToString(CultureInfo.InvariantCulture) } : null;
            var best = TimeSpan.MaxValue;
            for (var i = 0; i < 3; i++)
            {
                // The scan's own elapsed time, without process start-up, which is not what scaling is about.
                var (_, _, error) = Measure.Shell($"dotnet '{cli}' scan '{corpus.Trail}' --format json > /dev/null", environment);
                var seconds = double.Parse(Elapsed().Match(error).Groups[1].Value, CultureInfo.InvariantCulture);
                best = TimeSpan.FromSeconds(Math.Min(best.TotalSeconds, seconds));
            }

            return best;
        }

        var files = Directory.EnumerateFiles(corpus.Trail, "*.json.gz", SearchOption.AllDirectories).Count(f => f.Contains("/CloudTrail/", StringComparison.Ordinal));
        var one = Scan(1);
        var all = Scan(null);
        var speedup = one / all;
        table.Add(new Result($"scan, {files} files, 1 core", ResultTable.Rate(files / one.TotalSeconds, "files")));
        var target = Environment.ProcessorCount >= 2 ? 1.7 * Math.Min(Environment.ProcessorCount, 2) / 2 : 1.0;
        table.Add(new Result(
            $"scan, {files} files, {Environment.ProcessorCount} cores",
            ResultTable.Rate(files / all.TotalSeconds, "files"),
            string.Create(CultureInfo.InvariantCulture, $"{speedup:0.00} x one core"),
            Environment.ProcessorCount >= 2 ? ">= 1.7 x one core" : "(one core only)",
            Environment.ProcessorCount >= 2 ? speedup >= 1.7 : null));
        _ = target;
    }

    [GeneratedRegex(@" in ([0-9.]+) s ")]
    private static partial Regex Elapsed();
}
