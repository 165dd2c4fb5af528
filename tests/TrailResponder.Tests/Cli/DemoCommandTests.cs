using TrailResponder.Cli;

namespace TrailResponder.Tests.Cli;

public class DemoCommandTests
{
    [Fact]
    public void Demo_writes_a_sample_trail_and_reports_its_planted_violations()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tr-demo-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exitCode = CliApp.Run(["demo", folder], output, error);

            Assert.Equal(0, exitCode);
            var text = output.ToString();
            Assert.Contains($"Wrote a sample trail to {folder}", text, StringComparison.Ordinal);
            foreach (var rule in new[] { "CIS-4.3  Root user activity", "TR-S3-PUBLIC-POLICY", "TR-IAM-ADMIN-POLICY-ATTACHED", "CIS-4.2" })
            {
                Assert.Contains(rule, text, StringComparison.Ordinal);
            }

            Assert.Contains("Next:", text, StringComparison.Ordinal);
            Assert.Contains("0 errors", error.ToString(), StringComparison.Ordinal);
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(folder, "AWSLogs"), "*.json.gz", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Demo_refuses_a_folder_that_is_not_empty()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tr-demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            Assert.Equal(2, CliApp.Run(["demo", folder], output, error));
            Assert.Contains("is not empty", error.ToString(), StringComparison.Ordinal);
            Assert.Single(Directory.EnumerateFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
