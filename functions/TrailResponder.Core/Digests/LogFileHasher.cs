using System.Security.Cryptography;
using TrailResponder.Core.Storage;

namespace TrailResponder.Core.Digests;

/// <summary>How hashing a log file ended.</summary>
public enum LogFileHashStatus
{
    /// <summary>The file was read and hashed.</summary>
    Hashed,

    /// <summary>The store has no such object.</summary>
    NotFound,

    /// <summary>The file could not be read, or not decompressed as a single gzip member within the size limit.</summary>
    Unreadable,
}

/// <summary>The SHA-256 of a log file's uncompressed content, or why there is none.</summary>
public sealed record LogFileHash(LogFileHashStatus Status, string? Sha256Hex, string Reason);

/// <summary>Computes the hash CloudTrail puts in a digest: lowercase hex SHA-256 of the gunzipped log file, streamed.</summary>
public sealed class LogFileHasher
{
    private readonly ITrailObjectStore store;
    private readonly long maxDecompressedBytes;

    /// <summary>Creates a hasher reading from <paramref name="store"/>, refusing files that inflate past <paramref name="maxDecompressedBytes"/>.</summary>
    public LogFileHasher(ITrailObjectStore store, long maxDecompressedBytes)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDecompressedBytes);
        this.store = store;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /// <summary>
    /// Hashes the log file at <paramref name="key"/>. A file that cannot be read on its own (a folder at its path, no read
    /// permission) is unreadable; failures of the store as a whole propagate.
    /// </summary>
    public async Task<LogFileHash> HashAsync(string key, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (TrailObjectNotFoundException)
        {
            return new LogFileHash(LogFileHashStatus.NotFound, null, "not found");
        }
        catch (TrailObjectStoreException ex) when (ex.UnreadableKey is not null)
        {
            return new LogFileHash(LogFileHashStatus.Unreadable, null, $"cannot be read: {ex.Message}");
        }

        await using (stream.ConfigureAwait(false))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var result = await GzipMemberReader.ReadFirstMemberAsync(
                stream,
                chunk => hash.AppendData(chunk.Span),
                maxDecompressedBytes,
                requireSingleMember: true,
                cancellationToken).ConfigureAwait(false);

            return result.Status == GzipReadStatus.Complete
                ? new LogFileHash(LogFileHashStatus.Hashed, Convert.ToHexStringLower(hash.GetHashAndReset()), "hashed")
                : new LogFileHash(LogFileHashStatus.Unreadable, null, result.Reason);
        }
    }
}
