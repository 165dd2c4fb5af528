using TrailResponder.Core.Logs;

namespace TrailResponder.Core.Scanning;

/// <summary>What scanning one log file amounted to; the findings themselves went to the scan's observer.</summary>
/// <param name="Source">The file path or <c>bucket/key</c>.</param>
/// <param name="FindingCount">Findings handed to the observer.</param>
/// <param name="Records">Records read (all of them, or those before <paramref name="Error"/>).</param>
/// <param name="CompressedBytes">Bytes read from the file.</param>
/// <param name="DecompressedBytes">Bytes of JSON decompressed.</param>
/// <param name="Problems">The first faults that did not stop the file (records skipped), at most the reader's bound.</param>
/// <param name="ProblemCount">Every fault that did not stop the file, listed or not.</param>
/// <param name="Error">The fault that stopped the file early, if any; the findings before it were handed over.</param>
public sealed record LogFileScan(
    string Source,
    int FindingCount,
    int Records,
    long CompressedBytes,
    long DecompressedBytes,
    IReadOnlyList<LogFileException> Problems,
    int ProblemCount,
    LogFileException? Error)
{
    /// <summary>True when the whole file was read and every record was an object.</summary>
    public bool IsComplete => Error is null && ProblemCount == 0;

    /// <summary>Faults counted but not kept in <see cref="Problems"/>.</summary>
    public int UnlistedProblems => ProblemCount - Problems.Count;
}
