using System.Globalization;
using System.Text.RegularExpressions;

namespace TrailResponder.Core.Trail;

/// <summary>
/// A key (or local path, with forward slashes) in a trail bucket, classified by CloudTrail's S3 layout.
/// </summary>
/// <remarks>
/// Layout: <c>{prefix/}AWSLogs/[{o-id}/]{acct}/{CloudTrail|CloudTrail-Digest|CloudTrail-Insight}/{region}/{YYYY}/{MM}/{DD}/{name}</c>.
/// A log file's name repeats its account and region; a key whose name disagrees with its folders is not
/// CloudTrail's and is classified <see cref="TrailObjectKind.Other"/>.
/// </remarks>
public sealed partial record TrailObjectKey
{
    /// <summary>The key exactly as given.</summary>
    public required string Key { get; init; }

    /// <summary>What the key names.</summary>
    public required TrailObjectKind Kind { get; init; }

    /// <summary>The trail's key prefix before <c>AWSLogs/</c>, without the trailing slash; null when there is none.</summary>
    public string? Prefix { get; init; }

    /// <summary>The organization id (<c>o-...</c>) of an organization trail; null otherwise.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>The account whose events (or digests) the object holds.</summary>
    public string? AccountId { get; init; }

    /// <summary>The region whose events the object holds.</summary>
    public string? Region { get; init; }

    /// <summary>The time in the file name: minute precision for log files, second precision (digest end time) for digests.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Digest files only: the trail name.</summary>
    public string? TrailName { get; init; }

    /// <summary>Digest files only: the region where the trail was created.</summary>
    public string? HomeRegion { get; init; }

    /// <summary>Digest files only: whether this is a backfill digest (<c>..._backfill.json.gz</c>).</summary>
    public bool IsBackfill { get; init; }

    /// <summary>Classifies a key. Never throws: what does not fit CloudTrail's layout is <see cref="TrailObjectKind.Other"/>.</summary>
    public static TrailObjectKey Classify(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var normalized = key.Replace('\\', '/');

        var log = LogFileKey().Match(normalized);
        if (log.Success)
        {
            return FromLogMatch(key, log, TrailObjectKind.LogFile, "yyyyMMdd'T'HHmm'Z'");
        }

        var digest = DigestFileKey().Match(normalized);
        if (digest.Success)
        {
            return FromLogMatch(key, digest, TrailObjectKind.DigestFile, "yyyyMMdd'T'HHmmss'Z'") with
            {
                TrailName = digest.Groups["trail"].Value,
                HomeRegion = digest.Groups["home"].Value,
                IsBackfill = digest.Groups["backfill"].Success,
            };
        }

        var insight = InsightFileKey().Match(normalized);
        if (insight.Success)
        {
            return new TrailObjectKey
            {
                Key = key,
                Kind = TrailObjectKind.InsightFile,
                Prefix = NullIfEmpty(insight.Groups["prefix"].Value),
                OrganizationId = NullIfEmpty(insight.Groups["org"].Value),
                AccountId = insight.Groups["acct"].Value,
                Region = insight.Groups["region"].Value,
            };
        }

        // A log file downloaded on its own (outside the AWSLogs/ tree) still names itself by its file name.
        if (!normalized.Contains("AWSLogs/", StringComparison.Ordinal))
        {
            var loose = LooseLogFileName().Match(normalized);
            if (loose.Success)
            {
                return FromLogMatch(key, loose, TrailObjectKind.LogFile, "yyyyMMdd'T'HHmm'Z'");
            }
        }

        return new TrailObjectKey { Key = key, Kind = TrailObjectKind.Other };
    }

    private static TrailObjectKey FromLogMatch(string key, Match match, TrailObjectKind kind, string timestampFormat) => new()
    {
        Key = key,
        Kind = kind,
        Prefix = NullIfEmpty(match.Groups["prefix"].Value),
        OrganizationId = NullIfEmpty(match.Groups["org"].Value),
        AccountId = match.Groups["acct"].Value,
        Region = match.Groups["region"].Value,
        Timestamp = DateTimeOffset.TryParseExact(
            match.Groups["ts"].Value,
            timestampFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out var time) ? time : null,
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // Some AWS pages glue the unique part to the timestamp without '_': accept both.
    [GeneratedRegex(@"^(?:(?<prefix>.+)/)?AWSLogs/(?:(?<org>o-[a-z0-9]+)/)?(?<acct>\d{12})/CloudTrail/(?<region>[a-z0-9-]+)/(?<y>\d{4})/(?<m>\d{2})/(?<d>\d{2})/\k<acct>_CloudTrail_\k<region>_(?<ts>\d{8}T\d{4}Z)_?(?<uniq>[A-Za-z0-9]+)\.json\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex LogFileKey();

    // The home region cannot contain '_', so the greedy trail name stops at the right underscore.
    [GeneratedRegex(@"^(?:(?<prefix>.+)/)?AWSLogs/(?:(?<org>o-[a-z0-9]+)/)?(?<acct>\d{12})/CloudTrail-Digest/(?<region>[a-z0-9-]+)/(?<y>\d{4})/(?<m>\d{2})/(?<d>\d{2})/\k<acct>_CloudTrail-Digest_\k<region>_(?<trail>.+)_(?<home>[a-z0-9-]+)_(?<ts>\d{8}T\d{6}Z)(?<backfill>_backfill)?\.json\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestFileKey();

    // AWS documents the Insight folder but not its file names: match on the folder.
    [GeneratedRegex(@"^(?:(?<prefix>.+)/)?AWSLogs/(?:(?<org>o-[a-z0-9]+)/)?(?<acct>\d{12})/CloudTrail-Insight/(?<region>[a-z0-9-]+)/\d{4}/\d{2}/\d{2}/[^/]+\.json\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex InsightFileKey();

    [GeneratedRegex(@"(?:^|/)(?<acct>\d{12})_CloudTrail_(?<region>[a-z0-9-]+)_(?<ts>\d{8}T\d{4}Z)_?(?<uniq>[A-Za-z0-9]+)\.json\.gz$", RegexOptions.CultureInvariant)]
    private static partial Regex LooseLogFileName();
}
