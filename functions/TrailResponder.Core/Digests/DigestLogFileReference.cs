namespace TrailResponder.Core.Digests;

/// <summary>One entry of a digest's <c>logFiles</c>: a log file and the SHA-256 its uncompressed content must have.</summary>
/// <param name="S3Bucket">The bucket the log file was delivered to.</param>
/// <param name="S3Object">The log file's key.</param>
/// <param name="HashValue">Hex SHA-256 of the uncompressed log file, as CloudTrail wrote it.</param>
/// <param name="HashAlgorithm">The hash algorithm name (<c>SHA-256</c>).</param>
/// <param name="NewestEventTime">The newest event in the file, when given.</param>
/// <param name="OldestEventTime">The oldest event in the file, when given.</param>
public sealed record DigestLogFileReference(
    string S3Bucket,
    string S3Object,
    string HashValue,
    string? HashAlgorithm,
    string? NewestEventTime,
    string? OldestEventTime);
