using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;

namespace TrailResponder.Core.Scanning;

/// <summary>What scanning one log file produced.</summary>
/// <param name="Source">The file path or <c>bucket/key</c>.</param>
/// <param name="Findings">Every finding, in record order.</param>
/// <param name="Records">Records read (all of them, or those before <paramref name="Error"/>).</param>
/// <param name="CompressedBytes">Bytes read from the file.</param>
/// <param name="DecompressedBytes">Bytes of JSON decompressed.</param>
/// <param name="Problems">Faults that did not stop the file (records that were not objects).</param>
/// <param name="Error">The fault that stopped the file early, if any; the findings before it are kept.</param>
/// <param name="Watched">The records the rule set's watch pattern matched (empty without one).</param>
public sealed record LogFileScan(
    string Source,
    IReadOnlyList<Finding> Findings,
    int Records,
    long CompressedBytes,
    long DecompressedBytes,
    IReadOnlyList<LogFileException> Problems,
    LogFileException? Error,
    IReadOnlyList<CloudTrailRecord> Watched)
{
    /// <summary>True when the whole file was read and every record was an object.</summary>
    public bool IsComplete => Error is null && Problems.Count == 0;
}
