using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Digests;

/// <summary>What the digest validator tells: one Security Hub finding per integrity problem, and one email per run listing them all.</summary>
/// <param name="Context">Where findings are imported.</param>
/// <param name="Bucket">The trail bucket the keys are in.</param>
/// <param name="Clock">The clock for UpdatedAt.</param>
public sealed class IntegrityNotice(AsffContext Context, string Bucket, TimeProvider? Clock = null)
{
    /// <summary>The generator id of the validator's findings.</summary>
    public const string GeneratorId = "TR-DIGEST-VALIDATION";

    /// <summary>The start of every finding id.</summary>
    public const string IdPrefix = "TR-DIGEST";

    /// <summary>Security Hub's limit for a finding id.</summary>
    public const int MaxIdLength = 512;

    // Room kept for the closing lines (left-out count, how to list everything) after the last problem that fits.
    private const int FooterReserve = 4_096;

    private readonly TimeProvider _clock = Clock ?? TimeProvider.System;

    /// <summary>
    /// The finding id: <c>TR-DIGEST/{account}/{region}/{problem}/[{trail}/]{key}</c>, the same every time the problem is found, so a
    /// repeated or overlapping run updates the finding instead of adding another. Too long a key is cut and a SHA-256 of
    /// the whole id appended, which keeps ids distinct.
    /// </summary>
    public static string FindingId(IntegrityProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        // A trail's problems (no digest, configuration) name a folder that several trails can share: the trail tells them apart.
        var trail = problem.Trail is null ? "" : problem.Trail + "/";
        var id = $"{IdPrefix}/{problem.AccountId ?? "unknown"}/{problem.Region ?? "unknown"}/{KindName(problem.Kind)}/{trail}{problem.Key}";
        if (id.Length <= MaxIdLength)
        {
            return id;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return string.Concat(id.AsSpan(0, MaxIdLength - hash.Length - 1), "/", hash);
    }

    /// <summary>The Security Hub finding about one problem found while validating [<paramref name="windowStart"/>, <paramref name="windowEnd"/>].</summary>
    public AsffFinding Finding(IntegrityProblem problem, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var id = FindingId(problem);
        // The window's end, not the clock, so a repeated run imports the same finding (only UpdatedAt moves on).
        var observed = AsffFields.Timestamp(windowEnd);
        var now = AsffFields.Timestamp(_clock.GetUtcNow());
        var account = AwsNames.IsAccountId(problem.AccountId) ? problem.AccountId! : Context.AccountId;

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            AsffFields.WriteIdentity(json, Context, id, GeneratorId, account);
            json.WriteStartArray("Types");
            foreach (var type in Types(problem.Kind))
            {
                json.WriteStringValue(type);
            }

            json.WriteEndArray();
            json.WriteString("FirstObservedAt", observed);
            json.WriteString("LastObservedAt", observed);
            json.WriteString("CreatedAt", observed);
            json.WriteString("UpdatedAt", now);
            AsffFields.WriteSeverity(json, problem.Severity);
            // A trail's problems name their trail, account and region in the title already; a file's name its key.
            json.WriteString("Title", AsffFields.Clip(NotificationText.SingleLine(problem.Trail is null ? $"{Title(problem)}: {problem.Key}" : Title(problem)), 256));
            json.WriteString("Description", AsffFields.Clip(NotificationText.SingleLine($"{problem.Reason}. Found validating CloudTrail digests from {Time(windowStart)} to {Time(windowEnd)} in s3://{Bucket}/."), 1024));
            json.WriteStartObject("Remediation");
            json.WriteStartObject("Recommendation");
            json.WriteString("Text", AsffFields.Clip(Remediation(problem.Kind), 512));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("ProductFields");
            json.WriteString("ProviderName", "TrailResponder");
            json.WriteString("trailresponder/Problem", KindName(problem.Kind));
            json.WriteString("trailresponder/Bucket", Bucket);
            json.WriteString("trailresponder/Key", AsffFields.Clip(problem.Key, 2048));
            if (problem.Trail is not null)
            {
                json.WriteString("trailresponder/Trail", AsffFields.Clip(problem.Trail, 2048));
            }

            json.WriteString("trailresponder/Window", $"{Time(windowStart)}/{Time(windowEnd)}");
            json.WriteEndObject();
            json.WriteString("RecordState", "ACTIVE");
            json.WriteStartArray("Resources");
            json.WriteStartObject();
            // A configuration error is about the bucket as a whole; everything else about an object or a folder of them.
            if (problem.Kind == IntegrityProblemKind.ConfigurationError)
            {
                json.WriteString("Type", "AwsS3Bucket");
                json.WriteString("Id", $"arn:{Context.Partition}:s3:::{Bucket}");
            }
            else
            {
                json.WriteString("Type", "AwsS3Object");
                json.WriteString("Id", $"arn:{Context.Partition}:s3:::{Bucket}/{problem.Key}");
            }

            json.WriteString("Partition", Context.Partition);
            json.WriteString("Region", Context.Region);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new AsffFinding(id, buffer.WrittenMemory.ToArray());
    }

    /// <summary>
    /// The one email of a run: every problem with its exact key and reason, most severe first, within SNS's message limit
    /// (saying how many were left out); null when there is nothing to report.
    /// </summary>
    public Notification? Email(IReadOnlyList<IntegrityProblem> problems, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            return null;
        }

        var ordered = problems.OrderByDescending(p => p.Severity).ThenBy(p => p.Kind).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        var top = ordered.Max(p => p.Severity);
        var subject = $"TrailResponder {top.ToLabel()}: {ordered.Count} CloudTrail integrity problem{(ordered.Count == 1 ? string.Empty : "s")} in {Bucket}";

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"TrailResponder found {ordered.Count} CloudTrail log file integrity problem{(ordered.Count == 1 ? string.Empty : "s")} in s3://{NotificationText.SingleLine(Bucket)}/\n");
        body.Append(CultureInfo.InvariantCulture, $"while validating the digests delivered from {Time(windowStart)} to {Time(windowEnd)}.\n");
        body.Append("CloudTrail never changes or deletes a file after delivery: an invalid or missing file means someone did, or delivery was switched off.\n\n");

