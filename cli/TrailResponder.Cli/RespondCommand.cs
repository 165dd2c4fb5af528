using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Diagnostics;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Cli;

/// <summary>
/// <c>trailresponder respond EVENT.json</c>: what the security-group responder would decide about one event, without touching AWS.
/// </summary>
/// <remarks>
/// Exit codes: 0 decided (whatever the decision), 2 usage or policy error, 3 the event file cannot be read or understood.
/// Without AWS the command knows only the event: it says what it cannot know (whether the rules are still as the event
/// left them, the group's tags, the direction of a modified rule), and answers <c>undetermined</c> when the verdict
/// itself depends on AWS.
/// </remarks>
public static class RespondCommand
{
    /// <summary>Exit code when a decision was printed.</summary>
    public const int Decided = ExitCodes.Ok;

    /// <summary>Exit code for a bad command line or policy.</summary>
    public const int UsageError = ExitCodes.Usage;

    /// <summary>Exit code when the event file cannot be read, is not JSON, or is not a record the responder understands.</summary>
    public const int EventUnreadable = ExitCodes.InputError;

    /// <summary>Builds the command; <paramref name="environment"/> supplies AWS for <c>--apply</c>.</summary>
    public static Command Create(CliEnvironment environment)
    {
        var eventArgument = new Argument<string>("event")
        {
            Description = "An EventBridge \"AWS API Call via CloudTrail\" event, or one bare CloudTrail record",
        };
        var policyOption = new Option<string?>("--policy")
        {
            Description = "A policy JSON file (docs/functions.md); default: Security Hub EC2.18, only tcp 80 and 443 open",
            HelpName = "FILE",
        };
        var formatOption = new Option<string>("--format")
        {
            Description = "text for people, json for scripts (one object per line)",
            HelpName = "text|json",
            DefaultValueFactory = _ => "text",
        };
        formatOption.AcceptOnlyFromAmong("text", "json");

        var applyOption = new Option<bool>("--apply")
        {
            Description = "Re-read the group and revoke the rules that still violate; without it, a dry run",
        };
        var profileOption = new Option<string?>("--profile") { Description = "AWS profile for --apply (default: the standard credential chain)" };
        var awsRegionOption = new Option<string?>("--aws-region") { Description = "AWS region for --apply when the event names none (default: AWS_REGION)" };

        var command = new Command("respond", "Decide what the SecurityGroupResponder would do about one event; --apply does it")
        {
            eventArgument,
            policyOption,
            formatOption,
            applyOption,
            profileOption,
            awsRegionOption,
        };
        command.Action = new RespondAction(environment, eventArgument, policyOption, formatOption, applyOption, profileOption, awsRegionOption);
        return command;
    }

    /// <summary>Runs the command; parse errors never reach it (CliApp answers them with exit code 2).</summary>
    private sealed class RespondAction(
        CliEnvironment environment,
        Argument<string> eventArgument,
        Option<string?> policyOption,
        Option<string> formatOption,
        Option<bool> applyOption,
        Option<string?> profileOption,
        Option<string?> awsRegionOption)
        : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;

            var eventPath = parseResult.GetValue(eventArgument)!;
            var policyPath = parseResult.GetValue(policyOption);
            var asJson = parseResult.GetValue(formatOption) == "json";

