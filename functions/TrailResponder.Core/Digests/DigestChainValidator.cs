using System.Runtime.CompilerServices;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>
/// Validates the digest chains and log files in a trail store the way <c>aws cloudtrail validate-logs</c> does, and also
/// checks what the CLI ignores: the chain links, log files no digest lists, gaps and restarts.
/// </summary>
/// <remarks>
/// Each chain is walked newest to oldest following <c>previousDigestS3Object</c>, exactly as the CLI walks it: a missing or
/// invalid digest makes the walk jump to the newest listed digest older than it, a starting digest jumps to the newest
/// older one (a restart), and the walk ends once a valid digest starts before <see cref="DigestValidationOptions.StartTime"/>.
/// </remarks>
public sealed class DigestChainValidator
{
    private readonly ITrailObjectStore store;
    private readonly DigestValidationOptions options;
    private readonly DigestExaminer examiner;

    /// <summary>Creates a validator over <paramref name="store"/> that verifies signatures with <paramref name="publicKeys"/>.</summary>
    public DigestChainValidator(ITrailObjectStore store, PublicKeySet publicKeys, DigestValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(publicKeys);
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.options = options;
        examiner = new DigestExaminer(store, publicKeys, options);
    }

    /// <summary>Runs the validation. Store failures other than "not found" (access denied, I/O errors) propagate.</summary>
    public async Task<DigestValidationReport> ValidateAsync(CancellationToken cancellationToken = default)
    {
        var allKeys = new HashSet<string>(StringComparer.Ordinal);
        var digests = new List<ListedTrailObject>();
        var trailDigests = new List<TrailObjectKey>();
        var trailNames = new SortedSet<string>(StringComparer.Ordinal);
        var logs = new List<ListedTrailObject>();
        var newestWrite = DateTimeOffset.MinValue;
        await foreach (var stored in ListAsync(cancellationToken).ConfigureAwait(false))
        {
            allKeys.Add(stored.Key);
            newestWrite = stored.LastModified > newestWrite ? stored.LastModified : newestWrite;
            var key = TrailObjectKey.Classify(stored.Key);
            if (key.Kind == TrailObjectKind.DigestFile && IsSelectedFolder(key) && key.Timestamp is not null)
            {
                // Digests of any time and trail show which chains live here and when each last delivered.
                trailNames.Add(key.TrailName!);
                if (IsSelectedTrail(key))
                {
                    trailDigests.Add(key);
                }

                if (IsSelectedDigest(key))
                {
                    digests.Add(new ListedTrailObject(key, stored));
                }
            }
            else if (key.Kind == TrailObjectKind.LogFile && IsSelectedFolder(key))
            {
                logs.Add(new ListedTrailObject(key, stored));
            }
        }

        var logsByFolder = logs.GroupBy(l => LogFolderId.Of(l.Key)).ToDictionary(g => g.Key, g => (IReadOnlyList<ListedTrailObject>)[.. g]);
        var walk = new ChainWalk(logsByFolder, options.GapTolerance);
        var chains = digests
            .GroupBy(d => DigestChainId.Of(d.Key))
            .OrderBy(g => g.Key.Prefix, StringComparer.Ordinal)
            .ThenBy(g => g.Key.OrganizationId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.AccountId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Region, StringComparer.Ordinal)
            .ThenBy(g => g.Key.TrailName, StringComparer.Ordinal)
            .ThenBy(g => g.Key.IsBackfill);
        foreach (var chain in chains)
        {
            var listed = chain.OrderBy(d => d.Timestamp).ThenBy(d => d.Key.Key, StringComparer.Ordinal).ToList();
            await WalkChainAsync(chain.Key, listed, walk, cancellationToken).ConfigureAwait(false);
        }

        var examined = walk.Examinations.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        // Without a given time, the store's newest write stands for "now": a mirror is judged as of when it was made.
        var settledBefore = options.SettleTime is { } settle ? (options.Now ?? newestWrite) - settle : (DateTimeOffset?)null;
        var logVerdicts = await new LogFileVerifier(store, options).JudgeAsync(
            walk.Examinations, logs, digests, walk.Gaps, walk.Restarts, allKeys, settledBefore, cancellationToken).ConfigureAwait(false);

        return new DigestValidationReport
        {
            Verdicts = [.. walk.Examinations.Select(e => new FileVerdict(VerdictFileKind.Digest, e.Key, e.Status, e.Reason)), .. logVerdicts.Verdicts],
            Gaps = walk.Gaps,
            ChainRestarts = walk.Restarts,
            OffChainDigests = [.. digests.Select(d => d.Key.Key).Where(k => !examined.Contains(k))],
            PendingLogFiles = logVerdicts.Pending,
            Silences = DigestSilence.Find(
                logVerdicts.Undigested,
                trailDigests,
                [.. walk.Examinations.Where(e => e.Status == VerdictStatus.Missing).Select(e => TrailObjectKey.Classify(e.Key)).Where(k => k.Kind == TrailObjectKind.DigestFile && IsSelectedFolder(k) && IsSelectedTrail(k))],
                trailNames,
                options.TrailName,
                options.DeliveryTolerance),
            TrailNameMismatch = options.TrailName is { } name && trailNames.Count > 0 && !trailNames.Contains(name) ? new TrailNameMismatch(name, [.. trailNames], options.ListPrefix.Contains("AWSLogs/", StringComparison.Ordinal) ? options.ListPrefix : options.ListPrefix + "AWSLogs/") : null,
        };
    }

