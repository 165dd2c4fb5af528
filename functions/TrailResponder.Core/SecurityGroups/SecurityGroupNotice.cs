using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>What the responder tells: the email and the Security Hub finding about one security-group change.</summary>
/// <remarks>
/// Record values are untrusted: in the email and in the finding's Title, Description and Note they show hidden characters
/// as escapes (<see cref="NotificationText"/>), links hold only checked values (<see cref="ConsoleLinks"/>), and the
/// record's region and account go into the group's ARN only when they have a region's or an account's shape.
/// </remarks>
/// <param name="Context">Where findings are imported.</param>
/// <param name="ExemptTag">The exemption tag to suggest (<c>Key=Value</c>), or null when exemption by tag is off.</param>
/// <param name="Clock">The clock for UpdatedAt.</param>
public sealed class SecurityGroupNotice(AsffContext Context, string? ExemptTag, TimeProvider? Clock = null)
{
    /// <summary>The generator id and finding-id prefix of the responder's findings.</summary>
    public const string GeneratorId = "TR-SG-POLICY";

    private readonly TimeProvider _clock = Clock ?? TimeProvider.System;

    /// <summary>The outcome being reported.</summary>
    public enum Outcome
    {
        /// <summary>The violating rules were revoked.</summary>
        Revoked,

        /// <summary>Dry run: they would have been revoked.</summary>
        WouldRevoke,

        /// <summary>They violate, but the group or caller is exempt.</summary>
        Exempt,

        /// <summary>Revoking failed: the rules are still open.</summary>
        RevokeFailed,

        /// <summary>When the responder looked, the rules no longer violated (changed in place, or removed): nothing was revoked.</summary>
        AlreadyFixed,
    }

    /// <summary>The email.</summary>
    public Notification Email(SecurityGroupResponse response, Outcome outcome, ResponsePath path, string? failure = null)
    {
        var decision = response.Decision;
        var origin = decision.Origin;
        var group = GroupLabel(decision);
        var traffic = string.Join(", ", decision.Violations.Select(v => $"{v.Rule.DescribeTraffic()} from {v.Rule.Source.Value}").Distinct());
        var subject = outcome switch
        {
            Outcome.Revoked => $"TrailResponder revoked {traffic} on {decision.GroupId}",
            Outcome.WouldRevoke => $"TrailResponder (dry run) would revoke {traffic} on {decision.GroupId}",
            Outcome.Exempt => $"TrailResponder: exempt change opened {traffic} on {decision.GroupId}",
            Outcome.AlreadyFixed => $"TrailResponder: {traffic} on {decision.GroupId} was already fixed",
            _ => $"TrailResponder CRITICAL: could not revoke {traffic} on {decision.GroupId}",
        };

        var body = new StringBuilder();
        body.Append(outcome switch
        {
            Outcome.Revoked => "TrailResponder revoked security-group rules that the policy forbids.\n",
            Outcome.WouldRevoke => "TrailResponder runs in dry-run mode: it would have revoked these security-group rules, and did not.\n",
            Outcome.Exempt => "These security-group rules violate the policy but were left in place because the change is exempt.\n",
            Outcome.AlreadyFixed => "A change opened security-group rules that the policy forbids. When TrailResponder looked, they had been changed or removed and no longer violated it, so it revoked nothing.\n",
            _ => "TrailResponder could NOT revoke security-group rules that the policy forbids. They are still open: act now.\n",
        });
        if (path == ResponsePath.Backstop)
        {
            // Rules still open mean the real-time path did not act; rules already fixed say nothing about it.
            body.Append(outcome == Outcome.AlreadyFixed
                ? "The log-file backstop found this change in a delivered log file.\n"
                : "The real-time path (EventBridge) missed this change; the log-file backstop caught it.\n");
        }

        body.Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"Group:   {NotificationText.SingleLine(group)}\n");
        body.Append("Opened:\n");
        foreach (var violation in decision.Violations)
        {
            body.Append(CultureInfo.InvariantCulture, $"  - {NotificationText.SingleLine(violation.Reason)}{(violation.RuleId is { } id ? $" [{NotificationText.SingleLine(id)}]" : string.Empty)}\n");
        }

