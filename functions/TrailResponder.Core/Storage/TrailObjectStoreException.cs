namespace TrailResponder.Core.Storage;

/// <summary>Thrown by an <see cref="ITrailObjectStore"/> when the store, or one object in it, cannot be read (access denied, I/O error, throttling).</summary>
public sealed class TrailObjectStoreException : Exception
{
    /// <summary>Creates the exception with a message naming what could not be read: the store as a whole failed.</summary>
    public TrailObjectStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    private TrailObjectStoreException(string unreadableKey, string message, Exception? innerException)
        : base(message, innerException)
    {
        UnreadableKey = unreadableKey;
    }

    /// <summary>
    /// The key of the one object that cannot be read, when only that object is at fault and other objects can still be
    /// read; null when the store as a whole failed (then retrying or fixing access is the only remedy).
    /// </summary>
    public string? UnreadableKey { get; }

    /// <summary>
    /// The exception for one object that cannot be read while the store itself can be (a folder where the file should
    /// be, a file without read permission, malformed metadata); <paramref name="message"/> says why.
    /// </summary>
    public static TrailObjectStoreException ForObject(string unreadableKey, string message, Exception? innerException = null)
    {
        ArgumentNullException.ThrowIfNull(unreadableKey);
        return new TrailObjectStoreException(unreadableKey, message, innerException);
    }
}
