using System.Collections.Concurrent;
using System.Globalization;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>Log-file verdicts of a validation run, how many log files were too recent to judge, and those no digest lists that no gap or restart explains.</summary>
public sealed record LogFileVerdicts(IReadOnlyList<FileVerdict> Verdicts, int Pending, IReadOnlyList<UndigestedLogFile> Undigested);

/// <summary>Judges log files against the examined digests: hashes those valid digests list, and flags those none vouches for.</summary>
public sealed class LogFileVerifier
{
    private readonly DigestValidationOptions options;
    private readonly LogFileHasher hasher;

    /// <summary>Creates a verifier reading log files from <paramref name="store"/>.</summary>
    public LogFileVerifier(ITrailObjectStore store, DigestValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        hasher = new LogFileHasher(store, options.MaxLogFileBytes);
    }

    /// <summary>Produces one verdict per log file that a digest lists or that lies in the range digests cover.</summary>
    /// <param name="examinations">The digests examined by the chain walk, with their final verdicts.</param>
    /// <param name="listedLogs">Log files in the listing that match the account and region selection.</param>
    /// <param name="listedDigests">Digests in the listing that match the selection: they tell how far coverage reaches.</param>
    /// <param name="gaps">Gaps found in the chains, to explain undigested log files.</param>
    /// <param name="restarts">Chain restarts found, to explain undigested log files.</param>
    /// <param name="allKeys">Every key in the listing, to tell whether a file exists without reading it.</param>
    /// <param name="settledBefore">
    /// Log files delivered before this time should be in a digest by now: one none lists is unverified even without a
    /// later digest in its folder. Null: only a later digest makes it so.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<LogFileVerdicts> JudgeAsync(
        IReadOnlyList<DigestExamination> examinations,
        IReadOnlyList<ListedTrailObject> listedLogs,
        IReadOnlyList<ListedTrailObject> listedDigests,
        IReadOnlyList<DigestGap> gaps,
        IReadOnlyList<ChainRestart> restarts,
        IReadOnlySet<string> allKeys,
        DateTimeOffset? settledBefore,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(examinations);
        ArgumentNullException.ThrowIfNull(listedLogs);
        ArgumentNullException.ThrowIfNull(listedDigests);
        ArgumentNullException.ThrowIfNull(gaps);
        ArgumentNullException.ThrowIfNull(restarts);
        ArgumentNullException.ThrowIfNull(allKeys);

        var vouched = new Dictionary<string, List<(string Digest, string Hash)>>(StringComparer.Ordinal);
        var listedByInvalid = new Dictionary<string, DigestExamination>(StringComparer.Ordinal);
        foreach (var examination in examinations.Where(e => e.Digest is not null))
        {
            foreach (var logFile in examination.Digest!.LogFiles)
            {
                if (examination.IsValid)
                {
                    if (!vouched.TryGetValue(logFile.S3Object, out var references))
                    {
                        vouched[logFile.S3Object] = references = [];
                    }

                    references.Add((examination.Key, logFile.HashValue));
                }
                else
                {
                    listedByInvalid.TryAdd(logFile.S3Object, examination);
                }
            }
        }

