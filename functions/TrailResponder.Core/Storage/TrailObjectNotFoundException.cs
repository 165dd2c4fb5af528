namespace TrailResponder.Core.Storage;

/// <summary>Thrown by an <see cref="ITrailObjectStore"/> when the requested object does not exist.</summary>
public sealed class TrailObjectNotFoundException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public TrailObjectNotFoundException(string key)
        : base($"Object '{key}' was not found.")
    {
        Key = key;
    }

    /// <summary>Creates the exception for <paramref name="key"/>, keeping the store's own error.</summary>
    public TrailObjectNotFoundException(string key, Exception innerException)
        : base($"Object '{key}' was not found.", innerException)
    {
        Key = key;
    }

    /// <summary>The key that was asked for.</summary>
    public string Key { get; }
}
