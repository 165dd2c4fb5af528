using TrailResponder.Core.Findings;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;

namespace TrailResponder.Core.Delivery;

/// <summary>Hands the findings of log files to Security Hub and, above the threshold, to the security team's email.</summary>
/// <param name="importer">Security Hub; null when Security Hub delivery is switched off.</param>
/// <param name="publisher">The email topic; null when email is switched off.</param>
/// <param name="asff">Builds the ASFF documents.</param>
/// <param name="emailThreshold">The lowest severity that is emailed.</param>
public sealed class FindingDelivery(
    IFindingImporter? importer,
    INotificationPublisher? publisher,
    AsffFindingBuilder asff,
    Severity emailThreshold)
{
    /// <summary>Starts delivering the findings of one log file, as its scan finds them.</summary>
    public LogFileDelivery Start(string logFile) => new(importer, publisher, asff, new FindingTally(emailThreshold), logFile);
}

/// <summary>
/// The delivery of one log file's findings while it is being read: Security Hub gets them a full batch at a time, the
/// email is written from a bounded tally once the file is done. <see cref="FindingDelivery.Start"/> makes one.
/// </summary>
/// <remarks>Memory stays the same whatever the number of findings: one batch of ASFF documents and the tally.</remarks>
public sealed class LogFileDelivery(
    IFindingImporter? importer,
    INotificationPublisher? publisher,
    AsffFindingBuilder asff,
    FindingTally tally,
    string logFile)
{
    /// <summary>Findings per Security Hub import: BatchImportFindings takes at most 100.</summary>
    public const int SecurityHubBatchSize = 100;

    private readonly List<AsffFinding> _batch = new(SecurityHubBatchSize);
    private int _imported;

    /// <summary>Takes one finding; imports a batch when it is full. Throws when an import failed after retries.</summary>
    public async ValueTask AddAsync(Finding finding, CancellationToken cancellationToken)
    {
        if (publisher is not null)
        {
            tally.Add(finding);
        }

        if (importer is null)
        {
            return;
        }

        _batch.Add(asff.Build(finding));
        if (_batch.Count == SecurityHubBatchSize)
        {
            await ImportBatchAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Imports what is left, then emails the findings and, for a damaged file, the damage. Throws when a delivery failed after retries.</summary>
    /// <returns>What was delivered for the file.</returns>
    public async Task<DeliveryReport> CompleteAsync(LogFileScan scan, CancellationToken cancellationToken)
    {
        await ImportBatchAsync(cancellationToken).ConfigureAwait(false);
        var emails = 0;
        if (publisher is not null)
        {
            if (FindingEmail.Compose(logFile, tally, asff.Context) is { } email)
            {
                await publisher.PublishAsync(email, cancellationToken).ConfigureAwait(false);
                emails++;
            }

            if (scan.Error is { } error)
            {
                await publisher.PublishAsync(FindingEmail.UnreadableFile(logFile, error, scan.Records, scan.FindingCount), cancellationToken).ConfigureAwait(false);
                emails++;
            }
        }

        return new DeliveryReport(_imported, emails);
    }

    private async Task ImportBatchAsync(CancellationToken cancellationToken)
    {
        if (importer is null || _batch.Count == 0)
        {
            return;
        }

        // A copy: an importer may keep the list it was given, and this one is refilled.
        await importer.ImportAsync(_batch.ToArray(), cancellationToken).ConfigureAwait(false);
        _imported += _batch.Count;
        _batch.Clear();
    }
}

/// <summary>What a <see cref="LogFileDelivery"/> sent: findings imported into Security Hub, emails published.</summary>
public sealed record DeliveryReport(int FindingsImported, int EmailsPublished);