        var hashes = new ConcurrentDictionary<string, LogFileHash>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            vouched.Keys,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentLogReads, CancellationToken = cancellationToken },
            async (key, token) => hashes[key] = await hasher.HashAsync(key, token).ConfigureAwait(false)).ConfigureAwait(false);

        var verdicts = new List<FileVerdict>();
        foreach (var (key, references) in vouched)
        {
            verdicts.Add(JudgeVouched(key, references, hashes[key]));
        }

        foreach (var (key, digest) in listedByInvalid.Where(pair => !vouched.ContainsKey(pair.Key)))
        {
            verdicts.Add(allKeys.Contains(key)
                ? new FileVerdict(VerdictFileKind.LogFile, key, VerdictStatus.Unverified, $"listed only in digest {digest.Key}, which is invalid ({digest.Reason})")
                : new FileVerdict(VerdictFileKind.LogFile, key, VerdictStatus.Missing, $"not found (listed only in digest {digest.Key}, which is invalid)"));
        }

        var newestDigest = listedDigests
            .GroupBy(d => LogFolderId.Of(d.Key))
            .ToDictionary(g => g.Key, g => g.MaxBy(d => d.Timestamp)!);
        var pending = 0;
        var undigested = new List<UndigestedLogFile>();
        foreach (var log in listedLogs.Where(l => !vouched.ContainsKey(l.Key.Key) && !listedByInvalid.ContainsKey(l.Key.Key) && IsInTimeRange(l)))
        {
            var delivered = DeliveredBy(log);
            var newer = newestDigest.TryGetValue(LogFolderId.Of(log.Key), out var newest) && delivered + options.DeliveryTolerance <= newest.Timestamp ? newest : null;
            var settled = settledBefore is { } deadline && delivered + options.DeliveryTolerance <= deadline;
            if (newer is null && !settled)
            {
                pending++;
                continue;
            }

            var (reason, explained) = ExplainUndigested(log, delivered, newer, settledBefore, gaps, restarts);
            verdicts.Add(new FileVerdict(VerdictFileKind.LogFile, log.Key.Key, VerdictStatus.Unverified, reason));
            if (!explained)
            {
                undigested.Add(new UndigestedLogFile(log, delivered));
            }
        }

        verdicts.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new LogFileVerdicts(verdicts, pending, undigested);
    }

    private static FileVerdict JudgeVouched(string key, List<(string Digest, string Hash)> references, LogFileHash hash)
    {
        var digest = references[0].Digest;
        switch (hash.Status)
        {
            case LogFileHashStatus.NotFound:
                return new FileVerdict(VerdictFileKind.LogFile, key, VerdictStatus.Missing, $"not found (listed in digest {digest})");
            case LogFileHashStatus.Unreadable:
                return new FileVerdict(VerdictFileKind.LogFile, key, VerdictStatus.Invalid, hash.Reason);
        }

        // The AWS CLI compares the hex strings exactly; so do we.
        foreach (var reference in references)
        {
            if (!string.Equals(reference.Hash, hash.Sha256Hex, StringComparison.Ordinal))
            {
                return new FileVerdict(VerdictFileKind.LogFile, key, VerdictStatus.Invalid, $"hash value doesn't match (digest {reference.Digest} lists {reference.Hash}, the file hashes to {hash.Sha256Hex})");
            }
        }

        return new FileVerdict(VerdictFileKind.LogFile, key, VerdictStatus.Valid, $"valid (hash matches digest {digest})");
    }

    private bool IsInTimeRange(ListedTrailObject log) =>
        (options.StartTime is null || log.Timestamp >= options.StartTime)
        && (options.EndTime is null || log.Timestamp <= options.EndTime);

    // S3's last-modified time is the delivery time, but a copy made later carries the copy's time; a log file is
    // delivered within MaxDeliveryDelay of its name time, so that bounds the estimate.
    private DateTimeOffset DeliveredBy(ListedTrailObject log)
    {
        var lastModified = log.Object.LastModified;
        return log.Key.Timestamp is { } named && named + options.MaxDeliveryDelay < lastModified ? named + options.MaxDeliveryDelay : lastModified;
    }

    // Says why no digest lists the file, and whether a gap or restart (reported on its own) explains it.
    private static (string Reason, bool Explained) ExplainUndigested(
        ListedTrailObject log,
        DateTimeOffset delivered,
        ListedTrailObject? newer,
        DateTimeOffset? settledBefore,
        IReadOnlyList<DigestGap> gaps,
        IReadOnlyList<ChainRestart> restarts)
    {
        var folder = LogFolderId.Of(log.Key);
        var reason = newer is not null
            ? $"not listed in any digest, although the newer digest {newer.Key.Key} exists"
            : $"not listed in any digest, although it was delivered by {Format(delivered)}, early enough for its digest to be due by {Format(settledBefore!.Value)}";
        var restart = restarts.FirstOrDefault(r => r.Chain.LogFolder == folder && log.Timestamp >= r.From && log.Timestamp < r.To);
        if (restart is not null)
        {
            return ($"{reason}; it falls between two chains (no digest from {Format(restart.From)} to {Format(restart.To)}: logging or log file validation was off)", true);
        }

        var gap = gaps.FirstOrDefault(g => g.Chain.LogFolder == folder && log.Timestamp >= g.From && log.Timestamp < g.To);
        if (gap is not null)
        {
            return ($"{reason}; it falls in a gap with no digest from {Format(gap.From)} to {Format(gap.To)}", true);
        }

        return newer is not null
            ? ($"{reason}; the digest that should list it is missing, invalid or out of the chain", false)
            : ($"{reason}; no later digest of its account and region exists", false);
    }

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
