using TrailResponder.Core.Delivery;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Core.Storage;

namespace TrailResponder.LogProcessor;

/// <summary>What the function needs from the outside world: its settings and the adapters to S3, Security Hub and SNS.</summary>
/// <param name="Settings">The validated configuration.</param>
/// <param name="Stores">Opens a bucket by name.</param>
/// <param name="Importer">Security Hub; null when switched off.</param>
/// <param name="Publisher">The email topic; null when switched off.</param>
/// <param name="SecurityGroups">EC2, for the security-group backstop; null switches the backstop off.</param>
/// <param name="Log">Where JSON log lines go (stdout in Lambda, which CloudWatch Logs collects).</param>
public sealed record LogProcessorServices(
    LogProcessorSettings Settings,
    Func<string, ITrailObjectStore> Stores,
    IFindingImporter? Importer,
    INotificationPublisher? Publisher,
    ISecurityGroupClient? SecurityGroups,
    TextWriter Log);
