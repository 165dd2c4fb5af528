using System.Text.Json;
using TrailResponder.Cli;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.Integration;

public class ScanS3EndToEndTests : LocalAwsTest
{
    private static HashSet<(string?, string?)> Findings(string output) => output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Select(f => (f.GetProperty("ruleId").GetString(), f.GetProperty("eventId").GetString()))
        .ToHashSet();

    [Fact]
    public void Scanning_an_S3_bucket_finds_what_scanning_its_local_mirror_finds()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tr-scan-s3-" + Guid.NewGuid().ToString("N"));
        try
        {
            var manifest = SampleTrailGenerator.Generate(folder, new SampleTrailOptions { FilesPerRegionPerHour = 1, RecordsPerFile = 5 });
            foreach (var file in manifest.Files)
            {
                Endpoint.S3.PutObject(Bucket, "trail/" + file.RelativePath, File.ReadAllBytes(Path.Combine(folder, file.RelativePath)));
            }

            Endpoint.S3.PutObject(Bucket, "trail/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20260302T010203Z.json.gz", [1]);
            using var local = new StringWriter();
            using var remote = new StringWriter();
            using var remoteSummary = new StringWriter();

            Assert.Equal(0, CliApp.Run(["scan", folder, "--format", "json"], local, new StringWriter()));
            var exitCode = CliApp.Run(["scan", $"s3://{Bucket}/trail", "--format", "json"], remote, remoteSummary, new CliEnvironment(Environment(), Credentials));

            Assert.Equal(0, exitCode);
            Assert.NotEmpty(Findings(local.ToString()));
            Assert.Equal(Findings(local.ToString()), Findings(remote.ToString()));
            Assert.Contains($"scanned {manifest.Files.Count} log files", remoteSummary.ToString(), StringComparison.Ordinal);
            Assert.Contains("1 skipped (1 digest)", remoteSummary.ToString(), StringComparison.Ordinal);
            Assert.Contains($"\"logFile\":\"s3://{Bucket}/trail/AWSLogs/", remote.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_bucket_that_does_not_exist_is_reported_and_exits_3()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = CliApp.Run(["scan", "s3://no-such-bucket"], output, error, new CliEnvironment(Environment(), Credentials));

        Assert.Equal(3, exitCode);
        Assert.Contains("no-such-bucket", error.ToString(), StringComparison.Ordinal);
    }
}
