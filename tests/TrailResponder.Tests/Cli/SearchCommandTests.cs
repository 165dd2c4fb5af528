using System.Text.Json;
using TrailResponder.Cli;
using TrailResponder.Core.Logs;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.Cli;

/// <summary>Two consecutive days of sample trail in one folder, so searches can cross midnight.</summary>
public sealed class TwoDayTrail : IDisposable
{
    public TwoDayTrail()
    {
        Root = Path.Combine(Path.GetTempPath(), "tr-search-" + Guid.NewGuid().ToString("N"));
        First = SampleTrailGenerator.Generate(Root, new SampleTrailOptions { Day = new DateOnly(2026, 3, 2), FilesPerRegionPerHour = 2, RecordsPerFile = 6, Seed = 1 });
        Second = SampleTrailGenerator.Generate(Root, new SampleTrailOptions { Day = new DateOnly(2026, 3, 3), FilesPerRegionPerHour = 2, RecordsPerFile = 6, Seed = 2 });
        Records = Directory.EnumerateFiles(Root, "*.json.gz", SearchOption.AllDirectories)
            .SelectMany(f => CloudTrailLogReader.ReadAll(File.OpenRead(f), f).Select(r => (r.EventName, r.EventTime, r.AwsRegion, r.ErrorCode)))
            .ToList();
    }

    public string Root { get; }

    public SampleTrailManifest First { get; }

    public SampleTrailManifest Second { get; }

    /// <summary>Every record of the trail, read directly, to check search results against.</summary>
    public List<(string? EventName, DateTimeOffset? EventTime, string? Region, string? ErrorCode)> Records { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public class SearchCommandTests(TwoDayTrail trail) : IClassFixture<TwoDayTrail>
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void An_event_name_finds_exactly_the_events_of_that_name()
    {
        var (exitCode, output, error) = Run("search", trail.Root, "--event-name", "ConsoleLogin", "--format", "json");

        Assert.Equal(0, exitCode);
        var found = Lines(output);
        Assert.Equal(trail.Records.Count(r => r.EventName == "ConsoleLogin"), found.Count);
        Assert.NotEmpty(found);
        Assert.All(found, r => Assert.Equal("ConsoleLogin", r.GetProperty("eventName").GetString()));
        Assert.Contains($"{trail.Records.Count:N0} records", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_error_finds_every_failed_call_newest_first()
    {
        var (_, output, _) = Run("search", trail.Root, "--error", "*", "--format", "json");

        var found = Lines(output);
        Assert.Equal(trail.Records.Count(r => r.ErrorCode is not null), found.Count);
        var times = found.Select(r => r.GetProperty("eventTime").GetString()).ToList();
        Assert.Equal(times.OrderByDescending(t => t, StringComparer.Ordinal), times);
    }

    [Fact]
    public void A_time_range_across_midnight_reads_only_its_date_folders_and_keeps_only_its_events()
    {
        var start = new DateTimeOffset(2026, 3, 2, 23, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2026, 3, 3, 1, 0, 0, TimeSpan.Zero);

        var (exitCode, output, error) = Run("search", trail.Root, "--start-time", "2026-03-02T23:00:00Z", "--end-time", "2026-03-03T01:00:00Z", "--region", "eu-west-1", "--format", "json");

        Assert.Equal(0, exitCode);
        var expected = trail.Records.Count(r => r.EventTime >= start && r.EventTime <= end && r.Region == "eu-west-1");
        var found = Lines(output);
        Assert.Equal(expected, found.Count);
        Assert.Contains(found, r => r.GetProperty("eventTime").GetString()!.StartsWith("2026-03-02", StringComparison.Ordinal));
        Assert.Contains(found, r => r.GetProperty("eventTime").GetString()!.StartsWith("2026-03-03", StringComparison.Ordinal));
        var eastFiles = trail.First.Files.Count(f => f.Region == "us-east-1") + trail.Second.Files.Count(f => f.Region == "us-east-1");
        Assert.Contains($"searched {trail.First.Files.Count + trail.Second.Files.Count - eastFiles} log files", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_that_match_nothing_say_so()
    {
        var (exitCode, output, _) = Run("search", trail.Root, "--event-name", "NoSuchCall", "--user", "nobody");

        Assert.Equal(0, exitCode);
        Assert.Equal("No matching events.", output.Trim());
    }

    [Fact]
    public void Max_results_keeps_the_newest()
    {
        var (_, all, _) = Run("search", trail.Root, "--format", "json");
        var (_, three, error) = Run("search", trail.Root, "--format", "json", "--max-results", "3");

        Assert.Equal(Lines(all).Take(3).Select(r => r.GetRawText()), Lines(three).Select(r => r.GetRawText()));
        Assert.Contains("(3 shown)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_shows_time_user_event_source_ip_resources_and_error()
    {
        var (_, output, _) = Run("search", trail.Root, "--event-name", "ConsoleLogin", "--max-results", "2");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TIME", lines[0], StringComparison.Ordinal);
        foreach (var column in new[] { "USER", "EVENT", "SOURCE IP", "RESOURCES", "ERROR" })
        {
            Assert.Contains(column, lines[0], StringComparison.Ordinal);
        }

        Assert.Equal(3, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Contains("signin:ConsoleLogin", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--start-time", "yesterday", "is not a date or time")]
    [InlineData("--read-only", "maybe", "not true or false")]
    [InlineData("--max-results", "0", "at least 1")]
    public void Bad_filters_are_usage_errors(string option, string value, string message)
    {
        var (exitCode, _, error) = Run("search", trail.Root, option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_is_not_a_folder_says_what_to_give()
    {
        var (exitCode, _, error) = Run("search", "/no/such/trail");

        Assert.Equal(2, exitCode);
        Assert.Contains("s3://bucket[/prefix]", error, StringComparison.Ordinal);
    }
}
