namespace TrailResponder.Core.Digests;

/// <summary>A stretch of time inside a chain that no digest covers although the chain links across it.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="OlderDigestKey">The digest before the gap.</param>
/// <param name="NewerDigestKey">The digest after the gap, which names the older one as its previous digest.</param>
/// <param name="From">The older digest's <c>digestEndTime</c>.</param>
/// <param name="To">The newer digest's <c>digestStartTime</c>.</param>
/// <param name="LogFilesInGap">How many log files are named for a time inside the gap.</param>
public sealed record DigestGap(DigestChainId Chain, string OlderDigestKey, string NewerDigestKey, DateTimeOffset From, DateTimeOffset To, int LogFilesInGap);

/// <summary>A new chain starting after an older one: logging or log file validation was off between them.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="OlderDigestKey">The newest digest older than the restart.</param>
/// <param name="NewDigestKey">The starting digest (all <c>previousDigest*</c> fields null).</param>
/// <param name="From">The older digest's end time, from its key (as the AWS CLI prints it).</param>
/// <param name="To">The starting digest's <c>digestStartTime</c>.</param>
/// <param name="LogFilesInBetween">How many log files are named for a time between the chains: no digest vouches for them.</param>
public sealed record ChainRestart(DigestChainId Chain, string OlderDigestKey, string NewDigestKey, DateTimeOffset From, DateTimeOffset To, int LogFilesInBetween);

/// <summary>How many files got each verdict.</summary>
public sealed record VerdictCounts(int Valid, int Invalid, int Missing, int Unverified)
{
    /// <summary>All files counted.</summary>
    public int Total => Valid + Invalid + Missing + Unverified;

    /// <summary>Counts the verdicts of one kind.</summary>
    public static VerdictCounts Of(IEnumerable<FileVerdict> verdicts, VerdictFileKind kind)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var ofKind = verdicts.Where(v => v.Kind == kind).ToList();
        return new VerdictCounts(
            ofKind.Count(v => v.Status == VerdictStatus.Valid),
            ofKind.Count(v => v.Status == VerdictStatus.Invalid),
            ofKind.Count(v => v.Status == VerdictStatus.Missing),
            ofKind.Count(v => v.Status == VerdictStatus.Unverified));
    }
}

/// <summary>Everything one validation run found: a verdict per file, gaps, chain restarts and counts.</summary>
public sealed record DigestValidationReport
{
    /// <summary>Digest verdicts in walk order (newest first per chain), then log-file verdicts by key.</summary>
    public required IReadOnlyList<FileVerdict> Verdicts { get; init; }

    /// <summary>Stretches inside chains no digest covers.</summary>
    public required IReadOnlyList<DigestGap> Gaps { get; init; }

    /// <summary>Places where a chain starts again after an older one.</summary>
    public required IReadOnlyList<ChainRestart> ChainRestarts { get; init; }

    /// <summary>Digests in range that the chain walk never reached (the AWS CLI skips them silently too).</summary>
    public required IReadOnlyList<string> OffChainDigests { get; init; }

    /// <summary>
    /// Log files no digest lists yet that were delivered after the newest digest of their folder (or in a folder without
    /// digests) and, with a settle time, too recently for their digest to be due: not yet covered, not judged.
    /// </summary>
    public required int PendingLogFiles { get; init; }

    /// <summary>Trails whose digests stopped in a folder (account and region) while log files kept arriving there.</summary>
    public IReadOnlyList<DigestSilence> Silences { get; init; } = [];

    /// <summary>Set when the trail name asked for matches no digest chain in the listing while other trails' chains are there.</summary>
    public TrailNameMismatch? TrailNameMismatch { get; init; }

    /// <summary>Verdict counts for digest files.</summary>
    public VerdictCounts Digests => VerdictCounts.Of(Verdicts, VerdictFileKind.Digest);

    /// <summary>Verdict counts for log files.</summary>
    public VerdictCounts LogFiles => VerdictCounts.Of(Verdicts, VerdictFileKind.LogFile);

    /// <summary>True when every file examined is valid.</summary>
    public bool AllValid => Verdicts.All(v => v.Status == VerdictStatus.Valid);
}
