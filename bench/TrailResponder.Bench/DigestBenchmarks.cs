using TrailResponder.Cli.Storage;
using TrailResponder.Core.Digests;

namespace TrailResponder.Bench;

/// <summary>Validating a day of digests and their log files, beside <c>sha256sum</c> over the same files.</summary>
internal static class DigestBenchmarks
{
    public static void Run(Corpus corpus, ResultTable table)
    {
        Console.WriteLine("digest validation:");
        var files = Directory.EnumerateFiles(corpus.Trail, "*.json.gz", SearchOption.AllDirectories).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        var keys = PublicKeySet.Parse(File.ReadAllText(corpus.PublicKeys), corpus.PublicKeys);
        DigestValidationReport? report = null;
        var validation = Measure.BestOf(3, () => report = new DigestChainValidator(new LocalFolderTrailStore(corpus.Trail), keys, new DigestValidationOptions()).ValidateAsync().GetAwaiter().GetResult());
        var floor = Measure.BestOf(3, () => Measure.Shell($"find '{corpus.Trail}' -name '*.json.gz' -print0 | xargs -0 sha256sum > /dev/null"));
        var ratio = floor / validation;
        table.Add(new Result("sha256sum over the same files (the floor)", $"{ResultTable.Rate(files.Count / floor.TotalSeconds, "files")}, {ResultTable.Rate(bytes / floor.TotalSeconds / 1e6, "MB")}"));
        table.Add(new Result(
            $"validate {report!.Digests.Total} digests, {report.LogFiles.Total} log files ({(report.AllValid ? "all valid" : "PROBLEMS")})",
            $"{ResultTable.Rate(files.Count / validation.TotalSeconds, "files")}, {ResultTable.Rate(bytes / validation.TotalSeconds / 1e6, "MB")}",
            LogBenchmarks.Ratio(1 / validation.TotalSeconds, 1 / floor.TotalSeconds),
            ">= 0.8 x sha256sum",
            ratio >= 0.8));
    }
}
