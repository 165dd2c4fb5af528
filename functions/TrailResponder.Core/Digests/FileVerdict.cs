namespace TrailResponder.Core.Digests;

/// <summary>Which kind of file a verdict is about.</summary>
public enum VerdictFileKind
{
    /// <summary>A digest file.</summary>
    Digest,

    /// <summary>A CloudTrail log file.</summary>
    LogFile,
}

/// <summary>What validation concluded about one file.</summary>
public enum VerdictStatus
{
    /// <summary>The file is authentic: signature (digest) or hash (log file) verified, chain intact.</summary>
    Valid,

    /// <summary>The file exists but fails a check: hash or signature mismatch, moved, unknown or expired key, broken chain, unreadable.</summary>
    Invalid,

    /// <summary>The file is referenced (by a digest) but absent.</summary>
    Missing,

    /// <summary>A log file that exists but that no valid digest vouches for.</summary>
    Unverified,
}

/// <summary>The verdict on one digest or log file, with the reason in words.</summary>
/// <param name="Kind">Digest or log file.</param>
/// <param name="Key">The file's key relative to the store root, with forward slashes.</param>
/// <param name="Status">The verdict.</param>
/// <param name="Reason">Why, in the AWS CLI's words where it has some.</param>
public sealed record FileVerdict(VerdictFileKind Kind, string Key, VerdictStatus Status, string Reason);
