namespace TrailResponder.Core.Delivery;

/// <summary>Links into the AWS console for the people who read a finding.</summary>
public static class ConsoleLinks
{
    /// <summary>The event in CloudTrail's event history (management events, last 90 days); null outside the aws partition.</summary>
    public static string? CloudTrailEvent(string partition, string? region, string? eventId) =>
        partition == "aws" && region is { Length: > 0 } && eventId is { Length: > 0 }
            ? $"https://{region}.console.aws.amazon.com/cloudtrailv2/home?region={region}#/events/{Uri.EscapeDataString(eventId)}"
            : null;

    /// <summary>The object in the S3 console; null outside the aws partition.</summary>
    public static string? S3Object(string partition, string bucket, string key) =>
        partition == "aws"
            ? $"https://s3.console.aws.amazon.com/s3/object/{Uri.EscapeDataString(bucket)}?prefix={Uri.EscapeDataString(key)}"
            : null;
}
