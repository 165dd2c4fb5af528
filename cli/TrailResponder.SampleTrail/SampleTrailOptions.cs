namespace TrailResponder.SampleTrail;

/// <summary>What sample trail to generate. The defaults give one day in two regions: thousands of benign events and a handful of planted ones.</summary>
public sealed record SampleTrailOptions
{
    /// <summary>Seed for every random choice; the same options always give the same files.</summary>
    public int Seed { get; init; } = 20260302;

    /// <summary>The account the trail belongs to.</summary>
    public string AccountId { get; init; } = CloudTrailEventFactory.DefaultAccountId;

    /// <summary>Regions to write; global-service events appear only if us-east-1 is among them.</summary>
    public IReadOnlyList<string> Regions { get; init; } = ["us-east-1", "eu-west-1"];

    /// <summary>The UTC day covered.</summary>
    public DateOnly Day { get; init; } = new(2026, 3, 2);

    /// <summary>Log files per region per hour (CloudTrail delivers about every five minutes); must divide 60.</summary>
    public int FilesPerRegionPerHour { get; init; } = 12;

    /// <summary>Benign records per file; planted events come on top.</summary>
    public int RecordsPerFile { get; init; } = 8;

    /// <summary>Whether to plant the catalogued violations and near misses.</summary>
    public bool PlantViolations { get; init; } = true;
}