        body.Append(CultureInfo.InvariantCulture, $"By:      {NotificationText.SingleLine(origin.PrincipalArn ?? "unknown principal")}{(origin.AccessKeyId is { Length: > 0 } key ? $", access key {NotificationText.SingleLine(key)}" : string.Empty)}\n");
        body.Append(CultureInfo.InvariantCulture, $"From:    {NotificationText.SingleLine(origin.SourceIpAddress ?? "unknown")}{(origin.UserAgent is { } agent ? $" using {NotificationText.SingleLine(agent)}" : string.Empty)}\n");
        body.Append(CultureInfo.InvariantCulture, $"When:    {origin.EventTime?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "unknown"} ({NotificationText.SingleLine(decision.EventName)}, event {NotificationText.SingleLine(origin.EventId)})\n");
        body.Append(CultureInfo.InvariantCulture, $"Where:   account {NotificationText.SingleLine(origin.AccountId)}, region {NotificationText.SingleLine(origin.Region)}\n");
        body.Append(outcome switch
        {
            Outcome.Revoked => $"Revoked: {NotificationText.SingleLine(RevokedText(response))}\n",
            Outcome.WouldRevoke => $"Would revoke: {NotificationText.SingleLine(string.Join(", ", response.StillViolating.Select(r => r.Now is { } now ? $"{r.Rule} ({now.Describe()})" : r.Rule)))}\n",
            Outcome.Exempt => $"Exemption: {NotificationText.SingleLine(decision.Reasons.LastOrDefault())}\n",
            Outcome.AlreadyFixed => "Revoked: nothing\n",
            _ => $"Failure: {NotificationText.SingleLine(failure)}\n",
        });
        if (response.AlreadyFixed.Count > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"Already fixed: {NotificationText.SingleLine(AlreadyFixedText(response))}\n");
        }

        if (outcome is not (Outcome.Exempt or Outcome.AlreadyFixed) && ExemptTag is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"\nIf this was intended, tag the group {ExemptTag} (or add the caller to the responder's exempt principals) and add the rule again.\n");
        }

        if (ConsoleLinks.CloudTrailEvent(Context.Partition, origin.Region, origin.EventId) is { } link)
        {
            body.Append(CultureInfo.InvariantCulture, $"\nThe event: {link}\n");
        }

        return new Notification(NotificationText.Subject(subject), body.ToString());
    }

    /// <summary>
    /// The Security Hub finding: Compliance FAILED and, once revoked, Workflow RESOLVED; when the rules were already fixed,
    /// Compliance PASSED and Workflow RESOLVED.
    /// </summary>
    public AsffFinding Finding(SecurityGroupResponse response, Outcome outcome, string? failure = null)
    {
        var decision = response.Decision;
        var origin = decision.Origin;
        var id = $"{GeneratorId}/{origin.EventId ?? decision.GroupId}";
        var now = AsffFields.Timestamp(_clock.GetUtcNow());
        var observed = origin.EventTime is { } time ? AsffFields.Timestamp(time) : now;
        var region = AwsNames.IsRegion(origin.Region) ? origin.Region! : Context.Region;
        var account = AwsNames.IsAccountId(origin.AccountId) ? origin.AccountId! : Context.AccountId;
        var severity = outcome switch
        {
            Outcome.RevokeFailed => Severity.Critical,
            Outcome.Exempt => Severity.Informational,
            _ => Severity.High,
        };
        var alreadyFixed = response.AlreadyFixed.Count > 0 ? $" Already fixed when TrailResponder looked: {AlreadyFixedText(response)}." : string.Empty;
        var (compliance, workflow, note) = outcome switch
        {
            Outcome.Revoked => ("FAILED", "RESOLVED", $"TrailResponder revoked {RevokedText(response)}.{alreadyFixed}"),
            Outcome.WouldRevoke => ("FAILED", "NEW", $"Dry run: TrailResponder did not revoke {string.Join(", ", response.StillViolating.Select(r => r.Rule))}.{alreadyFixed}"),
            Outcome.Exempt => ("FAILED", "SUPPRESSED", $"Exempt: {decision.Reasons.LastOrDefault()}"),

            // The group complies now, without TrailResponder's doing: nothing was revoked.
            Outcome.AlreadyFixed => ("PASSED", "RESOLVED", $"Nothing revoked.{alreadyFixed}"),
            _ => ("FAILED", "NEW", $"Revoking failed: {failure}{alreadyFixed}"),
        };

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            AsffFields.WriteIdentity(json, Context, id, GeneratorId, account);
            json.WriteStartArray("Types");
            json.WriteStringValue("Software and Configuration Checks/AWS Security Best Practices/Network Reachability");
            json.WriteStringValue("Effects/Data Exposure");
            json.WriteEndArray();
            json.WriteString("FirstObservedAt", observed);
            json.WriteString("LastObservedAt", observed);
            json.WriteString("CreatedAt", observed);
            json.WriteString("UpdatedAt", now);
            AsffFields.WriteSeverity(json, severity);
            json.WriteString("Title", AsffFields.Clip(NotificationText.SingleLine($"Security group {decision.GroupId} opened to the world by {origin.PrincipalArn ?? "an unknown principal"}"), 256));
            json.WriteString("Description", AsffFields.Clip(NotificationText.SingleLine($"{decision.EventName} added rules the policy forbids: {string.Join("; ", decision.Violations.Select(v => v.Reason))}. {note}"), 1024));
            json.WriteStartObject("Remediation");
            json.WriteStartObject("Recommendation");
            json.WriteString("Text", AsffFields.Clip("Open ports to the internet only through a load balancer or a narrow CIDR; tag the group if an exception is intended.", 512));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("ProductFields");
            json.WriteString("ProviderName", "TrailResponder");
            json.WriteString("trailresponder/EventId", origin.EventId ?? "unknown");
            json.WriteString("trailresponder/EventName", decision.EventName ?? "unknown");
            json.WriteString("trailresponder/Decision", outcome.ToString());
            if (response.Revoked.Count > 0)
            {
                json.WriteString("trailresponder/RevokedRuleIds", AsffFields.Clip(string.Join(",", response.Revoked), 2048));
            }

            if (response.AlreadyFixed.Count > 0)
            {
                json.WriteString("trailresponder/AlreadyFixedRuleIds", AsffFields.Clip(string.Join(",", response.AlreadyFixed.Select(r => r.Rule)), 2048));
            }

            json.WriteEndObject();
            json.WriteStartObject("Compliance");
            json.WriteString("Status", compliance);
            json.WriteEndObject();
            json.WriteStartObject("Workflow");
            json.WriteString("Status", workflow);
            json.WriteEndObject();
            json.WriteStartObject("Note");
            json.WriteString("Text", AsffFields.Clip(NotificationText.SingleLine(note), 512));
            json.WriteString("UpdatedBy", "TrailResponder");
            json.WriteString("UpdatedAt", now);
            json.WriteEndObject();
            json.WriteString("RecordState", "ACTIVE");
            json.WriteStartArray("Resources");
            json.WriteStartObject();
            json.WriteString("Type", "AwsEc2SecurityGroup");
            json.WriteString("Id", $"arn:{Context.Partition}:ec2:{region}:{account}:security-group/{decision.GroupId}");
            json.WriteString("Partition", Context.Partition);
            json.WriteString("Region", region);
            json.WriteStartObject("Details");
            json.WriteStartObject("AwsEc2SecurityGroup");
            json.WriteString("GroupId", decision.GroupId);
            if (decision.GroupName is { Length: > 0 } name)
            {
                json.WriteString("GroupName", name);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            if (origin.PrincipalArn is { Length: > 0 } principal)
            {
                json.WriteStartObject();
                json.WriteString("Type", AsffFields.PrincipalType(principal));
                json.WriteString("Id", principal);
                json.WriteString("Partition", Context.Partition);
                json.WriteString("Region", region);
                json.WriteString("ResourceRole", "Actor");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new AsffFinding(id, buffer.WrittenMemory.ToArray());
    }

    // Each revoked id with the rule as it was when revoked: it may differ from what the event opened (widened further since).
    private static string RevokedText(SecurityGroupResponse response) => string.Join(", ", response.Revoked.Select(id =>
        response.StillViolating.FirstOrDefault(r => r.Now?.RuleId == id)?.Now is { } now ? $"{id} ({now.Describe()})" : id));

    private static string AlreadyFixedText(SecurityGroupResponse response) => string.Join(", ", response.AlreadyFixed.Select(r => r.Describe()));

    private static string GroupLabel(SecurityGroupDecision decision) =>
        decision.GroupName is { Length: > 0 } name ? $"{decision.GroupId} ({name})" : decision.GroupId ?? "unknown group";
}
