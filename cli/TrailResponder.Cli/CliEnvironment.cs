using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.Cli.Storage;

namespace TrailResponder.Cli;

/// <summary>
/// What the commands take from the outside: environment variables (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL, ...) and,
/// optionally, fixed credentials. The process passes its own; tests pass a local AWS endpoint's.
/// </summary>
public sealed record CliEnvironment(IReadOnlyDictionary<string, string?> Variables, AWSCredentials? Credentials = null)
{
    /// <summary>The real process environment with the default credential chain.</summary>
    public static CliEnvironment Process() => new(AwsClients.ProcessEnvironment());

    /// <summary>How the commands reach AWS from this environment.</summary>
    internal AwsAccess Access => new(Variables, Credentials);

    /// <summary>The AWS clients for a command, with <c>--profile</c> and <c>--aws-region</c> applied.</summary>
    /// <exception cref="AwsAccessException">No region, an unknown profile, or no credentials; the message says what to do.</exception>
    internal AwsClients Aws(string? profile, string? region) => Access.Connect(profile, region);
}

/// <summary>A problem with how the command was called: the message says what to do; exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