            SecurityGroupPolicy policy;
            try
            {
                policy = new SecurityGroupPolicy(policyPath is null ? SecurityGroupPolicyOptions.Default : ReadPolicy(policyPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine(NotificationText.SingleLine($"respond: cannot read policy file '{policyPath}': {e.Message}"));
                return UsageError;
            }
            catch (SecurityGroupPolicyException e)
            {
                error.WriteLine(NotificationText.SingleLine($"respond: policy file '{policyPath}': {string.Join("; ", e.Problems)}"));
                return UsageError;
            }

            SecurityGroupChange change;
            try
            {
                using var stream = File.OpenRead(eventPath);
                using var document = JsonDocument.Parse(stream);
                change = SecurityGroupChange.Parse(document.RootElement);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine(NotificationText.SingleLine($"respond: cannot read event file '{eventPath}': {e.Message}"));
                return EventUnreadable;
            }
            catch (JsonException e)
            {
                error.WriteLine(NotificationText.SingleLine($"respond: event file '{eventPath}' is not valid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {WithoutPosition(e.Message)}"));
                return EventUnreadable;
            }
            catch (SecurityGroupEventFormatException e)
            {
                error.WriteLine(NotificationText.SingleLine($"respond: event file '{eventPath}' is not a record the responder understands: {e.Message}"));
                return EventUnreadable;
            }

            if (parseResult.GetValue(applyOption))
            {
                return Apply(policy, change, asJson, parseResult.GetValue(profileOption), parseResult.GetValue(awsRegionOption), output, error);
            }

            var decision = policy.Decide(change, SecurityGroupFacts.Unknown);
            var unknown = UnknownWithoutAws(decision, policy.Options);
            output.Write(asJson ? DecisionJson(decision, unknown) : DecisionText(decision, unknown));
            return Decided;
        }

        // The same responder as the Lambda function, without notifications: the person running it is the responder.
        private int Apply(SecurityGroupPolicy policy, SecurityGroupChange change, bool asJson, string? profile, string? awsRegion, TextWriter output, TextWriter error)
        {
            SecurityGroupResponse response;
            try
            {
                var aws = environment.Aws(profile, awsRegion);
                var responder = new SecurityGroupResponder(
                    policy,
                    region => region is null ? aws.SecurityGroups() : aws.SecurityGroups(region),
                    new SecurityGroupNotice(new AsffContext(aws.Endpoints.Region, "000000000000"), null),
                    publisher: null,
                    importer: null,
                    dryRun: false,
                    new JsonLineLog(TextWriter.Null));
                response = responder.RespondAsync(change, ResponsePath.RealTime, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (AwsAccessException e)
            {
                error.WriteLine(NotificationText.SingleLine($"respond: {e.Message}"));
                return e.ExitCode;
            }
            catch (SecurityGroupRevocationException e)
            {
                error.WriteLine(NotificationText.SingleLine($"respond: {e.Message}"));
                return EventUnreadable;
            }

            var decision = response.Decision;
            if (asJson)
            {
                var json = new StringBuilder();
                json.Append("{\"decision\": ").Append(JsonString(Name(decision.Decision)));
                json.Append(", \"groupId\": ").Append(decision.GroupId is null ? "null" : JsonString(decision.GroupId));
                json.Append(", \"ruleIds\": ");
                AppendArray(json, response.Revoked);
                json.Append(", \"alreadyGone\": ");
                AppendArray(json, response.AlreadyGone);
                json.Append(", \"alreadyFixed\": ");
                AppendArray(json, [.. response.AlreadyFixed.Select(r => r.Describe())]);
                json.Append(", \"reasons\": ");
                AppendArray(json, decision.Reasons);
                output.WriteLine(NotificationText.InJson(json.Append('}').ToString()));
            }
            else
            {
                output.Write(DecisionText(decision, unknown: [], applied: true));
                output.WriteLine(NotificationText.SingleLine($"Revoked: {(response.Revoked.Count == 0 ? "nothing" : string.Join(", ", response.Revoked))}"));
                if (response.AlreadyFixed.Count > 0)
                {
                    output.WriteLine(NotificationText.SingleLine($"Already fixed, not revoked: {string.Join(", ", response.AlreadyFixed.Select(r => r.Describe()))}"));
                }
            }

            return Decided;
        }

        // The parser appends its zero-based position to the message; the one-based position is already given.
        private static string WithoutPosition(string message)
        {
            var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return position < 0 ? message : message[..position];
        }

        private static SecurityGroupPolicyOptions ReadPolicy(string path)
        {
            using var stream = File.OpenRead(path);
            return SecurityGroupPolicyOptions.FromJson(stream);
        }
    }

    private static string Name(SecurityGroupDecision decision) => IsUndetermined(decision) ? "undetermined" : Name(decision.Decision);

    // Without AWS, a modified rule that would violate only in one direction leaves the verdict itself open.
    private static bool IsUndetermined(SecurityGroupDecision decision) =>
        decision.Decision == SecurityGroupVerdict.Allow && decision.UndeterminedRules.Count > 0 && decision.NeedsDescribedRules;

    private static string Name(SecurityGroupVerdict verdict) => verdict switch
    {
        SecurityGroupVerdict.Revoke => "revoke",
        SecurityGroupVerdict.Allow => "allow",
        SecurityGroupVerdict.Exempt => "exempt",
        _ => "ignore",
    };

    /// <summary>
    /// The documented one-line shape, spaced as in the documentation:
    /// <c>{"decision": "revoke", "groupId": "sg-...", "ruleIds": [...], "reasons": [...], "unknownWithoutAws": [...]}</c>;
    /// hidden characters of event data are JSON escapes.
    /// </summary>
    private static string DecisionJson(SecurityGroupDecision decision, IReadOnlyList<string> unknown)
    {
        var json = new StringBuilder();
        json.Append("{\"decision\": ").Append(JsonString(Name(decision)));
        json.Append(", \"groupId\": ").Append(decision.GroupId is null ? "null" : JsonString(decision.GroupId));
        json.Append(", \"ruleIds\": ");
        AppendArray(json, decision.RuleIdsToRevoke);
        json.Append(", \"reasons\": ");
        AppendArray(json, decision.Reasons);
        json.Append(", \"unknownWithoutAws\": ");
        AppendArray(json, unknown);
        return NotificationText.InJson(json.Append('}').AppendLine().ToString());
    }

    /// <summary>What a dry run without AWS cannot know and the real run finds out before it acts, one sentence each.</summary>
    private static List<string> UnknownWithoutAws(SecurityGroupDecision decision, SecurityGroupPolicyOptions options)
    {
        var unknown = new List<string>();
        if (decision.Decision == SecurityGroupVerdict.Revoke)
        {
            unknown.Add("whether the rules are still as the event left them: the real run reads them again first and revokes only those that still violate the policy; a rule changed or removed since is reported as already fixed");
        }

        foreach (var rule in decision.UndeterminedRules)
        {
            unknown.Add($"whether {rule.RuleId ?? "the modified rule"} is an ingress or an egress rule, and what it is now: the real run describes it and revokes it only if it violates the policy then");
        }

        if (decision.PermissionsToRevoke.Count > 0)
        {
            unknown.Add("the ids of the rules the record gives no id for: the real run matches them by their properties among the group's rules");
        }

        if ((decision.Decision == SecurityGroupVerdict.Revoke || IsUndetermined(decision)) && options.ExemptTag is { } tag)
        {
            unknown.Add($"the group's tags, so exemption by tag ({tag}) was not checked");
        }

        return unknown;
    }

    private static void AppendArray(StringBuilder json, IReadOnlyList<string> values)
    {
        json.Append('[');
        for (var i = 0; i < values.Count; i++)
        {
            json.Append(i == 0 ? "" : ", ").Append(JsonString(values[i]));
        }

        json.Append(']');
    }

    // Relaxed escaping: the output goes to a terminal or a script, never into HTML, and reasons read better unescaped.
    private static readonly JsonSerializerOptions RelaxedEscaping = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string JsonString(string value) => JsonSerializer.Serialize(value, RelaxedEscaping);

    // Every value but the verdict comes from the event (or the policy): each line is neutralised as a whole.
    private static string DecisionText(SecurityGroupDecision decision, IReadOnlyList<string> unknown, bool applied = false)
    {
        var origin = decision.Origin;
        var text = new StringBuilder();
        Line(text, $"Decision: {Name(decision)} ({(applied ? "applied" : "dry run: nothing was changed")})");
        Line(text, $"Group: {decision.GroupId ?? (decision.GroupName is null ? "(unknown)" : "named " + decision.GroupName)}");
        var time = origin.EventTime?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "(unknown time)";
        Line(text, $"Event: {decision.EventName ?? "(unnamed)"} {origin.EventId ?? "(no id)"} at {time} in {origin.Region ?? "(unknown region)"}, account {origin.AccountId ?? "(unknown)"}");
        var role = origin.SessionIssuerArn is null ? "" : $" (role {origin.SessionIssuerArn})";
        Line(text, $"Caller: {origin.PrincipalArn ?? "(unknown)"}{role}, access key {origin.AccessKeyId ?? "(none)"}, from {origin.SourceIpAddress ?? "(unknown)"}, user agent {origin.UserAgent ?? "(none)"}");

        if (decision.Reasons.Count > 0)
        {
            text.AppendLine("Reasons:");
            foreach (var reason in decision.Reasons)
            {
                Line(text, $"  - {reason}");
            }
        }

        if (applied)
        {
            return text.ToString();
        }

        if (decision.Decision == SecurityGroupVerdict.Revoke)
        {
            if (decision.RuleIdsToRevoke.Count > 0)
            {
                Line(text, $"Would revoke rules: {string.Join(", ", decision.RuleIdsToRevoke)}");
            }

            foreach (var permission in decision.PermissionsToRevoke)
            {
                var direction = permission.IsEgress == true ? "egress" : "ingress";
                var peer = permission.IsEgress == true ? "to" : "from";
                Line(text, $"Would revoke by matching (rule id unknown): {direction} {permission.DescribeTraffic()} {peer} {permission.Source}");
            }
        }

        if (unknown.Count > 0)
        {
            text.AppendLine("Without AWS this dry run cannot know (--apply looks it up):");
            foreach (var sentence in unknown)
            {
                Line(text, $"  - {sentence}");
            }
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string line) => text.AppendLine(NotificationText.SingleLine(line));
}
