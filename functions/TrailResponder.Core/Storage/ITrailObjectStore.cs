namespace TrailResponder.Core.Storage;

/// <summary>Read-only access to the objects of a trail bucket, wherever they are kept (S3, a local mirror, memory).</summary>
/// <remarks>
/// Shaped after S3 so that an S3 implementation is a thin adapter: listing hides paging, objects are opened
/// as streams, and user metadata is a separate call (HeadObject). Implementations report an absent object with
/// <see cref="TrailObjectNotFoundException"/> and any other failure to read with <see cref="TrailObjectStoreException"/>,
/// because validation treats "absent" as a verdict and "could not read" as a reason to stop. A failure confined to one
/// object (it is a folder, its file is not readable, its metadata is malformed) carries that object's key in
/// <see cref="TrailObjectStoreException.UnreadableKey"/>: validation gives that object a verdict and goes on.
/// </remarks>
public interface ITrailObjectStore
{
    /// <summary>A human-readable name for the store, e.g. <c>/data/trail-bucket</c> or <c>s3://bucket</c>.</summary>
    string Location { get; }

    /// <summary>Lists every object whose key starts with <paramref name="prefix"/>, in ascending key order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// The immediate sub-folders of <paramref name="prefix"/> (which is empty or ends in '/'), each as a full prefix ending
    /// in '/', in ascending order: S3's common prefixes for the delimiter '/'.
    /// </summary>
    /// <remarks>Lets callers walk the AWSLogs layout down to the date folders they need instead of listing a whole bucket.</remarks>
    IAsyncEnumerable<string> ListFoldersAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Opens the object's bytes for reading; the caller disposes the stream.</summary>
    /// <exception cref="TrailObjectNotFoundException">The object does not exist.</exception>
    /// <exception cref="TrailObjectStoreException">The store could not be read.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reads the object's user metadata, keyed without the <c>x-amz-meta-</c> prefix (case-insensitive keys).</summary>
    /// <exception cref="TrailObjectNotFoundException">The object does not exist.</exception>
    /// <exception cref="TrailObjectStoreException">The store could not be read.</exception>
    Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string key, CancellationToken cancellationToken = default);
}
