using System.Globalization;
using System.Text.Json;
using TrailResponder.Core.Trail;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.SampleTrail;

/// <summary>A default sample trail generated once for the tests that only read it.</summary>
public sealed class DefaultSampleTrail : IDisposable
{
    public DefaultSampleTrail()
    {
        Root = Directory.CreateTempSubdirectory("sampletrail-").FullName;
        Manifest = SampleTrailGenerator.Generate(Root, new SampleTrailOptions());
    }

    public string Root { get; }

    public SampleTrailManifest Manifest { get; }

    public List<JsonElement> ReadRecords(string relativePath) =>
        LogFileReading.Records(LogFileReading.Decompress(File.ReadAllBytes(Path.Combine(Root, relativePath))));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public class SampleTrailGeneratorTests(DefaultSampleTrail trail) : IClassFixture<DefaultSampleTrail>
{
    [Fact]
    public void Default_trail_covers_a_day_in_two_regions_with_thousands_of_records_and_a_handful_of_violations()
    {
        var manifest = trail.Manifest;

        Assert.Equal(["eu-west-1", "us-east-1"], manifest.Files.Select(f => f.Region).Distinct().Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2 * 24 * 12, manifest.Files.Count);
        Assert.InRange(manifest.TotalRecords, 2000, 20_000);
        var violations = manifest.PlantedEvents.Count(p => p.Event.Category != PlantedEventCategory.NearMiss);
        Assert.InRange(violations, 10, 20);
        Assert.Equal(manifest.Files.Sum(f => f.RecordCount), manifest.TotalRecords);
    }

    [Fact]
    public void Every_file_is_a_cloudtrail_log_file_named_after_its_newest_event_minute()
    {
        foreach (var file in trail.Manifest.Files)
        {
            var key = TrailObjectKey.Classify(file.RelativePath);

            Assert.Equal(TrailObjectKind.LogFile, key.Kind);
            Assert.Null(key.Prefix);
            Assert.Equal(CloudTrailEventFactory.DefaultAccountId, key.AccountId);
            Assert.Equal(file.Region, key.Region);
            Assert.Equal(Minute(file.NewestEventTime), key.Timestamp);
            Assert.Matches(@"_[A-Za-z0-9]{16}\.json\.gz$", file.RelativePath);
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"AWSLogs/111122223333/CloudTrail/{file.Region}/{file.NewestEventTime:yyyy/MM/dd}/"), file.RelativePath, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(trail.Root, file.RelativePath)));
        }
    }

    [Fact]
    public void Each_file_holds_its_manifest_count_of_records_all_inside_its_window_with_the_newest_in_its_name()
    {
        foreach (var file in trail.Manifest.Files)
        {
            var records = trail.ReadRecords(file.RelativePath);

            Assert.Equal(file.RecordCount, records.Count);
            var times = records.Select(r => DateTimeOffset.Parse(r.GetProperty("eventTime").GetString()!, CultureInfo.InvariantCulture)).ToList();
            Assert.All(times, t => Assert.InRange(t, file.WindowStart, file.WindowEnd - TimeSpan.FromSeconds(1)));
            Assert.Equal(file.NewestEventTime, times.Max());
            Assert.All(records, r => Assert.Equal(file.Region, r.GetProperty("awsRegion").GetString()));
        }
    }

    [Fact]
    public void Planted_events_are_in_the_files_the_manifest_names()
    {
        Assert.NotEmpty(trail.Manifest.PlantedEvents);
        foreach (var placement in trail.Manifest.PlantedEvents)
        {
            var record = Assert.Single(trail.ReadRecords(placement.RelativePath), r => r.GetProperty("eventID").GetString() == placement.Event.EventId);

            Assert.Equal(placement.Event.Json, record.GetRawText());
            Assert.Equal(placement.Event.ExpectedRuleIds, CisRuleMatches.Match(record));
        }
    }

    [Fact]
    public void Outside_the_planted_events_the_trail_triggers_no_cis_rule()
    {
        var planted = trail.Manifest.PlantedEvents.Select(p => p.Event.EventId).ToHashSet();

        var triggered = trail.Manifest.Files
            .SelectMany(f => trail.ReadRecords(f.RelativePath))
            .Where(r => !planted.Contains(r.GetProperty("eventID").GetString()!))
            .Count(r => CisRuleMatches.Match(r).Count > 0);

        Assert.Equal(0, triggered);
    }

    [Fact]
    public void Event_ids_are_unique_across_the_trail()
    {
        var ids = trail.Manifest.Files.SelectMany(f => trail.ReadRecords(f.RelativePath)).Select(r => r.GetProperty("eventID").GetString()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Same_options_give_byte_identical_trails_and_another_seed_does_not()
    {
        var small = new SampleTrailOptions { FilesPerRegionPerHour = 1, RecordsPerFile = 3 };

        var first = Snapshot(small);
        var again = Snapshot(small);
        var other = Snapshot(small with { Seed = small.Seed + 1 });

        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), again.Keys.Order(StringComparer.Ordinal));
        Assert.All(first, file => Assert.Equal(file.Value, again[file.Key]));
        Assert.NotEqual(first.Keys.Order(StringComparer.Ordinal), other.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_us_east_1_no_global_service_event_is_written()
    {
        var root = Directory.CreateTempSubdirectory("sampletrail-").FullName;
        try
        {
            var manifest = SampleTrailGenerator.Generate(root, new SampleTrailOptions { Regions = ["eu-west-1"], FilesPerRegionPerHour = 1, RecordsPerFile = 20 });

            var sources = manifest.Files.SelectMany(f => LogFileReading.Records(LogFileReading.Decompress(File.ReadAllBytes(Path.Combine(root, f.RelativePath)))))
                .Select(r => r.GetProperty("eventSource").GetString())
                .ToHashSet();
            Assert.DoesNotContain("iam.amazonaws.com", sources);
            Assert.DoesNotContain("signin.amazonaws.com", sources);
            Assert.DoesNotContain("sts.amazonaws.com", sources);
            Assert.NotEmpty(manifest.PlantedEvents);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Planting_can_be_switched_off()
    {
        var root = Directory.CreateTempSubdirectory("sampletrail-").FullName;
        try
        {
            var manifest = SampleTrailGenerator.Generate(root, new SampleTrailOptions { FilesPerRegionPerHour = 1, RecordsPerFile = 2, PlantViolations = false });

            Assert.Empty(manifest.PlantedEvents);
            Assert.Equal(2 * 24 * 2, manifest.TotalRecords);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    [InlineData(61)]
    public void Files_per_hour_must_divide_an_hour(int filesPerHour)
    {
        Assert.Throws<ArgumentException>(() => SampleTrailGenerator.Generate(Path.GetTempPath(), new SampleTrailOptions { FilesPerRegionPerHour = filesPerHour }));
    }

    private static Dictionary<string, byte[]> Snapshot(SampleTrailOptions options)
    {
        var root = Directory.CreateTempSubdirectory("sampletrail-").FullName;
        try
        {
            var manifest = SampleTrailGenerator.Generate(root, options);
            return manifest.Files.ToDictionary(f => f.RelativePath, f => File.ReadAllBytes(Path.Combine(root, f.RelativePath)), StringComparer.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static DateTimeOffset Minute(DateTimeOffset time) => new(time.Year, time.Month, time.Day, time.Hour, time.Minute, 0, TimeSpan.Zero);
}
