namespace TrailResponder.Core.Storage;

/// <summary>One object found by listing a trail store: its key, size in bytes and last-modified time.</summary>
/// <param name="Key">The object key relative to the store's root, with forward slashes.</param>
/// <param name="Size">The stored (compressed) size in bytes.</param>
/// <param name="LastModified">When the object was last written; for S3 this is when CloudTrail delivered it.</param>
public sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified);
