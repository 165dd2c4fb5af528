using System.Globalization;
using TrailResponder.SampleTrail;

namespace TrailResponder.Bench;

/// <summary>The benchmark corpus, generated deterministically (same seed, same bytes) and reused when already there.</summary>
internal sealed record Corpus(string FiftyThousand, string TenMegabytes, string HundredMegabytes, string Large, long LargeBytes, string Trail, string PublicKeys)
{
    public static Corpus Build(string folder, bool quick)
    {
        Directory.CreateDirectory(folder);
        var fifty = Generate(Path.Combine(folder, "records-50000.json.gz"), output => CloudTrailLogFileWriter.WriteMixedRecords(output, 50_000, seed: 50));
        var ten = Generate(Path.Combine(folder, "json-10mb.json.gz"), output => CloudTrailLogFileWriter.WriteMixedRecordsOfSize(output, 10_000_000, seed: 10));
        var hundred = Generate(Path.Combine(folder, "json-100mb.json.gz"), output => CloudTrailLogFileWriter.WriteMixedRecordsOfSize(output, 100_000_000, seed: 100));
        var largeBytes = quick ? 200_000_000L : 1_000_000_000L;
        var large = Generate(
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"json-{largeBytes / 1_000_000}mb.json.gz")),
            output => CloudTrailLogFileWriter.WriteMixedRecordsOfSize(output, largeBytes, seed: 1000));
        var trail = Path.Combine(folder, "trail");
        var keys = Path.Combine(folder, "public-keys.json");
        if (!Directory.Exists(trail))
        {
            Console.WriteLine("  generating a day of sample trail with signed digests");
            // Big enough files that start-up and JIT do not dominate the scaling measurement.
            var manifest = SampleTrailGenerator.Generate(trail, new SampleTrailOptions { RecordsPerFile = quick ? 150 : 400 });
            using var signer = new SampleDigestWriter();
            signer.Write(trail, manifest, CloudTrailEventFactory.DefaultAccountId, new SampleTrailOptions().Day, keys);
        }

        return new Corpus(fifty, ten, hundred, large, largeBytes, trail, keys);
    }

    private static string Generate(string path, Action<Stream> write)
    {
        if (!File.Exists(path))
        {
            Console.WriteLine($"  generating {Path.GetFileName(path)}");
            var partial = path + ".partial";
            using (var output = File.Create(partial))
            {
                write(output);
            }

            File.Move(partial, path);
        }

        return path;
    }
}
