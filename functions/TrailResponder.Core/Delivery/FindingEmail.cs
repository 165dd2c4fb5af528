using System.Globalization;
using System.Text;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Delivery;

/// <summary>
/// Writes the email a security engineer reads at a glance: one per log file, a count per rule, then the most severe
/// findings in full.
/// </summary>
/// <remarks>
/// Event data is written by whoever made the API call, so every value is shown with its control and hidden characters as
/// visible escapes (<see cref="NotificationText"/>; the subject also holds only printable ASCII, which SNS requires), and
/// links hold only checked or percent-encoded values (<see cref="ConsoleLinks"/>). The body stays within SNS's 256 KB
/// message limit and says how many findings it had to leave out.
/// </remarks>
public static class FindingEmail
{
    /// <summary>SNS's limit for a message, in UTF-8 bytes.</summary>
    public const int MaxMessageBytes = 262_144;

    /// <summary>SNS's email subject must be under 100 characters.</summary>
    public const int MaxSubjectLength = 99;

    // Room kept for the closing lines (left-out count, links) after the last finding that fits.
    private const int FooterReserve = 4_096;

    /// <summary>The email about the findings of one log file that reached the tally's threshold; null when none did.</summary>
    /// <param name="logFile">The log file the findings are from.</param>
    /// <param name="tally">The findings.</param>
    /// <param name="securityHub">Where the findings are imported: the partition and region its links point to.</param>
    public static Notification? Compose(string logFile, FindingTally tally, AsffContext securityHub)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(securityHub);
        var reported = tally.Listed;
        if (reported.Count == 0)
        {
            return null;
        }

        var top = reported[0];
        var others = tally.Reported - 1;
        var subject = $"TrailResponder {top.Severity.ToLabel()}: {top.Rule.Title}"
            + (others > 0 ? $" and {others} more" : string.Empty)
            + $" in {top.AccountId ?? "unknown account"} {top.AwsRegion ?? string.Empty}";

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"TrailResponder found {tally.Reported:N0} finding{(tally.Reported == 1 ? string.Empty : "s")} at or above {tally.Threshold.ToLabel()} in the CloudTrail log file\n  {NotificationText.SingleLine(logFile)}\n");
        var below = tally.BelowThreshold;
        if (below > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"({below:N0} lower-severity finding{(below == 1 ? " is" : "s are")} in Security Hub only.)\n");
        }

        body.Append('\n');
        if (tally.Reported > 1)
        {
            body.Append("By rule:\n");
            foreach (var (rule, count) in tally.ByRule)
            {
                body.Append(CultureInfo.InvariantCulture, $"  {count,6:N0}  [{rule.Severity.ToLabel()}] {NotificationText.SingleLine(rule.Id)}  {NotificationText.SingleLine(rule.Title)}\n");
            }

            body.Append('\n');
        }

        var written = 0;
        var bodyBytes = Encoding.UTF8.GetByteCount(body.ToString());
        foreach (var finding in reported)
        {
            var section = Section(finding, securityHub.Partition);
            var sectionBytes = Encoding.UTF8.GetByteCount(section);
            if (bodyBytes + sectionBytes > MaxMessageBytes - FooterReserve)
            {
                break;
            }

            body.Append(section);
            bodyBytes += sectionBytes;
            written++;
        }

        var leftOut = tally.Reported - written;
        if (leftOut > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"{leftOut:N0} more finding{(leftOut == 1 ? " is" : "s are")} not listed here: an email lists at most {FindingTally.MaxListed}, most severe first, within the email size limit. All of them are in Security Hub; to list them, run: trailresponder scan {NotificationText.SingleLine(logFile)}\n\n");
        }

        // The region findings are imported in, not the record's: that is where they are, and the record's is untrusted text.
        if (ConsoleLinks.SecurityHubFindings(securityHub) is { } findings)
        {
            body.Append(CultureInfo.InvariantCulture, $"Security Hub findings: {findings}\n");
        }

        return new Notification(NotificationText.Subject(subject), body.ToString());
    }

    /// <summary>The email saying a log file could not be read: nothing is skipped silently.</summary>
    public static Notification UnreadableFile(string logFile, LogFileException error, int recordsRead, int findings) => new(
        NotificationText.Subject($"TrailResponder: log file could not be read ({error.Fault})"),
        $"TrailResponder could not read the CloudTrail log file\n  {NotificationText.SingleLine(logFile)}\n\n"
        + $"Problem: {NotificationText.SingleLine(error.Detail)} ({NotificationText.SingleLine(error.Position)}).\n"
        + $"{recordsRead} record{(recordsRead == 1 ? " was" : "s were")} read before the fault and {findings} finding{(findings == 1 ? " was" : "s were")} reported from them.\n\n"
        + "A CloudTrail log file is never rewritten after delivery, so a damaged file means it was changed or truncated in the bucket, "
        + "or was not written by CloudTrail. Check the object's history and run the digest validation (trailresponder validate) for that hour.\n");

    private static string NonEmpty(string text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : text;

    private static string Section(Finding finding, string partition)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[{finding.Severity.ToLabel()}] {NotificationText.SingleLine(finding.Rule.Id)}  {NotificationText.SingleLine(finding.Rule.Title)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  When:  {NotificationText.SingleLine(finding.EventTime)}\n");
        var principal = finding.Principal;
        text.Append(CultureInfo.InvariantCulture, $"  Who:   {NotificationText.SingleLine(principal?.Arn ?? principal?.UserName ?? "unknown principal")}{(principal?.Type is { } type ? $" ({NotificationText.SingleLine(type)})" : string.Empty)}{(principal?.AccessKeyId is { Length: > 0 } key ? $", access key {NotificationText.SingleLine(key)}" : string.Empty)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  From:  {NotificationText.SingleLine(finding.SourceIpAddress ?? "unknown")}{(finding.UserAgent is { } agent ? $" using {NotificationText.SingleLine(agent)}" : string.Empty)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  What:  {NotificationText.SingleLine(finding.EventSource)} {NotificationText.SingleLine(finding.EventName)}{(finding.ErrorCode is { } error ? $" (failed: {NotificationText.SingleLine(error)})" : string.Empty)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  Where: account {NotificationText.SingleLine(finding.AccountId)}, region {NotificationText.SingleLine(finding.AwsRegion)}\n");
        if (finding.Resources.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  On:    {NotificationText.SingleLine(string.Join(", ", finding.Resources.Select(r => r.Id)))}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  Event: {NotificationText.SingleLine(finding.EventId)}");
        if (ConsoleLinks.CloudTrailEvent(partition, finding.AwsRegion, finding.EventId) is { } link)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {link}");
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"  Why it matters: {NotificationText.SingleLine(finding.Rule.Description)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  What to do: {NotificationText.SingleLine(NonEmpty(finding.Rule.Remediation, "Review the event and the principal that made it."))}\n");
        if (RuleNotes.Attack(finding.Rule) is { Length: > 0 } attack)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ATT&CK: {NotificationText.SingleLine(attack)}\n");
        }

        if (finding.Rule.FalsePositives.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Known false positives: {NotificationText.SingleLine(string.Join("; ", finding.Rule.FalsePositives))}\n");
        }

        foreach (var reference in finding.Rule.References)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Reference: {NotificationText.SingleLine(reference)}\n");
        }

        text.Append('\n');
        return text.ToString();
    }
}
