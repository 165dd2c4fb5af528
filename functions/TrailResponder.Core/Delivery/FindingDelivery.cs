using TrailResponder.Core.Findings;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;

namespace TrailResponder.Core.Delivery;

/// <summary>Hands the findings of one log file to Security Hub and, above the threshold, to the security team's email.</summary>
/// <param name="importer">Security Hub; null when Security Hub delivery is switched off.</param>
/// <param name="publisher">The email topic; null when email is switched off.</param>
/// <param name="asff">Builds the ASFF documents.</param>
/// <param name="emailThreshold">The lowest severity that is emailed.</param>
/// <param name="partition">The AWS partition, for console links.</param>
public sealed class FindingDelivery(
    IFindingImporter? importer,
    INotificationPublisher? publisher,
    AsffFindingBuilder asff,
    Severity emailThreshold,
    string partition)
{
    /// <summary>Delivers everything a scan produced; throws when a delivery failed after retries.</summary>
    /// <returns>What was delivered.</returns>
    public async Task<DeliveryReport> DeliverAsync(LogFileScan scan, string logFile, CancellationToken cancellationToken)
    {
        var imported = 0;
        if (importer is not null && scan.Findings.Count > 0)
        {
            await importer.ImportAsync(scan.Findings.Select(asff.Build).ToList(), cancellationToken).ConfigureAwait(false);
            imported = scan.Findings.Count;
        }

        var emails = 0;
        if (publisher is not null)
        {
            if (FindingEmail.Compose(logFile, scan.Findings, emailThreshold, partition) is { } email)
            {
                await publisher.PublishAsync(email, cancellationToken).ConfigureAwait(false);
                emails++;
            }

            if (scan.Error is { } error)
            {
                await publisher.PublishAsync(FindingEmail.UnreadableFile(logFile, error, scan.Records, scan.Findings.Count), cancellationToken).ConfigureAwait(false);
                emails++;
            }
        }

        return new DeliveryReport(imported, emails);
    }
}

/// <summary>What <see cref="FindingDelivery"/> sent: findings imported into Security Hub, emails published.</summary>
public sealed record DeliveryReport(int FindingsImported, int EmailsPublished);
