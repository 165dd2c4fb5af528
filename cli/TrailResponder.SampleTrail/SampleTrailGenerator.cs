using System.Globalization;

namespace TrailResponder.SampleTrail;

/// <summary>Writes a local mirror of a trail bucket: gzip log files under CloudTrail's real key layout.</summary>
public static class SampleTrailGenerator
{
    /// <summary>Generates the trail under <paramref name="rootFolder"/> (created if missing) and describes what it wrote.</summary>
    public static SampleTrailManifest Generate(string rootFolder, SampleTrailOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        var random = new DeterministicRandom(options.Seed);
        var window = TimeSpan.FromMinutes(60 / options.FilesPerRegionPerHour);
        var plantsBySlot = options.PlantViolations ? AssignPlantsToFiles(options, random) : [];
        var files = new List<SampleTrailFile>();
        var placements = new List<PlantedEventPlacement>();
        var dayStart = new DateTimeOffset(options.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        for (var regionIndex = 0; regionIndex < options.Regions.Count; regionIndex++)
        {
            var region = options.Regions[regionIndex];
            for (var slot = 0; slot < 24 * options.FilesPerRegionPerHour; slot++)
            {
                var windowStart = dayStart + (window * slot);
                var factory = new CloudTrailEventFactory(random.Next(int.MaxValue), windowStart, window, options.AccountId, region);
                var unique = random.Alphanumeric(16);
                var plants = plantsBySlot.TryGetValue((regionIndex, slot), out var assigned) ? assigned : [];
                var (file, planted) = WriteFile(rootFolder, options, factory, windowStart, window, unique, plants);
                files.Add(file);
                placements.AddRange(planted.Select(p => new PlantedEventPlacement(p, file.RelativePath)));
            }
        }

        return new SampleTrailManifest(files, placements);
    }

    private static (SampleTrailFile File, List<PlantedEvent> Planted) WriteFile(
        string rootFolder,
        SampleTrailOptions options,
        CloudTrailEventFactory factory,
        DateTimeOffset windowStart,
        TimeSpan window,
        string unique,
        IReadOnlyList<PlantedEventTemplate> plants)
    {
        var records = new List<string>(options.RecordsPerFile + plants.Count);
        var newest = DateTimeOffset.MinValue;
        for (var i = 0; i < options.RecordsPerFile; i++)
        {
            records.Add(factory.BenignRecord());
            newest = Max(newest, factory.LastRecord!.EventTime);
        }

        // CloudTrail does not sort a file's records, so planted ones go anywhere among the benign.
        var planted = new List<PlantedEvent>(plants.Count);
        foreach (var template in plants)
        {
            var plant = template.Plant(factory);
            records.Insert(factory.Randomness.Next(records.Count + 1), plant.Json);
            newest = Max(newest, factory.LastRecord!.EventTime);
            planted.Add(plant);
        }

        var account = options.AccountId;
        var region = factory.Region;
        var relativePath = string.Create(
            CultureInfo.InvariantCulture,
            $"AWSLogs/{account}/CloudTrail/{region}/{newest:yyyy}/{newest:MM}/{newest:dd}/{account}_CloudTrail_{region}_{newest:yyyyMMdd'T'HHmm'Z'}_{unique}.json.gz");
        var fullPath = Path.Combine(rootFolder, relativePath.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        using (var stream = new FileStream(fullPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            CloudTrailLogFileWriter.Write(stream, records, LogFileCompression.Gzip, validateRecords: false);
        }

        return (new SampleTrailFile(relativePath, region, records.Count, windowStart, windowStart + window, newest), planted);
    }

    /// <summary>Decides up front which file each planted event goes to; global-service events only to us-east-1, as CloudTrail records them.</summary>
    private static Dictionary<(int Region, int Slot), List<PlantedEventTemplate>> AssignPlantsToFiles(SampleTrailOptions options, DeterministicRandom random)
    {
        var slots = 24 * options.FilesPerRegionPerHour;
        var globalRegion = IndexOf(options.Regions, CloudTrailEventFactory.GlobalServiceRegion);
        var assignment = new Dictionary<(int, int), List<PlantedEventTemplate>>();
        foreach (var template in PlantedEventCatalog.SampleTrailTemplates)
        {
            var region = template.GlobalService ? globalRegion : random.Next(options.Regions.Count);
            if (region < 0)
            {
                continue;
            }

            var key = (region, random.Next(slots));
            if (!assignment.TryGetValue(key, out var list))
            {
                list = [];
                assignment[key] = list;
            }

            list.Add(template);
        }

        return assignment;
    }

    private static void Validate(SampleTrailOptions options)
    {
        if (options.Regions.Count == 0 || options.Regions.Any(string.IsNullOrWhiteSpace) || options.Regions.Distinct(StringComparer.Ordinal).Count() != options.Regions.Count)
        {
            throw new ArgumentException("Regions must be a non-empty list of distinct region names.", nameof(options));
        }

        if (options.AccountId.Length != 12 || !options.AccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("AccountId must be 12 digits.", nameof(options));
        }

        if (options.FilesPerRegionPerHour is < 1 or > 60 || 60 % options.FilesPerRegionPerHour != 0)
        {
            throw new ArgumentException("FilesPerRegionPerHour must divide 60.", nameof(options));
        }

        if (options.RecordsPerFile < 1)
        {
            throw new ArgumentException("RecordsPerFile must be at least 1.", nameof(options));
        }
    }

    private static int IndexOf(IReadOnlyList<string> regions, string region)
    {
        for (var i = 0; i < regions.Count; i++)
        {
            if (regions[i] == region)
            {
                return i;
            }
        }

        return -1;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
