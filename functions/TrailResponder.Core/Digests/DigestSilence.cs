using System.Globalization;
using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>
/// A trail whose digests stopped in one folder (account and region) although log files kept arriving there: log file
/// validation was turned off, the digests were deleted, or the trail validated is not the one delivering there.
/// </summary>
/// <param name="Folder">The log-file folder: prefix, organization, account and region.</param>
/// <param name="TrailName">The trail whose digests are absent; null when none was named and no trail has digests in the folder.</param>
/// <param name="LastDigestKey">The trail's newest digest in the folder before the undigested log files; null when the listing has none.</param>
/// <param name="Since">That digest's end time, from its key; null when the listing has none.</param>
/// <param name="FirstDelivered">When the first log file no digest lists was delivered.</param>
/// <param name="LastDelivered">When the last one was delivered.</param>
/// <param name="LogFiles">How many log files no digest lists.</param>
/// <param name="OtherTrails">Other trails whose digests are in the listing: who does deliver digests.</param>
public sealed record DigestSilence(
    LogFolderId Folder,
    string? TrailName,
    string? LastDigestKey,
    DateTimeOffset? Since,
    DateTimeOffset FirstDelivered,
    DateTimeOffset LastDelivered,
    int LogFiles,
    IReadOnlyList<string> OtherTrails)
{
    // Enough names to recognise the right trail; a bucket shared by more trails is listed in full by validate.
    private const int MaxTrailsNamed = 10;

    /// <summary>How often CloudTrail delivers a digest per chain, even for an hour without log files.</summary>
    public static readonly TimeSpan DigestInterval = TimeSpan.FromHours(1);

    /// <summary>Where the trail's digests for the folder are delivered: <c>{prefix/}AWSLogs/[{o-id}/]{acct}/CloudTrail-Digest/{region}/</c>.</summary>
    public string DigestFolder =>
        $"{(Folder.Prefix is null ? "" : Folder.Prefix + "/")}AWSLogs/{(Folder.OrganizationId is null ? "" : Folder.OrganizationId + "/")}{Folder.AccountId}/CloudTrail-Digest/{Folder.Region}/";

    /// <summary>What is wrong, starting "no digest for trail X since T".</summary>
    public string Describe()
    {
        var trail = TrailName is null ? "any trail" : $"trail {TrailName}";
        var where = $"account {Folder.AccountId}, region {Folder.Region}";
        var head = Since is { } since
            ? $"no digest for {trail} since {Time(since)} in {where} (its last digest is {LastDigestKey})"
            : $"no digest for {trail} since at least {Time(FirstDelivered)} in {where} (none in the folders listed)";
        var files = LogFiles == 1
            ? $"1 log file delivered at {Time(FirstDelivered)} is in no digest"
            : $"{LogFiles} log files delivered from {Time(FirstDelivered)} to {Time(LastDelivered)} are in no digest";
        var others = Since is null && OtherTrails.Count > 0 ? $"; digests of other trails are there: {NameList(OtherTrails)}" : "";
        return $"{head}, although {files}: log file validation was turned off, the digests were deleted, or the trail validated is not the one delivering these log files{others}";
    }

    /// <summary>
    /// Finds the silences among <paramref name="undigested"/> log files: for each folder and each trail expected there
    /// (<paramref name="trailName"/> when given, else the trails with digests in the folder, else any trail), the log
    /// files delivered when that trail's chain showed no digest within an hour after them.
    /// </summary>
    /// <param name="undigested">Settled log files no digest lists and no gap or restart explains, with their delivery times.</param>
    /// <param name="delivered">Every listed digest of the selected trail(s), whatever its time: the chains' evidence of life.</param>
    /// <param name="missing">
    /// Digests of the selected trail(s) that a newer digest names but that are gone: the chain delivered them, so the hour
    /// they covered is reported as a missing digest, not as silence.
    /// </param>
    /// <param name="trailNames">Every trail with digests in the listing, selected or not.</param>
    /// <param name="trailName">The trail asked for; null for every trail.</param>
    /// <param name="tolerance">How far S3's last-modified time may lie from CloudTrail's delivery time.</param>
    public static IReadOnlyList<DigestSilence> Find(
        IReadOnlyList<UndigestedLogFile> undigested,
        IReadOnlyList<TrailObjectKey> delivered,
        IReadOnlyList<TrailObjectKey> missing,
        IReadOnlyCollection<string> trailNames,
        string? trailName,
        TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(undigested);
        ArgumentNullException.ThrowIfNull(delivered);
        ArgumentNullException.ThrowIfNull(missing);
        ArgumentNullException.ThrowIfNull(trailNames);

        // Backfill digests only add late files to hours already digested; the hourly standard chain is what stops.
        var chains = delivered.Select(k => (Key: k, Exists: true))
            .Concat(missing.Select(k => (Key: k, Exists: false)))
            .Where(d => d.Key is { Kind: TrailObjectKind.DigestFile, IsBackfill: false, Timestamp: not null })
            .GroupBy(d => (Folder: LogFolderId.Of(d.Key), Trail: d.Key.TrailName!))
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Key.Timestamp).ToList());
        var silences = new List<DigestSilence>();
        var folders = undigested
            .GroupBy(u => LogFolderId.Of(u.Log.Key))
            .OrderBy(g => g.Key.Prefix, StringComparer.Ordinal)
            .ThenBy(g => g.Key.OrganizationId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.AccountId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Region, StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var trail in TrailsExpected(folder.Key, chains.Keys, trailName))
            {
                var chain = trail is null ? [] : chains.GetValueOrDefault((folder.Key, trail)) ?? [];
                var ends = chain.Select(d => d.Key.Timestamp!.Value).ToList();
                var silent = folder.Where(u => !HasDigestSoonAfter(ends, u.DeliveredBy, tolerance)).ToList();
                if (silent.Count == 0)
                {
                    continue;
                }

                var first = silent.Min(u => u.DeliveredBy);
                var last = chain.Where(d => d.Exists && d.Key.Timestamp < first).Select(d => d.Key).LastOrDefault();
                silences.Add(new DigestSilence(
                    folder.Key,
                    trail,
                    last?.Key,
                    last?.Timestamp,
                    first,
                    silent.Max(u => u.DeliveredBy),
                    silent.Count,
                    [.. trailNames.Where(n => n != trail).Order(StringComparer.Ordinal)]));
            }
        }

        return silences;
    }

    /// <summary>Names up to ten trails, saying how many more there are.</summary>
    internal static string NameList(IReadOnlyCollection<string> names) =>
        string.Join(", ", names.Take(MaxTrailsNamed)) + (names.Count > MaxTrailsNamed ? $" and {names.Count - MaxTrailsNamed} more" : "");

    // The trail named, else every trail with digests in the folder, else (a folder no trail has digests in) any trail.
    private static List<string?> TrailsExpected(LogFolderId folder, IEnumerable<(LogFolderId Folder, string Trail)> chains, string? trailName)
    {
        if (trailName is not null)
        {
            return [trailName];
        }

        var found = chains.Where(c => c.Folder == folder).Select(c => (string?)c.Trail).Order(StringComparer.Ordinal).ToList();
        return found.Count > 0 ? found : [null];
    }

    // CloudTrail closes a digest for every chain about once an hour, so a live chain has a digest ending within an hour
    // (plus the clock tolerance) after any delivery. Ends are sorted: a binary search keeps long listings cheap.
    private static bool HasDigestSoonAfter(List<DateTimeOffset> ends, DateTimeOffset delivered, TimeSpan tolerance)
    {
        var index = ends.BinarySearch(delivered - tolerance);
        if (index < 0)
        {
            index = ~index;
        }

        return index < ends.Count && ends[index] <= delivered + DigestInterval + tolerance;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A log file no digest lists, delivered long enough ago that its digest was due.</summary>
/// <param name="Log">The listed log file.</param>
/// <param name="DeliveredBy">When it was delivered at the latest (see <see cref="DigestValidationOptions.MaxDeliveryDelay"/>).</param>
public sealed record UndigestedLogFile(ListedTrailObject Log, DateTimeOffset DeliveredBy);

/// <summary>The trail name asked for matches no digest chain in the listing, while other trails' chains are there: a configuration error.</summary>
/// <param name="TrailName">The trail name asked for.</param>
/// <param name="TrailsFound">The trails whose digests the listing holds.</param>
/// <param name="Location">Where digests were looked for: the listed prefix down to <c>AWSLogs/</c>.</param>
public sealed record TrailNameMismatch(string TrailName, IReadOnlyList<string> TrailsFound, string Location)
{
    /// <summary>What is wrong, naming the trails that do deliver digests.</summary>
    public string Describe() =>
        $"trail name '{TrailName}' matches no digest chain in the folders listed, while digests of {(TrailsFound.Count == 1 ? "trail" : "trails")} {DigestSilence.NameList(TrailsFound)} are there: the name is not the trail delivering here, or its digests stopped";
}
