using System.Diagnostics;
using System.Text.Json;
using TrailResponder.Cli;

namespace TrailResponder.Tests.Cli;

public class DemoCommandTests
{
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TrailResponder.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("TrailResponder.sln not found above the test folder.");
    }

    private static void AssertNamesEverythingPlanted(string output)
    {
        foreach (var expected in new[] { "CIS-4.3  Root user activity", "TR-S3-PUBLIC-POLICY", "TR-IAM-ADMIN-POLICY-ATTACHED", "CIS-4.2", "REVOKED sgr-", "ALLOWED", "EXEMPT", "LogFileInvalid: AWSLogs/", "LogFileMissing: AWSLogs/", "Next:" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Demo_shows_detection_response_delivery_and_integrity_with_files_to_look_at()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tr-demo-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exitCode = CliApp.Run(["demo", folder], output, error);

            Assert.Equal(0, exitCode);
            AssertNamesEverythingPlanted(output.ToString());
            Assert.Contains("0 errors", error.ToString(), StringComparison.Ordinal);
            Assert.Contains("48 skipped (48 digest)", error.ToString(), StringComparison.Ordinal);
            var asff = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "demo-outputs", "securityhub-findings.json"))).RootElement.GetProperty("Findings");
            Assert.Contains(asff.EnumerateArray(), f => f.GetProperty("GeneratorId").GetString() == "CIS-4.3");
            Assert.Contains(asff.EnumerateArray(), f => f.GetProperty("GeneratorId").GetString() == "TR-SG-POLICY");
            var emails = Directory.GetFiles(Path.Combine(folder, "demo-outputs", "emails")).Select(File.ReadAllText).ToList();
            Assert.Contains(emails, e => e.StartsWith("Subject: TrailResponder revoked tcp 22 from 0.0.0.0/0 on sg-0aaa1111bbbb22223", StringComparison.Ordinal));
            Assert.Contains(emails, e => e.StartsWith("Subject: TrailResponder HIGH: Root user activity", StringComparison.Ordinal));
            var validation = File.ReadAllLines(Path.Combine(folder, "demo-outputs", "validation.txt"));
            Assert.Equal(2, validation.Length);
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

    [Fact]
    public async Task The_READMEs_first_command_runs_exactly_as_written_and_shows_what_was_planted()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        var first = readme.SkipWhile(l => l != "```sh").Skip(1).First();
        var command = first.Split('#')[0].Trim();
        Assert.StartsWith("dotnet run --project cli/TrailResponder.Cli -- demo", command, StringComparison.Ordinal);

        var start = new ProcessStartInfo("bash", ["-c", command]) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        var output = await stdout;

        Assert.True(process.ExitCode == 0, await stderr);
        AssertNamesEverythingPlanted(output);
        var written = output.Split('\n').First(l => l.StartsWith("Wrote a sample trail to ", StringComparison.Ordinal));
        var trail = written["Wrote a sample trail to ".Length..written.IndexOf(": ", StringComparison.Ordinal)];
        Directory.Delete(Path.GetDirectoryName(trail)!, recursive: true);
    }
}