        var written = 0;
        foreach (var problem in ordered)
        {
            var section = Section(problem);
            if (Encoding.UTF8.GetByteCount(body.ToString()) + Encoding.UTF8.GetByteCount(section) > FindingEmail.MaxMessageBytes - FooterReserve)
            {
                break;
            }

            body.Append(section);
            written++;
        }

        if (written < ordered.Count)
        {
            var left = ordered.Count - written;
            body.Append(CultureInfo.InvariantCulture, $"{left} more problem{(left == 1 ? " was" : "s were")} left out to keep this message within the email size limit. All of them are in Security Hub (generator {GeneratorId}); to list them, run: trailresponder validate s3://{NotificationText.SingleLine(Bucket)} --start-time {Time(windowStart)} --end-time {Time(windowEnd)}\n\n");
        }

        if (ConsoleLinks.SecurityHubFindings(Context) is { } findings)
        {
            body.Append(CultureInfo.InvariantCulture, $"Security Hub findings: {findings}\n");
        }

        return new Notification(NotificationText.Subject(subject), body.ToString());
    }

    private string Section(IntegrityProblem problem)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[{problem.Severity.ToLabel()}] {NotificationText.SingleLine(Title(problem))}\n");
        text.Append(CultureInfo.InvariantCulture, $"  Key:    s3://{NotificationText.SingleLine(Bucket)}/{NotificationText.SingleLine(problem.Key)}\n");
        if (problem.Trail is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Trail:  {NotificationText.SingleLine(problem.Trail)}\n");
        }

        if (problem.AccountId is not null || problem.Region is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Where:  account {NotificationText.SingleLine(problem.AccountId)}, region {NotificationText.SingleLine(problem.Region)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  Why:    {NotificationText.SingleLine(problem.Reason)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  Do:     {Remediation(problem.Kind)}\n\n");
        return text.ToString();
    }

    private static string Title(IntegrityProblem problem) => problem.Kind switch
    {
        IntegrityProblemKind.DigestInvalid when problem.Reason.StartsWith("chain broken", StringComparison.Ordinal) => "CloudTrail digest chain broken",
        IntegrityProblemKind.DigestInvalid => "CloudTrail digest file failed validation",
        IntegrityProblemKind.DigestMissing => "CloudTrail digest file missing",
        IntegrityProblemKind.LogFileInvalid => "CloudTrail log file changed or unreadable",
        IntegrityProblemKind.LogFileMissing => "CloudTrail log file missing",
        IntegrityProblemKind.LogFileUnverified => "CloudTrail log file not vouched for by any digest",
        IntegrityProblemKind.Gap => "CloudTrail digest missing for an hour",
        IntegrityProblemKind.NoDigest => $"No CloudTrail digest for {(problem.Trail is null ? "any trail" : $"trail {problem.Trail}")} in account {problem.AccountId}, region {problem.Region}",
        IntegrityProblemKind.ConfigurationError => $"DigestValidator configuration error: TRAIL_NAME '{problem.Trail}' matches no digest chain",
        _ => "CloudTrail digest chain restarted",
    };

    private static string Remediation(IntegrityProblemKind kind) => kind switch
    {
        IntegrityProblemKind.LogFileUnverified => "Check who wrote the object (S3 server access logs, object versions); CloudTrail lists every log file it delivers in the next digest.",
        IntegrityProblemKind.ChainRestart => "Find the StopLogging/StartLogging or UpdateTrail calls between the chains and confirm they were intended; events of that time are not vouched for.",
        IntegrityProblemKind.Gap => "Restore the missing digest from a previous object version or a replica, and look for DeleteObject calls on the trail bucket.",
        IntegrityProblemKind.NoDigest => "Check that the trail is logging with log file validation on (describe-trails: LogFileValidationEnabled), find StopLogging/UpdateTrail calls and DeleteObject calls on CloudTrail-Digest keys, and check that TRAIL_NAME names the trail delivering these log files.",
        IntegrityProblemKind.ConfigurationError => "Set TRAIL_NAME (the template's TrailName parameter) to the trail that delivers to this bucket, one of those named, or leave it empty to validate every trail.",
        _ => "Treat as tampering until shown otherwise: restore the object from a previous version or a replica, and find who wrote or deleted it (S3 data events, server access logs).",
    };

    // ASFF types (namespace/category) per problem: loss or change of evidence is data destruction and defense evasion;
    // switching validation off is a best-practice failure that is also how an intruder hides.
    private static string[] Types(IntegrityProblemKind kind) => kind switch
    {
        IntegrityProblemKind.LogFileUnverified or IntegrityProblemKind.ChainRestart or IntegrityProblemKind.NoDigest =>
            ["Software and Configuration Checks/AWS Security Best Practices", "TTPs/Defense Evasion"],
        IntegrityProblemKind.ConfigurationError => ["Software and Configuration Checks/AWS Security Best Practices"],
        _ => ["Effects/Data Destruction", "TTPs/Defense Evasion"],
    };

    private static string KindName(IntegrityProblemKind kind) => kind switch
    {
        IntegrityProblemKind.DigestInvalid => "digest-invalid",
        IntegrityProblemKind.DigestMissing => "digest-missing",
        IntegrityProblemKind.LogFileInvalid => "log-invalid",
        IntegrityProblemKind.LogFileMissing => "log-missing",
        IntegrityProblemKind.LogFileUnverified => "log-unverified",
        IntegrityProblemKind.Gap => "gap",
        IntegrityProblemKind.NoDigest => "no-digest",
        IntegrityProblemKind.ConfigurationError => "configuration",
        _ => "chain-restart",
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
