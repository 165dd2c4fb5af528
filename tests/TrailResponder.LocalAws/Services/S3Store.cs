using System.Security.Cryptography;

namespace TrailResponder.LocalAws.Services;

/// <summary>A stored S3 object with its user metadata (keys lower-case, without the x-amz-meta- prefix).</summary>
public sealed record S3Object(string Bucket, string Key, byte[] Content, IReadOnlyDictionary<string, string> Metadata, string ContentType, string ETag, DateTimeOffset LastModified);

/// <summary>S3 state: buckets and their objects in key order.</summary>
public sealed class S3Store(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<string, S3Object>> _buckets = new(StringComparer.Ordinal);

    /// <summary>Creates the bucket; returns false when it already existed.</summary>
    public bool CreateBucket(string bucket)
    {
        lock (_lock)
        {
            return _buckets.TryAdd(bucket, new SortedDictionary<string, S3Object>(StringComparer.Ordinal));
        }
    }

    public bool BucketExists(string bucket)
    {
        lock (_lock)
        {
            return _buckets.ContainsKey(bucket);
        }
    }

    /// <summary>Stores an object, creating the bucket when needed so tests can seed data in one call.</summary>
    public S3Object PutObject(string bucket, string key, byte[] content, IReadOnlyDictionary<string, string>? metadata = null, string contentType = "binary/octet-stream")
    {
        var stored = new S3Object(
            bucket,
            key,
            [.. content],
            (metadata ?? new Dictionary<string, string>()).ToDictionary(m => m.Key.ToLowerInvariant(), m => m.Value, StringComparer.Ordinal),
            contentType,
            $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"",
            clock.GetUtcNow());
        lock (_lock)
        {
            CreateBucket(bucket);
            _buckets[bucket][key] = stored;
        }
        return stored;
    }

    public S3Object? GetObject(string bucket, string key)
    {
        lock (_lock)
        {
            return _buckets.TryGetValue(bucket, out var objects) ? objects.GetValueOrDefault(key) : null;
        }
    }

    /// <summary>The bucket's keys in S3's (ordinal) order; empty when the bucket does not exist.</summary>
    public IReadOnlyList<string> Keys(string bucket)
    {
        lock (_lock)
        {
            return _buckets.TryGetValue(bucket, out var objects) ? [.. objects.Keys] : [];
        }
    }

    internal IReadOnlyList<S3Object>? Snapshot(string bucket)
    {
        lock (_lock)
        {
            return _buckets.TryGetValue(bucket, out var objects) ? [.. objects.Values] : null;
        }
    }
}
