namespace TrailResponder.Core.Storage;

/// <summary>Thrown by an <see cref="ITrailObjectStore"/> when the store itself cannot be read (access denied, I/O error, throttling).</summary>
public sealed class TrailObjectStoreException : Exception
{
    /// <summary>Creates the exception with a message naming what could not be read.</summary>
    public TrailObjectStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
