namespace TrailResponder.Aws;

/// <summary>Limits and retry rounds of Security Hub imports; the defaults are the service's documented quotas.</summary>
public sealed record SecurityHubImportOptions
{
    /// <summary>Findings per BatchImportFindings call (the API allows 1 to 100).</summary>
    public int MaxFindingsPerBatch { get; init; } = 100;

    /// <summary>Bytes of findings per call, kept under the 6 MB request limit with room for the envelope.</summary>
    public int MaxBatchBytes { get; init; } = 6_000_000;

    /// <summary>Sustained calls per second (the quota is 10 per account and region).</summary>
    public double CallsPerSecond { get; init; } = 10;

    /// <summary>Calls allowed in a burst (the quota is 30).</summary>
    public int Burst { get; init; } = 30;

    /// <summary>Extra rounds for findings a batch reported in FailedFindings.</summary>
    public int FailedFindingRetries { get; init; } = 3;

    /// <summary>Extra tries of a throttled batch beyond the HTTP retries, each after a longer backoff.</summary>
    public int ThrottledBatchRetries { get; init; } = 5;
}