    // With a time range only the date folders around it are listed (a day either side: a digest's previous digest and the
    // log files it names can sit in the neighbouring day's folder), so an hourly run reads hours of keys, not years.
    private async IAsyncEnumerable<StoredObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A prefix inside AWSLogs/ cannot be walked by folder layout: list it whole rather than find nothing.
        if (options.StartTime is not { } start || options.EndTime is not { } end || options.ListPrefix.Contains("AWSLogs/", StringComparison.Ordinal))
        {
            await foreach (var stored in store.ListAsync(options.ListPrefix, cancellationToken).ConfigureAwait(false))
            {
                yield return stored;
            }

            yield break;
        }

        var firstDay = DateOnly.FromDateTime(start.UtcDateTime).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(end.UtcDateTime.AddHours(1)).AddDays(1);
        foreach (var service in new[] { "CloudTrail-Digest", "CloudTrail" })
        {
            await foreach (var folder in TrailFolders.DateFoldersAsync(store, options.ListPrefix, service, firstDay, lastDay, options.AccountId, options.Region, cancellationToken).ConfigureAwait(false))
            {
                await foreach (var stored in store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
                {
                    yield return stored;
                }
            }
        }
    }

    private bool IsSelectedFolder(TrailObjectKey key) =>
        (options.AccountId is null || string.Equals(key.AccountId, options.AccountId, StringComparison.Ordinal))
        && (options.Region is null || string.Equals(key.Region, options.Region, StringComparison.Ordinal));

    private bool IsSelectedTrail(TrailObjectKey key) =>
        options.TrailName is null || string.Equals(key.TrailName, options.TrailName, StringComparison.Ordinal);

    // Same window as the AWS CLI's listing: digests ending from the start time to one hour after the end time.
    private bool IsSelectedDigest(TrailObjectKey key) =>
        IsSelectedFolder(key)
        && key.Timestamp is { } time
        && IsSelectedTrail(key)
        && (options.StartTime is null || time >= options.StartTime)
        && (options.EndTime is null || time <= options.EndTime.Value.AddHours(1));

    private async Task WalkChainAsync(DigestChainId chain, List<ListedTrailObject> listed, ChainWalk walk, CancellationToken cancellationToken)
    {
        ListedTrailObject? NewestUnexaminedOlderThan(DateTimeOffset time) =>
            listed.LastOrDefault(d => d.Timestamp < time && !walk.WasExamined(d.Key.Key));

        string? current = listed[^1].Key.Key;
        var currentTime = listed[^1].Timestamp;
        int? pointedFrom = null;
        var lastStart = DateTimeOffset.MaxValue;

        while (current is not null && (options.StartTime is null || lastStart >= options.StartTime))
        {
            if (walk.WasExamined(current))
            {
                // A previous-digest pointer that loops back: the link is checked, then the walk moves on to older digests.
                if (pointedFrom is { } looping)
                {
                    walk.CheckLink(chain, looping, walk.IndexOf(current));
                }

                var next = NewestUnexaminedOlderThan(currentTime);
                (current, currentTime, pointedFrom) = (next?.Key.Key, next?.Timestamp ?? default, null);
                continue;
            }

            var examination = await examiner.ExamineAsync(current, chain.HomeRegion, cancellationToken).ConfigureAwait(false);
            if (examination.Status == VerdictStatus.Missing && pointedFrom is { } referrer)
            {
                examination = examination with { Reason = $"not found (named as the previous digest by {walk.Examinations[referrer].Key})" };
            }

            var index = walk.Add(examination);
            if (pointedFrom is { } newer)
            {
                walk.CheckLink(chain, newer, index);
            }

            if (examination is { IsValid: true, Digest: { } digest })
            {
                lastStart = digest.DigestStartTime;
                if (digest.IsChainStart)
                {
                    var older = NewestUnexaminedOlderThan(currentTime);
                    if (older is not null)
                    {
                        walk.AddRestart(chain, older, examination.Key, digest.DigestStartTime);
                    }

                    (current, currentTime, pointedFrom) = (older?.Key.Key, older?.Timestamp ?? default, null);
                }
                else
                {
                    current = digest.PreviousDigestS3Object!;
                    // A pointer whose key carries no timestamp cannot be placed in time: jumps from it start at the referrer.
                    currentTime = TrailObjectKey.Classify(current).Timestamp ?? currentTime;
                    pointedFrom = index;
                }
            }
            else
            {
                var older = NewestUnexaminedOlderThan(currentTime);
                (current, currentTime, pointedFrom) = (older?.Key.Key, older?.Timestamp ?? default, null);
            }
        }
    }

