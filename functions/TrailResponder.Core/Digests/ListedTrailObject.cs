using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>An object from the store listing together with what its key says it is.</summary>
/// <param name="Key">The classified key.</param>
/// <param name="Object">The listing entry (size, last-modified).</param>
public sealed record ListedTrailObject(TrailObjectKey Key, StoredObject Object)
{
    /// <summary>The time in the file name; <see cref="DateTimeOffset.MinValue"/> when the name has none.</summary>
    public DateTimeOffset Timestamp => Key.Timestamp ?? DateTimeOffset.MinValue;
}
