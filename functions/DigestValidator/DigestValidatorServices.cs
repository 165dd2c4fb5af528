using Amazon.Runtime;
using TrailResponder.Aws;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Digests;
using TrailResponder.Core.Storage;

namespace TrailResponder.DigestValidator;

/// <summary>What the function needs from the outside world: settings, the trail bucket, CloudTrail's public keys, Security Hub, SNS, a log and a clock.</summary>
/// <param name="Settings">The validated configuration.</param>
/// <param name="Store">The trail bucket, read from its root (digests name their full keys).</param>
/// <param name="PublicKeys">ListPublicKeys, per region.</param>
/// <param name="Importer">Security Hub; null when switched off.</param>
/// <param name="Publisher">The email topic; null when switched off.</param>
/// <param name="Log">Where JSON log lines and the metric line go (stdout in Lambda).</param>
/// <param name="Clock">The clock for UpdatedAt and the metric timestamp; the window never depends on it.</param>
public sealed record DigestValidatorServices(
    DigestValidatorSettings Settings,
    ITrailObjectStore Store,
    IPublicKeySource PublicKeys,
    IFindingImporter? Importer,
    INotificationPublisher? Publisher,
    TextWriter Log,
    TimeProvider Clock)
{
    /// <summary>The production wiring from environment variables (AWS_ENDPOINT_URL honoured).</summary>
    public static DigestValidatorServices FromEnvironment(IReadOnlyDictionary<string, string?> environment, AWSCredentials? credentials = null, TextWriter? log = null)
    {
        var settings = DigestValidatorSettings.FromEnvironment(environment);
        var aws = AwsClients.FromEnvironment(environment, credentials);
        return new DigestValidatorServices(
            settings,
            aws.TrailStore(settings.Bucket),
            aws.PublicKeys(),
            settings.Delivery.SecurityHubEnabled ? aws.FindingImporter() : null,
            settings.Delivery.TopicArn is { } topic ? aws.NotificationPublisher(topic) : null,
            log ?? Console.Out,
            TimeProvider.System);
    }
}
