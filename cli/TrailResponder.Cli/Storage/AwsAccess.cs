using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using TrailResponder.Aws;
using TrailResponder.Core.Storage;

[assembly: InternalsVisibleTo("TrailResponder.Tests")]

namespace TrailResponder.Cli.Storage;

/// <summary>Thrown when the CLI cannot reach AWS as configured; the message says what to do, the exit code why.</summary>
internal sealed class AwsAccessException(string message, int exitCode, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary><see cref="ExitCodes.Usage"/> for a bad setting, <see cref="ExitCodes.InputError"/> when AWS could not be read.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// How the CLI reaches AWS: the environment dictionary it reads settings from and, in tests, fixed credentials. Commands
/// take one of these instead of reading the process, so tests running in parallel each point at their own endpoint.
/// </summary>
/// <param name="Environment">AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL and the rest.</param>
/// <param name="Credentials">Credentials to use instead of the profile or the SDK's default chain.</param>
internal sealed record AwsAccess(IReadOnlyDictionary<string, string?> Environment, AWSCredentials? Credentials = null)
{
    /// <summary>The process's environment and the SDK's credential chain: what a user running the CLI expects.</summary>
    public static AwsAccess FromProcess() => new(AwsClients.ProcessEnvironment());

    /// <summary>
    /// The AWS clients, with <paramref name="profile"/> and <paramref name="region"/> (the command's options) overriding
    /// AWS_PROFILE and AWS_REGION. A profile's region is used when no region is given at all.
    /// </summary>
    /// <exception cref="AwsAccessException">No region, an unknown profile, or no credentials.</exception>
    public AwsClients Connect(string? profile, string? region)
    {
        var environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal);
        if (profile is not null)
        {
            environment["AWS_PROFILE"] = profile;
        }

        if (region is not null)
        {
            environment[AwsEndpoints.RegionVariable] = region;
        }

        var credentials = Credentials;
        if (credentials is null && Value(environment, "AWS_PROFILE") is { } profileName)
        {
            // The SDK's default chain reads AWS_PROFILE from the process, not from this dictionary: resolve the profile here.
            var profiles = new CredentialProfileStoreChain();
            if (!profiles.TryGetProfile(profileName, out var found) || !profiles.TryGetAWSCredentials(profileName, out credentials))
            {
                throw new AwsAccessException($"AWS profile '{profileName}' was not found in ~/.aws/config or ~/.aws/credentials: create it with 'aws configure --profile {profileName}' or pass another --profile.", ExitCodes.Usage);
            }

            if (Value(environment, AwsEndpoints.RegionVariable) is null && found.Region is { } profileRegion)
            {
                environment[AwsEndpoints.RegionVariable] = profileRegion.SystemName;
            }
        }

        if (Value(environment, AwsEndpoints.RegionVariable) is null && Value(environment, "AWS_DEFAULT_REGION") is { } defaultRegion)
        {
            environment[AwsEndpoints.RegionVariable] = defaultRegion;
        }

        if (Value(environment, AwsEndpoints.RegionVariable) is null)
        {
            throw new AwsAccessException("No AWS region: pass --aws-region REGION (the trail bucket's region, e.g. --aws-region eu-west-1) or set AWS_REGION.", ExitCodes.Usage);
        }

        try
        {
            return AwsClients.FromEnvironment(environment, credentials);
        }
        catch (InvalidOperationException ex)
        {
            throw new AwsAccessException(ex.Message, ExitCodes.Usage, ex);
        }
        catch (AmazonClientException ex)
        {
            throw new AwsAccessException("No AWS credentials found: run 'aws configure' (or 'aws sso login'), pass --profile NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", ExitCodes.InputError, ex);
        }
    }

    /// <summary>Says what to do about a store that could not be read: a missing bucket, denied access, or anything else.</summary>
    public static string Explain(TrailObjectStoreException error, string location)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = (error.InnerException as AmazonServiceException)?.ErrorCode;
        return code switch
        {
            "NoSuchBucket" => $"Cannot read '{location}': the bucket does not exist. Check the name (s3://BUCKET/PREFIX) and that your credentials are for the account that owns it.",
            "AccessDenied" or "AllAccessDisabled" => $"Cannot read '{location}': access denied. The credentials need s3:ListBucket and s3:GetObject on the trail bucket (and kms:Decrypt if it uses SSE-KMS). {error.Message}",
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" => $"Cannot read '{location}': AWS refused the credentials ({code}); refresh them ('aws sso login', 'aws configure') or pass another --profile. {error.Message}",
            "PermanentRedirect" or "AuthorizationHeaderMalformed" => $"Cannot read '{location}': the bucket is in another region; pass its region with --aws-region. {error.Message}",
            _ => $"Cannot read '{location}': {error.Message}",
        };
    }

    /// <summary>Splits <c>s3://bucket[/prefix]</c>; the prefix comes back empty or ending in '/'.</summary>
    public static bool TryParseS3Url(string text, out string bucket, out string prefix)
    {
        ArgumentNullException.ThrowIfNull(text);
        bucket = string.Empty;
        prefix = string.Empty;
        if (!text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var path = text["s3://".Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        bucket = slash < 0 ? path : path[..slash];
        var rest = slash < 0 ? string.Empty : path[(slash + 1)..].Trim('/');
        prefix = rest.Length == 0 ? string.Empty : rest + "/";
        return bucket.Length > 0;
    }

    /// <summary>Whether an AWS call failed for a reason the user has to fix outside the CLI (as opposed to a bug).</summary>
    public static bool IsAwsFailure(Exception error) => error is AwsServiceException or AmazonServiceException or AmazonClientException or HttpRequestException;

    private static string? Value(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
