namespace TrailResponder.Core.Logs;

/// <summary>Bounds on what a log file may make the reader do.</summary>
/// <remarks>
/// CloudTrail caps a delivered file at 50 MB compressed and an event at 256 KB, so the defaults are generous for
/// real files while still stopping a decompression bomb or a runaway record before it exhausts memory or time.
/// </remarks>
public sealed record LogReaderOptions
{
    /// <summary>The default options.</summary>
    public static readonly LogReaderOptions Default = new();

    /// <summary>The most decompressed bytes one file may produce (default 4,000,000,000).</summary>
    /// <remarks>Kept below 0xFF000000 so truncation detection in <see cref="VerifiedGzipStream"/> stays exact.</remarks>
    public long MaxDecompressedBytes { get; init; } = 4_000_000_000;

    /// <summary>The largest single record, in bytes (default 16 MiB; CloudTrail's own limit is 256 KB).</summary>
    public int MaxRecordBytes { get; init; } = 16 << 20;

    /// <summary>
    /// How many faults that do not stop a file (records skipped) are kept in full per file (default 10); the rest are
    /// only counted, so a file of millions of bad elements costs no more memory than one with ten.
    /// </summary>
    public int MaxListedProblems { get; init; } = 10;
}
