using System.Collections.Concurrent;
using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Core.Storage;

namespace TrailResponder.LogProcessor;

/// <summary>What the function needs from the outside world: its settings and the adapters to S3, Security Hub and SNS.</summary>
/// <param name="Settings">The validated configuration.</param>
/// <param name="Stores">Opens a bucket by name.</param>
/// <param name="Importer">Security Hub; null when switched off.</param>
/// <param name="Publisher">The email topic; null when switched off.</param>
/// <param name="SecurityGroups">EC2 by region, for the security-group backstop; null switches the backstop off.</param>
/// <param name="Log">Where JSON log lines go (stdout in Lambda, which CloudWatch Logs collects).</param>
/// <param name="Clock">The clock of the invocation deadline; null for the system clock.</param>
public sealed record LogProcessorServices(
    LogProcessorSettings Settings,
    Func<string, ITrailObjectStore> Stores,
    IFindingImporter? Importer,
    INotificationPublisher? Publisher,
    Func<string?, ISecurityGroupClient>? SecurityGroups,
    TextWriter Log,
    TimeProvider? Clock = null)
{
    /// <summary>
    /// The production wiring: settings from <paramref name="environment"/>, S3, Security Hub, SNS and EC2 through the AWS
    /// clients (which honour AWS_ENDPOINT_URL, so the same code runs against LocalStack or a test endpoint).
    /// </summary>
    public static LogProcessorServices FromEnvironment(IReadOnlyDictionary<string, string?> environment, AWSCredentials? credentials = null, TextWriter? log = null, AwsRetryOptions? retry = null)
    {
        var settings = LogProcessorSettings.FromEnvironment(environment);
        var aws = AwsClients.FromEnvironment(environment, credentials, retry);
        var stores = new ConcurrentDictionary<string, ITrailObjectStore>(StringComparer.Ordinal);
        var ec2 = new ConcurrentDictionary<string, ISecurityGroupClient>(StringComparer.Ordinal);
        return new LogProcessorServices(
            settings,
            bucket => stores.GetOrAdd(bucket, name => aws.TrailStore(name)),
            settings.Delivery.SecurityHubEnabled ? aws.FindingImporter() : null,
            settings.Delivery.TopicArn is { } topic ? aws.NotificationPublisher(topic) : null,
            settings.Backstop ? region => ec2.GetOrAdd(region ?? settings.Delivery.Region, aws.SecurityGroups) : null,
            log ?? Console.Out);
    }
}
