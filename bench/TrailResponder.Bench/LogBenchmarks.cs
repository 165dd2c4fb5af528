using System.Globalization;
using System.IO.Compression;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;

namespace TrailResponder.Bench;

/// <summary>Reading and evaluating one 50,000-record file on one core, beside <c>gzip -dc</c> of the same file.</summary>
internal static class LogBenchmarks
{
    public static void Run(Corpus corpus, ResultTable table)
    {
        Console.WriteLine("log processing, one core:");
        var file = corpus.FiftyThousand;
        long json;
        using (var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress))
        {
            var buffer = new byte[1 << 16];
            json = 0;
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                json += read;
            }
        }

        var gzipTime = Measure.BestOf(3, () => Measure.Shell($"gzip -dc '{file}' > /dev/null"));
        var gzipRate = json / gzipTime.TotalSeconds;
        table.Add(new Result("gzip -dc (the floor), 50,000 records", ResultTable.Rate(gzipRate / 1e6, "MB")));

        var records = 0;
        var readerTime = Measure.BestOf(3, () =>
        {
            records = 0;
            using var reader = new CloudTrailLogReader(File.OpenRead(file), file);
            // The scanning path: each record's bytes in the reader's buffer, no copy.
            while (reader.ReadBytes() is not null)
            {
                records++;
            }
        });
        table.Add(new Result(
            "reader alone",
            $"{ResultTable.Rate(records / readerTime.TotalSeconds, "records")}, {ResultTable.Rate(json / readerTime.TotalSeconds / 1e6, "MB")}{ResultTable.Peak(PeakOf("reader", file))}",
            Ratio(json / readerTime.TotalSeconds, gzipRate)));

        var scanner = new LogFileScanner(RuleSet.BuiltIn);
        var findings = 0;
        var rulesTime = Measure.BestOf(3, () => findings = scanner.Scan(File.OpenRead(file), file, new FindingCollector()).FindingCount);
        var ratio = json / rulesTime.TotalSeconds / gzipRate;
        table.Add(new Result(
            $"reader + all {RuleSet.BuiltIn.Rules.Count} built-in rules ({findings} findings)",
            $"{ResultTable.Rate(records / rulesTime.TotalSeconds, "records")}, {ResultTable.Rate(json / rulesTime.TotalSeconds / 1e6, "MB")}{ResultTable.Peak(PeakOf("rules", file))}",
            Ratio(json / rulesTime.TotalSeconds, gzipRate),
            ">= 0.5 x gzip -dc",
            ratio >= 0.5));

        // The built-ins beside sixty Sigma rules of a public AWS set's shape, against the built-ins alone. The two are
        // timed in turns, best of five each, so a busy moment on a shared machine weighs on both alike.
        var withSigma = new LogFileScanner(SigmaBenchRules.WithBuiltIns());
        var sigmaFindings = 0;
        var builtInTime = TimeSpan.MaxValue;
        var sigmaTime = TimeSpan.MaxValue;
        for (var run = 0; run < 5; run++)
        {
            builtInTime = Min(builtInTime, Measure.BestOf(1, () => scanner.Scan(File.OpenRead(file), file, new FindingCollector())));
            sigmaTime = Min(sigmaTime, Measure.BestOf(1, () => sigmaFindings = withSigma.Scan(File.OpenRead(file), file, new FindingCollector()).FindingCount));
        }

        var sigmaRatio = builtInTime.TotalSeconds / sigmaTime.TotalSeconds;
        table.Add(new Result(
            $"reader + built-ins + {withSigma.Rules.Rules.Count - RuleSet.BuiltIn.Rules.Count} Sigma rules ({sigmaFindings} findings)",
            $"{ResultTable.Rate(records / sigmaTime.TotalSeconds, "records")}, {ResultTable.Rate(json / sigmaTime.TotalSeconds / 1e6, "MB")}",
            string.Create(CultureInfo.InvariantCulture, $"{sigmaRatio:0.00} x the built-ins alone"),
            ">= 0.8 x the built-ins alone",
            sigmaRatio >= 0.8));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// The child process behind the peak-memory figures: reads <paramref name="file"/> once, with the reader alone or
    /// with every built-in rule, in a process of its own, so its peak is that job's alone.
    /// </summary>
    public static int ReadOnce(string job, string file)
    {
        if (job == "reader")
        {
            using var reader = new CloudTrailLogReader(File.OpenRead(file), file);
            while (reader.ReadBytes() is not null)
            {
                // Reading is the whole job here.
            }
        }
        else
        {
            new LogFileScanner(RuleSet.BuiltIn).Scan(File.OpenRead(file), file, new FindingCollector());
        }

        return 0;
    }

    private static long? PeakOf(string job, string file) =>
        Measure.PeakResidentBytes($"dotnet '{Path.Combine(AppContext.BaseDirectory, "TrailResponder.Bench.dll")}' --read-once {job} '{file}'");

    public static string Ratio(double value, double floor) => string.Create(CultureInfo.InvariantCulture, $"{value / floor:0.00} x the floor");
}
