using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using TrailResponder.Aws;

namespace TrailResponder.Cli;

/// <summary>
/// What the commands take from the outside: environment variables (AWS_REGION, AWS_ENDPOINT_URL, ...) and, optionally,
/// fixed credentials. The process passes its own; tests pass a local AWS endpoint's.
/// </summary>
public sealed record CliEnvironment(IReadOnlyDictionary<string, string?> Variables, AWSCredentials? Credentials = null)
{
    /// <summary>The real process environment with the default credential chain.</summary>
    public static CliEnvironment Process() => new(AwsClients.ProcessEnvironment());

    /// <summary>
    /// The AWS clients for a command, with <c>--aws-region</c> and <c>--profile</c> applied.
    /// </summary>
    /// <exception cref="CliUsageException">The region is unknown or the profile does not exist; the message says what to do.</exception>
    public AwsClients Aws(string? profile, string? region)
    {
        var variables = new Dictionary<string, string?>(Variables, StringComparer.Ordinal);
        if (region is not null)
        {
            variables["AWS_REGION"] = region;
        }

        if (string.IsNullOrWhiteSpace(variables.GetValueOrDefault("AWS_REGION")) && variables.GetValueOrDefault("AWS_DEFAULT_REGION") is { Length: > 0 } fallback)
        {
            variables["AWS_REGION"] = fallback;
        }

        if (string.IsNullOrWhiteSpace(variables.GetValueOrDefault("AWS_REGION")))
        {
            throw new CliUsageException("no AWS region: pass --aws-region REGION or set AWS_REGION");
        }

        var credentials = Credentials;
        if (profile is not null && !new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out credentials))
        {
            throw new CliUsageException($"no AWS profile named '{profile}' in ~/.aws/credentials or ~/.aws/config");
        }

        try
        {
            return AwsClients.FromEnvironment(variables, credentials);
        }
        catch (AmazonClientException e)
        {
            throw new CliUsageException($"no AWS credentials: {e.Message} Set AWS_PROFILE, pass --profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
        }
    }
}

/// <summary>A problem with how the command was called or configured: the message says what to do; exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
