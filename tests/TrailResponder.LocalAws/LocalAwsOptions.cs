namespace TrailResponder.LocalAws;

/// <summary>Settings of a local endpoint: region, account, accepted credentials and where the service models live.</summary>
public sealed record LocalAwsOptions
{
    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "000000000000";

    public IReadOnlyList<LocalAwsCredential> Credentials { get; init; } = [LocalAwsCredential.Default];

    /// <summary>
    /// A folder laid out like botocore's data folder (service/api-version/service-2.json). The default is the
    /// committed, trimmed snapshot (ServiceModels/), which the build copies beside the assembly.
    /// </summary>
    public string ModelsDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "ServiceModels");

    public TimeSpan AllowedClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Clock used for signature expiry and timestamps; tests may pin it.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>An access key the endpoint accepts; with a SessionToken the request must carry exactly that X-Amz-Security-Token.</summary>
public sealed record LocalAwsCredential(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public static LocalAwsCredential Default { get; } = new("AKIDLOCALTEST", "local-test-secret");
}
