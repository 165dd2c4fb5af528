namespace TrailResponder.LocalAws.Protocol;

/// <summary>An AWS error as the service would send it: HTTP status, error code and message.</summary>
internal sealed record AwsError(int Status, string Code, string Message);

/// <summary>Thrown by a service handler to answer with the service's own error shape.</summary>
internal sealed class AwsErrorException(AwsError error) : Exception(error.Message)
{
    public AwsError Error { get; } = error;

    public AwsErrorException(int status, string code, string message) : this(new AwsError(status, code, message))
    {
    }
}
