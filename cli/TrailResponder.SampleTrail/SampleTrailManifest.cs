namespace TrailResponder.SampleTrail;

/// <summary>What <see cref="SampleTrailGenerator.Generate"/> wrote.</summary>
/// <param name="Files">Every log file, in the order written.</param>
/// <param name="PlantedEvents">Each planted event and the file it landed in.</param>
public sealed record SampleTrailManifest(IReadOnlyList<SampleTrailFile> Files, IReadOnlyList<PlantedEventPlacement> PlantedEvents)
{
    /// <summary>Records across all files.</summary>
    public int TotalRecords => Files.Sum(f => f.RecordCount);
}

/// <summary>One log file of a sample trail.</summary>
/// <param name="RelativePath">Path under the trail root with forward slashes (the S3 key of a bucket mirror).</param>
/// <param name="Region">The region whose events it holds.</param>
/// <param name="RecordCount">Records in the file.</param>
/// <param name="WindowStart">The earliest time an event in the file may have.</param>
/// <param name="WindowEnd">The end (exclusive) of the file's time window.</param>
/// <param name="NewestEventTime">The newest event's time; the file name carries its minute.</param>
public sealed record SampleTrailFile(
    string RelativePath,
    string Region,
    int RecordCount,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    DateTimeOffset NewestEventTime);
