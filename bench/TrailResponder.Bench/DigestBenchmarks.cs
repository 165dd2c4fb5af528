using System.IO.Compression;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Digests;

namespace TrailResponder.Bench;

/// <summary>
/// Validating a day of digests and their log files, beside <c>sha256sum</c> over the same bytes: the decompressed
/// log files, which is what validation hashes.
/// </summary>
internal static class DigestBenchmarks
{
    public static void Run(Corpus corpus, ResultTable table)
    {
        Console.WriteLine("digest validation:");
        var logs = Directory.EnumerateFiles(corpus.Trail, "*.json.gz", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}CloudTrail{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var decompressed = Path.Combine(Path.GetDirectoryName(corpus.Trail)!, "trail-json");
        if (!Directory.Exists(decompressed))
        {
            Directory.CreateDirectory(decompressed);
            foreach (var (log, i) in logs.Select((l, i) => (l, i)))
            {
                using var gzip = new GZipStream(File.OpenRead(log), CompressionMode.Decompress);
                using var output = File.Create(Path.Combine(decompressed, $"{i:D5}.json"));
                gzip.CopyTo(output);
            }
        }

        var json = Directory.EnumerateFiles(decompressed).Sum(f => new FileInfo(f).Length);
        var keys = PublicKeySet.Parse(File.ReadAllText(corpus.PublicKeys), corpus.PublicKeys);
        DigestValidationReport? report = null;
        var validation = Measure.BestOf(3, () => report = new DigestChainValidator(new LocalFolderTrailStore(corpus.Trail), keys, new DigestValidationOptions()).ValidateAsync().GetAwaiter().GetResult());
        var floor = Measure.BestOf(3, () => Measure.Shell($"find '{decompressed}' -type f -print0 | xargs -0 -P {Environment.ProcessorCount} -n 64 sha256sum > /dev/null"));
        table.Add(new Result($"sha256sum over the {logs.Count} decompressed log files, all cores (the floor)", ResultTable.Rate(json / floor.TotalSeconds / 1e6, "MB")));
        table.Add(new Result(
            $"validate {report!.Digests.Total} digests, {report.LogFiles.Total} log files ({(report.AllValid ? "all valid" : "PROBLEMS")})",
            $"{ResultTable.Rate(report.LogFiles.Total / validation.TotalSeconds, "files")}, {ResultTable.Rate(json / validation.TotalSeconds / 1e6, "MB")} of JSON",
            LogBenchmarks.Ratio(1 / validation.TotalSeconds, 1 / floor.TotalSeconds),
            ">= 0.8 x sha256sum",
            floor / validation >= 0.8));
    }
}
