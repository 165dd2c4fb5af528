namespace TrailResponder.Core.Digests;

/// <summary>Thrown when a digest file cannot be read as CloudTrail's digest JSON; names the key and the field at fault.</summary>
public sealed class DigestFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>; <paramref name="field"/> is null when the whole document is at fault.</summary>
    public DigestFormatException(string key, string? field, string problem, Exception? innerException = null)
        : base(field is null ? $"Digest '{key}': {problem}" : $"Digest '{key}', field '{field}': {problem}", innerException)
    {
        Key = key;
        Field = field;
        Problem = problem;
    }

    /// <summary>The digest's key.</summary>
    public string Key { get; }

    /// <summary>The JSON field at fault, or null when the document as a whole is.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the key.</summary>
    public string Problem { get; }
}
