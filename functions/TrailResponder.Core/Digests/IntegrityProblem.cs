using TrailResponder.Core.Rules;
using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>What kind of integrity problem a validation run found.</summary>
public enum IntegrityProblemKind
{
    /// <summary>A digest exists but fails a check (signature, hash, moved, key, broken chain link).</summary>
    DigestInvalid,

    /// <summary>A digest named by the chain is absent.</summary>
    DigestMissing,

    /// <summary>A log file exists but its hash differs from its digest's, or it cannot be read.</summary>
    LogFileInvalid,

    /// <summary>A log file a digest lists is absent.</summary>
    LogFileMissing,

    /// <summary>A log file exists but no valid digest vouches for it.</summary>
    LogFileUnverified,

    /// <summary>An hour (or more) inside a chain that no digest covers.</summary>
    Gap,

    /// <summary>A new chain starts after an older one: logging or log file validation was off in between.</summary>
    ChainRestart,

    /// <summary>A trail's digests stopped in an account and region although log files kept arriving there.</summary>
    NoDigest,

    /// <summary>The validator is set up wrongly: the trail name it was given matches no digest chain while others exist.</summary>
    ConfigurationError,
}

/// <summary>One integrity problem, with the exact key it is about and the reason in words.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Severity">CRITICAL for evidence of tampering or loss, HIGH for what may be an outage.</param>
/// <param name="Key">The key of the file concerned (for a gap or restart: the newer digest), as the store lists it.</param>
/// <param name="AccountId">The account whose trail files these are, when the key names one.</param>
/// <param name="Region">The region whose trail files these are, when the key names one.</param>
/// <param name="Reason">Why, in the validator's words.</param>
/// <param name="Trail">The trail concerned, for a problem about a trail rather than one file (no digest, configuration).</param>
public sealed record IntegrityProblem(IntegrityProblemKind Kind, Severity Severity, string Key, string? AccountId, string? Region, string Reason, string? Trail = null)
{
    /// <summary>
    /// Every problem in <paramref name="report"/>: invalid, missing and unverified files, gaps, chain restarts, trails
    /// whose digests stopped and a trail name matching no chain; most severe first.
    /// </summary>
    public static IReadOnlyList<IntegrityProblem> Of(DigestValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var problems = new List<IntegrityProblem>();
        foreach (var verdict in report.Verdicts.Where(v => v.Status != VerdictStatus.Valid))
        {
            var kind = (verdict.Kind, verdict.Status) switch
            {
                (VerdictFileKind.Digest, VerdictStatus.Missing) => IntegrityProblemKind.DigestMissing,
                (VerdictFileKind.Digest, _) => IntegrityProblemKind.DigestInvalid,
                (_, VerdictStatus.Missing) => IntegrityProblemKind.LogFileMissing,
                (_, VerdictStatus.Invalid) => IntegrityProblemKind.LogFileInvalid,
                _ => IntegrityProblemKind.LogFileUnverified,
            };
            var key = TrailObjectKey.Classify(verdict.Key);
            problems.Add(new IntegrityProblem(kind, SeverityOf(kind), verdict.Key, key.AccountId, key.Region, verdict.Reason));
        }

        foreach (var gap in report.Gaps)
        {
            problems.Add(new IntegrityProblem(
                IntegrityProblemKind.Gap,
                SeverityOf(IntegrityProblemKind.Gap),
                gap.NewerDigestKey,
                gap.Chain.AccountId,
                gap.Chain.Region,
                $"no digest covers {Time(gap.From)} to {Time(gap.To)} although {gap.NewerDigestKey} names {gap.OlderDigestKey} as its previous digest ({gap.LogFilesInGap} log files named in between)"));
        }

        foreach (var restart in report.ChainRestarts)
        {
            problems.Add(new IntegrityProblem(
                IntegrityProblemKind.ChainRestart,
                SeverityOf(IntegrityProblemKind.ChainRestart),
                restart.NewDigestKey,
                restart.Chain.AccountId,
                restart.Chain.Region,
                $"a new digest chain starts at {restart.NewDigestKey}; no digest covers {Time(restart.From)} to {Time(restart.To)} after {restart.OlderDigestKey} (logging or log file validation was off; {restart.LogFilesInBetween} log files named in between)"));
        }

        foreach (var silence in report.Silences)
        {
            problems.Add(new IntegrityProblem(
                IntegrityProblemKind.NoDigest,
                SeverityOf(IntegrityProblemKind.NoDigest),
                silence.DigestFolder,
                silence.Folder.AccountId,
                silence.Folder.Region,
                silence.Describe(),
                silence.TrailName));
        }

        if (report.TrailNameMismatch is { } mismatch)
        {
            problems.Add(new IntegrityProblem(
                IntegrityProblemKind.ConfigurationError,
                SeverityOf(IntegrityProblemKind.ConfigurationError),
                mismatch.Location,
                null,
                null,
                mismatch.Describe(),
                mismatch.TrailName));
        }

        return [.. problems
            .OrderByDescending(p => p.Severity)
            .ThenBy(p => p.Kind)
            .ThenBy(p => p.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Tampering and loss are CRITICAL. A log file nothing vouches for, a restarted chain and digests that stopped are
    /// HIGH: they also follow from someone switching validation off, which is a decision to question rather than proof of
    /// tampering. A configuration error is HIGH too: until it is mended, nothing is validated.
    /// </summary>
    public static Severity SeverityOf(IntegrityProblemKind kind) =>
        kind is IntegrityProblemKind.LogFileUnverified or IntegrityProblemKind.ChainRestart or IntegrityProblemKind.NoDigest or IntegrityProblemKind.ConfigurationError
            ? Severity.High
            : Severity.Critical;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
