namespace TrailResponder.Core.Digests;

/// <summary>What to validate and the safety limits to do it with.</summary>
public sealed record DigestValidationOptions
{
    /// <summary>Only digests ending at or after this time (and the chain back to it); null for all.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Only digests ending before this time plus one hour, as the AWS CLI does; null for all.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Only this account's chains and log files; null for all.</summary>
    public string? AccountId { get; init; }

    /// <summary>Only this region's chains and log files; null for all.</summary>
    public string? Region { get; init; }

    /// <summary>Only this trail's chains; null for all.</summary>
    public string? TrailName { get; init; }

    /// <summary>The key prefix to list under (the part before <c>AWSLogs/</c> or deeper); empty for the whole store.</summary>
    public string ListPrefix { get; init; } = "";

    /// <summary>
    /// The bucket the store reads. When set, a digest whose <c>digestS3Bucket</c> differs counts as moved. When null
    /// (a local mirror has no bucket) the bucket is taken on trust from the digest itself.
    /// </summary>
    public string? BucketName { get; init; }

    /// <summary>Largest decompressed digest accepted; digests are held in memory. Default 64 MiB (real ones are a few hundred KiB).</summary>
    public long MaxDigestBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest decompressed log file accepted; log files are streamed. Default 4 GiB.</summary>
    public long MaxLogFileBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>How many log files are read at once.</summary>
    public int MaxConcurrentLogReads { get; init; } = 8;

    /// <summary>How far apart a digest's start and its previous digest's end may be before the difference is a gap.</summary>
    public TimeSpan GapTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Margin before the newest digest's end inside which an undigested log file is still taken as "not yet covered"
    /// rather than unverified: S3's last-modified time and CloudTrail's delivery time are not the same clock.
    /// </summary>
    public TimeSpan DeliveryTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a delivered log file may wait for the digest that lists it. When set, a log file delivered longer ago
    /// than this (before <see cref="Now"/> minus the settle time, less <see cref="DeliveryTolerance"/>) that no digest
    /// lists is unverified even when no later digest of its folder exists, and a trail whose digests stopped while log
    /// files kept arriving is reported (<see cref="DigestValidationReport.Silences"/>). Null: only a later digest of the
    /// same folder shows that a log file should have been listed; the rest is pending.
    /// </summary>
    public TimeSpan? SettleTime { get; init; }

    /// <summary>
    /// The time <see cref="SettleTime"/> is measured back from. Null: the newest last-modified time in the listing, i.e.
    /// when the store was last written to, which for a local mirror is about when it was made.
    /// </summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>
    /// Longest plausible delay between a log file's name time (its newest event) and its delivery. Used to bound the
    /// delivery time when the store's last-modified time is later (a copy made after delivery).
    /// </summary>
    public TimeSpan MaxDeliveryDelay { get; init; } = TimeSpan.FromHours(1);
}
