using System.Globalization;
using System.Net;

namespace TrailResponder.Aws;

/// <summary>An AWS call failed after retries: which call, the HTTP status, AWS's error code and message, and the request id.</summary>
/// <remarks>
/// The message carries only what AWS said about the error, never request bodies or credentials, so it is safe to log.
/// Failures without an AWS answer (network errors, timeouts on every attempt) have no <see cref="HttpStatus"/> and use the
/// codes <see cref="NetworkErrorCode"/> and <see cref="TimeoutErrorCode"/>.
/// </remarks>
public sealed class AwsServiceException : Exception
{
    /// <summary>The code of a failure where no response arrived (connection, DNS, TLS, I/O).</summary>
    public const string NetworkErrorCode = "NetworkError";

    /// <summary>The code of a failure where every attempt timed out.</summary>
    public const string TimeoutErrorCode = "RequestTimeout";

    /// <summary>Creates the exception from the parts of an AWS error.</summary>
    public AwsServiceException(string service, string operation, HttpStatusCode? httpStatus, string errorCode, string errorMessage, string? requestId, Exception? innerException = null)
        : base(Describe(service, operation, httpStatus, errorCode, errorMessage, requestId), innerException)
    {
        Service = service;
        Operation = operation;
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
    }

    /// <summary>The service's signing name, e.g. <c>sns</c>.</summary>
    public string Service { get; }

    /// <summary>The API action, e.g. <c>Publish</c>.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status of the last attempt; null when no response arrived.</summary>
    public HttpStatusCode? HttpStatus { get; }

    /// <summary>AWS's error code (e.g. <c>InvalidParameter</c>), or a status-based stand-in when the body had none.</summary>
    public string ErrorCode { get; }

    /// <summary>AWS's error message as sent.</summary>
    public string ErrorMessage { get; }

    /// <summary>The AWS request id, for support cases; null when unknown.</summary>
    public string? RequestId { get; }

    /// <summary>True when AWS throttled the call (the retries ran out on throttling).</summary>
    public bool IsThrottling => AwsErrorClassification.IsThrottling(ErrorCode, HttpStatus);

    private static string Describe(string service, string operation, HttpStatusCode? status, string code, string message, string? requestId)
    {
        var statusText = status is null ? "no response" : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status.Value}");
        var requestText = requestId is null ? string.Empty : $", request id {requestId}";
        return $"{service} {operation} failed ({statusText}, {code}{requestText}): {message}";
    }
}
