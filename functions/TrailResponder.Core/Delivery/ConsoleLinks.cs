namespace TrailResponder.Core.Delivery;

/// <summary>Links into the AWS console for the people who read a finding.</summary>
/// <remarks>
/// A region goes into the host name, so it is used only when it has a region's shape (<see cref="AwsNames.IsRegion"/>)
/// and belongs to the partition: <c>evil.example/#</c> as a region gives no link, never one to another host. Every other
/// value is percent-encoded. Links are given only in the aws partition, whose console is <c>console.aws.amazon.com</c>.
/// </remarks>
public static class ConsoleLinks
{
    /// <summary>The event in CloudTrail's event history (management events, last 90 days); null outside the aws partition or for a region that is not one.</summary>
    public static string? CloudTrailEvent(string partition, string? region, string? eventId) =>
        ConsoleHome(partition, region, "cloudtrailv2") is { } home && eventId is { Length: > 0 }
            ? $"{home}#/events/{Uri.EscapeDataString(eventId)}"
            : null;

    /// <summary>The findings page of Security Hub in the region findings are imported in; null outside the aws partition.</summary>
    public static string? SecurityHubFindings(AsffContext securityHub)
    {
        ArgumentNullException.ThrowIfNull(securityHub);
        return ConsoleHome(securityHub.Partition, securityHub.Region, "securityhub") is { } home ? $"{home}#/findings" : null;
    }

    /// <summary>The object in the S3 console; null outside the aws partition.</summary>
    public static string? S3Object(string partition, string bucket, string key) =>
        partition == "aws"
            ? $"https://s3.console.aws.amazon.com/s3/object/{Uri.EscapeDataString(bucket)}?prefix={Uri.EscapeDataString(key)}"
            : null;

    private static string? ConsoleHome(string partition, string? region, string service) =>
        partition == "aws" && AwsNames.IsRegion(region) && AwsNames.PartitionOf(region!) == partition
            ? $"https://{region}.console.aws.amazon.com/{service}/home?region={region}"
            : null;
}
