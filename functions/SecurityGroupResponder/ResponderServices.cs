using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Responder;

/// <summary>What the function needs from the outside world: settings, EC2 by region, Security Hub, SNS and a log.</summary>
public sealed record ResponderServices(
    ResponderSettings Settings,
    Func<string?, ISecurityGroupClient> SecurityGroups,
    IFindingImporter? Importer,
    INotificationPublisher? Publisher,
    TextWriter Log)
{
    /// <summary>The production wiring from environment variables (AWS_ENDPOINT_URL honoured).</summary>
    public static ResponderServices FromEnvironment(IReadOnlyDictionary<string, string?> environment, AWSCredentials? credentials = null, TextWriter? log = null, AwsRetryOptions? retry = null)
    {
        var settings = ResponderSettings.FromEnvironment(environment);
        var aws = AwsClients.FromEnvironment(environment, credentials, retry);
        var ec2 = new System.Collections.Concurrent.ConcurrentDictionary<string, ISecurityGroupClient>(StringComparer.Ordinal);
        return new ResponderServices(
            settings,
            region => ec2.GetOrAdd(region ?? settings.Delivery.Region, aws.SecurityGroups),
            settings.Delivery.SecurityHubEnabled ? aws.FindingImporter() : null,
            settings.Delivery.TopicArn is { } topic ? aws.NotificationPublisher(topic) : null,
            log ?? Console.Out);
    }
}
