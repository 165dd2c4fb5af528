namespace TrailResponder.Aws;

/// <summary>One finding Security Hub would not import: its id and the reason it gave.</summary>
public sealed record FailedFinding(string Id, string ErrorCode, string ErrorMessage);

/// <summary>Thrown when findings still failed to import after the retries; names each one with Security Hub's reason.</summary>
public sealed class FindingImportException : Exception
{
    private const int ListedInMessage = 20;

    /// <summary>Creates the exception for <paramref name="failures"/>.</summary>
    public FindingImportException(IReadOnlyList<FailedFinding> failures)
        : base(Describe(failures))
    {
        Failures = failures;
    }

    /// <summary>Every finding that could not be imported.</summary>
    public IReadOnlyList<FailedFinding> Failures { get; }

    private static string Describe(IReadOnlyList<FailedFinding> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var listed = failures.Take(ListedInMessage).Select(f => $"{f.Id} ({f.ErrorCode}: {f.ErrorMessage})");
        var more = failures.Count > ListedInMessage ? $"; and {failures.Count - ListedInMessage} more" : string.Empty;
        return $"Security Hub did not import {failures.Count} finding(s): {string.Join("; ", listed)}{more}";
    }
}
