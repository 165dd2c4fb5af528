using TrailResponder.Core.Delivery;
using TrailResponder.Core.Diagnostics;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Scanning;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;
using TrailResponder.LogProcessor.Events;

namespace TrailResponder.LogProcessor;

/// <summary>What became of one object.</summary>
public enum ObjectOutcomeKind
{
    /// <summary>Read to the end; its findings were delivered.</summary>
    Processed,

    /// <summary>Not a CloudTrail log or Insights file (a digest, another service's file, a folder marker).</summary>
    Skipped,

    /// <summary>The object no longer exists.</summary>
    Missing,

    /// <summary>The file is damaged; what could be read was delivered and the damage was reported by email.</summary>
    Damaged,
}

/// <summary>The result of processing one object, with counts for the logs and the Batch Operations report.</summary>
public sealed record ObjectOutcome(ObjectOutcomeKind Kind, string Message, int Records = 0, int Findings = 0, int Emails = 0);

/// <summary>Processes one delivered object: classify its key, stream it from S3, evaluate the rules, deliver the findings.</summary>
/// <remarks>
/// Findings go to Security Hub while the file is read, so memory does not grow with it. Failures of S3 reads or of
/// deliveries are thrown (the invocation fails and Lambda retries; Security Hub updates a re-imported finding in place,
/// since its id is deterministic); a damaged or missing file is reported and returned, because retrying cannot mend it.
/// A security-group change the backstop could not settle (EC2 failing after retries) does not hold back the file's
/// other findings: they are delivered, then <see cref="SecurityGroupBackstopException"/> fails the object.
/// </remarks>
public sealed class LogObjectProcessor(
    LogFileScanner scanner,
    FindingDelivery delivery,
    SecurityGroupResponder? backstop,
    Func<string, ITrailObjectStore> stores,
    JsonLineLog log)
{
    /// <summary>Processes one object.</summary>
    public async Task<ObjectOutcome> ProcessAsync(LogObjectReference reference, CancellationToken cancellationToken)
    {
        var name = $"s3://{reference.Bucket}/{reference.Key}";
        var kind = TrailObjectKey.Classify(reference.Key).Kind;
        if (kind is not (TrailObjectKind.LogFile or TrailObjectKind.InsightFile))
        {
            var reason = kind == TrailObjectKind.DigestFile ? "a digest file (the DigestValidator checks those)" : "not a CloudTrail log file";
            log.Info("skipped object", ("object", name), ("reason", reason));
            return new ObjectOutcome(ObjectOutcomeKind.Skipped, $"skipped: {reason}");
        }

        Stream content;
        try
        {
            content = await stores(reference.Bucket).OpenReadAsync(reference.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (TrailObjectNotFoundException)
        {
            log.Warn("object not found", ("object", name));
            return new ObjectOutcome(ObjectOutcomeKind.Missing, "the object does not exist");
        }

        var fileDelivery = delivery.Start(name);
        var recipients = new ScanRecipients(fileDelivery, backstop, name, log);
        LogFileScan scan;
        await using (content.ConfigureAwait(false))
        {
            scan = await scanner.ScanAsync(content, name, recipients, cancellationToken).ConfigureAwait(false);
        }

        foreach (var problem in scan.Problems)
        {
            log.Warn("record skipped", ("object", name), ("fault", problem.Fault), ("detail", problem.Detail), ("position", problem.Position));
        }

        // The reader lists only a file's first faults; one line counts the rest, however many millions there are.
        if (scan.UnlistedProblems > 0)
        {
            log.Warn("more records skipped", ("object", name), ("count", scan.UnlistedProblems), ("listed", scan.Problems.Count));
        }

        var delivered = await fileDelivery.CompleteAsync(scan, cancellationToken).ConfigureAwait(false);
        if (recipients.BackstopFailures is { } backstopFailures)
        {
            throw backstopFailures;
        }

        if (scan.Error is { } error)
        {
            log.Error("log file damaged", ("object", name), ("fault", error.Fault), ("detail", error.Detail), ("position", error.Position), ("records", scan.Records), ("findings", scan.FindingCount));
            return new ObjectOutcome(ObjectOutcomeKind.Damaged, $"damaged ({error.Fault}): {error.Detail} ({error.Position}); {scan.Records} records read", scan.Records, scan.FindingCount, delivered.EmailsPublished);
        }

        log.Info("log file processed", ("object", name), ("records", scan.Records), ("findings", scan.FindingCount), ("imported", delivered.FindingsImported), ("emails", delivered.EmailsPublished), ("decompressedBytes", scan.DecompressedBytes), ("skippedRecords", scan.ProblemCount));
        return new ObjectOutcome(ObjectOutcomeKind.Processed, $"{scan.Records} records, {scan.FindingCount} findings", scan.Records, scan.FindingCount, delivered.EmailsPublished);
    }

    /// <summary>Where a scan's output goes while the file is read: findings to delivery, security-group changes to the backstop.</summary>
    private sealed class ScanRecipients(LogFileDelivery delivery, SecurityGroupResponder? backstop, string name, JsonLineLog log) : IScanObserver
    {
        private readonly List<string> _failures = [];
        private int _skipped;

        /// <summary>The changes the backstop could not settle, as one exception naming each; null when there were none.</summary>
        public SecurityGroupBackstopException? BackstopFailures => _failures.Count == 0 ? null : new SecurityGroupBackstopException(_failures, _skipped);

        public ValueTask OnFindingAsync(Finding finding, CancellationToken cancellationToken) => delivery.AddAsync(finding, cancellationToken);

        // EventBridge delivers CloudTrail events on a best-effort basis: every security-group change in the file goes
        // to the responder too, which acts only on violating rules that are still there.
        public async ValueTask OnWatchedAsync(CloudTrailRecord record, CancellationToken cancellationToken)
        {
            if (backstop is null)
            {
                return;
            }

            SecurityGroupChange change;
            try
            {
                change = SecurityGroupChange.Parse(record.ToJsonElement());
            }
            catch (SecurityGroupEventFormatException e)
            {
                log.Warn("security group record not understood", ("object", name), ("event", record.EventId), ("detail", e.Message));
                return;
            }

            if (_failures.Count >= SecurityGroupBackstopException.MaxFailuresPerFile)
            {
                // EC2 keeps failing: every further change would wait out its retries too. The retried invocation settles them.
                _skipped++;
                log.Warn("security group change skipped", ("object", name), ("event", change.Origin.EventId), ("group", change.GroupId), ("reason", "the backstop failed too often in this file"));
                return;
            }

            try
            {
                await backstop.RespondAsync(change, ResponsePath.Backstop, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                // Keep reading: the file's other findings (a StopLogging, say) must still reach Security Hub and the email.
                log.Error("security group backstop failed", ("object", name), ("event", change.Origin.EventId), ("group", change.GroupId), ("error", e.GetType().Name), ("detail", e.Message));
                _failures.Add($"event {change.Origin.EventId ?? "(no id)"} on {change.GroupId ?? "(unknown group)"}: {e.Message}");
            }
        }
    }
}

/// <summary>
/// The security-group backstop could not settle some changes of a log file (EC2 failed after retries, or revoking failed);
/// the file's findings were delivered first. Thrown so that the invocation fails and Lambda retries it.
/// </summary>
public sealed class SecurityGroupBackstopException : Exception
{
    /// <summary>Failures after which the backstop skips the rest of a file's changes: the retried invocation settles them.</summary>
    public const int MaxFailuresPerFile = 5;

    /// <summary>Builds the message from the file's failures, each naming its event, group and error.</summary>
    public SecurityGroupBackstopException(IReadOnlyList<string> failures, int skipped)
        : base($"the security-group backstop could not settle {failures.Count} change(s); the file's findings were delivered: "
            + string.Join("; ", failures)
            + (skipped > 0 ? $"; {skipped} further change(s) skipped after {MaxFailuresPerFile} failures" : string.Empty))
    {
        Failures = failures;
        Skipped = skipped;
    }

    /// <summary>One line per failed change: event, group and error.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>Changes not attempted because the backstop had already failed <see cref="MaxFailuresPerFile"/> times.</summary>
    public int Skipped { get; }
}