    /// <summary>The state of the chain walks: examinations in walk order (mutable for chain-link verdicts), gaps and restarts.</summary>
    private sealed class ChainWalk(IReadOnlyDictionary<LogFolderId, IReadOnlyList<ListedTrailObject>> logsByFolder, TimeSpan gapTolerance)
    {
        private readonly List<DigestExamination> examinations = [];
        private readonly Dictionary<string, int> indexByKey = new(StringComparer.Ordinal);
        private readonly List<DigestGap> gaps = [];
        private readonly List<ChainRestart> restarts = [];

        public IReadOnlyList<DigestExamination> Examinations => examinations;

        public IReadOnlyList<DigestGap> Gaps => gaps;

        public IReadOnlyList<ChainRestart> Restarts => restarts;

        public int Add(DigestExamination examination)
        {
            examinations.Add(examination);
            indexByKey[examination.Key] = examinations.Count - 1;
            return examinations.Count - 1;
        }

        // Across chains, so that a pointer into another chain never yields a second verdict for the same digest.
        public bool WasExamined(string key) => indexByKey.ContainsKey(key);

        public int IndexOf(string key) => indexByKey.TryGetValue(key, out var index) ? index : -1;

        public void AddRestart(DigestChainId chain, ListedTrailObject older, string newKey, DateTimeOffset newStart)
        {
            var from = older.Timestamp;
            restarts.Add(new ChainRestart(chain, older.Key.Key, newKey, from, newStart, CountLogs(chain, from, newStart)));
        }

        /// <summary>
        /// Goes beyond the AWS CLI: the newer digest must carry the older one's SHA-256 and signature. Only checked when
        /// both are valid on their own, because a tampered older digest already explains a mismatch and is reported itself.
        /// </summary>
        public void CheckLink(DigestChainId chain, int newerIndex, int olderIndex)
        {
            if (olderIndex < 0)
            {
                return;
            }

            var newer = examinations[newerIndex];
            var older = examinations[olderIndex];
            if (newer is not { IsValid: true, Digest: { } newerDigest } || older is not { IsValid: true, Digest: { } olderDigest })
            {
                return;
            }

            var problems = new List<string>();
            if (!string.Equals(newerDigest.PreviousDigestHashValue, olderDigest.ContentSha256Hex, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"previousDigestHashValue {newerDigest.PreviousDigestHashValue ?? "null"} is not the SHA-256 of {older.Key} ({olderDigest.ContentSha256Hex})");
            }

            if (!string.Equals(newerDigest.PreviousDigestSignature, older.Signature, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"previousDigestSignature is not the signature of {older.Key}");
            }

            if (problems.Count > 0)
            {
                examinations[newerIndex] = newer with { Status = VerdictStatus.Invalid, Reason = "chain broken: " + string.Join("; ", problems) };
            }

            if (newerDigest.DigestStartTime - olderDigest.DigestEndTime > gapTolerance)
            {
                gaps.Add(new DigestGap(chain, older.Key, newer.Key, olderDigest.DigestEndTime, newerDigest.DigestStartTime, CountLogs(chain, olderDigest.DigestEndTime, newerDigest.DigestStartTime)));
            }
        }

        private int CountLogs(DigestChainId chain, DateTimeOffset from, DateTimeOffset to) =>
            logsByFolder.TryGetValue(chain.LogFolder, out var logs) ? logs.Count(l => l.Timestamp >= from && l.Timestamp < to) : 0;
    }
}
