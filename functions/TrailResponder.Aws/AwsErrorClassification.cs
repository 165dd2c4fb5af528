using System.Net;

namespace TrailResponder.Aws;

/// <summary>Which AWS errors are worth retrying: the SDKs' standard-mode lists plus SNS's <c>Throttled</c> and HTTP 429.</summary>
public static class AwsErrorClassification
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",

        // Not in the .NET SDK's list: SNS's modelled throttle and the KMS throttle an encrypted topic can report.
        "Throttled", "KMSThrottling",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalException", "ServiceUnavailable", "Unavailable",
    };

    /// <summary>True for a throttling error code, or HTTP 429 whatever the code.</summary>
    public static bool IsThrottling(string? errorCode, HttpStatusCode? status) =>
        status == HttpStatusCode.TooManyRequests || (errorCode is not null && ThrottlingCodes.Contains(errorCode));

    /// <summary>True when a retry may succeed: throttling, a transient code, or HTTP 500/502/503/504. Other 4xx never.</summary>
    public static bool IsRetryable(string? errorCode, HttpStatusCode? status) =>
        IsThrottling(errorCode, status)
        || (errorCode is not null && TransientCodes.Contains(errorCode))
        || status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
