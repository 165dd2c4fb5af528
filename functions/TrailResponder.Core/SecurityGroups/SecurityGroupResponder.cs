using TrailResponder.Core.Delivery;
using TrailResponder.Core.Diagnostics;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// Acts on one security-group change: decide with the policy, look up what the record cannot tell, revoke exactly
/// the violating rules, and tell the security team.
/// </summary>
/// <remarks>
/// The same code serves the real-time function, <c>trailresponder respond --apply</c> and the LogProcessor's backstop.
/// EC2 is called in the region of the change: the backstop reads log files of every region.
/// The backstop acts only on violating rules that are still present (the real-time path usually got there first),
/// and says so when it did act. Revoking is idempotent: a rule already gone counts as done.
/// </remarks>
public sealed class SecurityGroupResponder(
    SecurityGroupPolicy policy,
    Func<string?, ISecurityGroupClient> ec2ForRegion,
    SecurityGroupNotice notice,
    INotificationPublisher? publisher,
    IFindingImporter? importer,
    bool dryRun,
    JsonLineLog log)
{
    /// <summary>Responds to one change; throws <see cref="SecurityGroupRevocationException"/> when revoking failed (after notifying).</summary>
    public async Task<SecurityGroupResponse> RespondAsync(SecurityGroupChange change, ResponsePath path, CancellationToken cancellationToken)
    {
        var ec2 = ec2ForRegion(change.Origin.Region);
        var (decision, facts) = await DecideAsync(ec2, change, path, cancellationToken).ConfigureAwait(false);
        var eventId = decision.Origin.EventId;
        switch (decision.Decision)
        {
            case SecurityGroupVerdict.Ignore:
            case SecurityGroupVerdict.Allow:
                log.Info(decision.Decision == SecurityGroupVerdict.Ignore ? "security group change ignored" : "security group change allowed", ("event", eventId), ("group", decision.GroupId), ("path", path), ("reason", string.Join("; ", decision.Reasons)));
                return new SecurityGroupResponse(decision, [], [], dryRun, Notified: false);

            case SecurityGroupVerdict.Exempt:
                var exempt = new SecurityGroupResponse(decision, [], [], dryRun, Notified: true);
                log.Info("security group change exempt", ("event", eventId), ("group", decision.GroupId), ("reason", decision.Reasons.LastOrDefault()));
                await NotifyAsync(exempt, SecurityGroupNotice.Outcome.Exempt, path, null, cancellationToken).ConfigureAwait(false);
                return exempt;
        }

        var (byDirection, alreadyGone) = Targets(decision, facts, path);
        if (byDirection.Count == 0)
        {
            // Everything the policy condemns is gone already: the backstop finds the real-time path's work done.
            log.Info("violating rules already gone", ("event", eventId), ("group", decision.GroupId), ("path", path), ("alreadyGone", string.Join(",", alreadyGone)));
            return new SecurityGroupResponse(decision, [], alreadyGone, dryRun, Notified: false);
        }

        if (dryRun)
        {
            var wouldRevoke = new SecurityGroupResponse(decision, [], alreadyGone, DryRun: true, Notified: true);
            log.Info("dry run: would revoke", ("event", eventId), ("group", decision.GroupId), ("rules", string.Join(",", byDirection.SelectMany(d => d.Value))));
            await NotifyAsync(wouldRevoke, SecurityGroupNotice.Outcome.WouldRevoke, path, null, cancellationToken).ConfigureAwait(false);
            return wouldRevoke;
        }

        var revoked = new List<string>();
        var gone = new List<string>(alreadyGone);
        try
        {
            foreach (var (isEgress, ruleIds) in byDirection)
            {
                var outcome = await ec2.RevokeRulesAsync(decision.GroupId!, isEgress, ruleIds, cancellationToken).ConfigureAwait(false);
                revoked.AddRange(outcome.Revoked);
                gone.AddRange(outcome.AlreadyGone);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failed = new SecurityGroupResponse(decision, revoked, gone, DryRun: false, Notified: true);
            log.Error("revoking failed", ("event", eventId), ("group", decision.GroupId), ("error", e.GetType().Name), ("detail", e.Message));
            await NotifyAsync(failed, SecurityGroupNotice.Outcome.RevokeFailed, path, e.Message, cancellationToken).ConfigureAwait(false);
            throw new SecurityGroupRevocationException($"Could not revoke the violating rules of {decision.GroupId}: {e.Message}", e);
        }

        var response = new SecurityGroupResponse(decision, revoked, gone, DryRun: false, Notified: true);
        log.Info("revoked", ("event", eventId), ("group", decision.GroupId), ("path", path), ("revoked", string.Join(",", revoked)), ("alreadyGone", string.Join(",", gone)));
        await NotifyAsync(response, SecurityGroupNotice.Outcome.Revoked, path, null, cancellationToken).ConfigureAwait(false);
        return response;
    }

    // Decide, look up what the decision says it is missing, decide again; each fact is fetched at most once.
    private async Task<(SecurityGroupDecision Decision, SecurityGroupFacts Facts)> DecideAsync(ISecurityGroupClient ec2, SecurityGroupChange change, ResponsePath path, CancellationToken cancellationToken)
    {
        var facts = SecurityGroupFacts.Unknown;
        while (true)
        {
            var decision = policy.Decide(change, facts);
            if (decision.GroupId is null)
            {
                return (decision, facts);
            }

            var needTags = decision.NeedsGroupTags && facts.GroupTags is null;
            var needRules = facts.DescribedRules is null
                && (decision.NeedsDescribedRules || (path == ResponsePath.Backstop && decision.Decision == SecurityGroupVerdict.Revoke));
            if (!needTags && !needRules)
            {
                return (decision, facts);
            }

            facts = new SecurityGroupFacts
            {
                // A group that no longer exists has no tags: an empty set, so it is not asked for again.
                GroupTags = needTags
                    ? await ec2.DescribeTagsAsync(decision.GroupId, cancellationToken).ConfigureAwait(false) ?? new Dictionary<string, string>()
                    : facts.GroupTags,
                DescribedRules = needRules
                    ? await ec2.DescribeRulesAsync(decision.GroupId, cancellationToken).ConfigureAwait(false)
                    : facts.DescribedRules,
            };
        }
    }

    // What to revoke, by direction; a violation with no id or direction after the look-ups is no longer in the group.
    private static (Dictionary<bool, List<string>> ByDirection, List<string> AlreadyGone) Targets(SecurityGroupDecision decision, SecurityGroupFacts facts, ResponsePath path)
    {
        var present = facts.DescribedRules?.Select(r => r.RuleId).ToHashSet(StringComparer.Ordinal);
        var byDirection = new Dictionary<bool, List<string>>();
        var gone = new List<string>();
        foreach (var violation in decision.Violations)
        {
            var label = violation.RuleId ?? $"{violation.Rule.DescribeTraffic()} from {violation.Rule.Source.Value}";
            if (violation.RuleId is null || violation.IsEgress is null || (path == ResponsePath.Backstop && present?.Contains(violation.RuleId) != true))
            {
                if (!gone.Contains(label))
                {
                    gone.Add(label);
                }

                continue;
            }

            var list = byDirection.TryGetValue(violation.IsEgress.Value, out var ids) ? ids : byDirection[violation.IsEgress.Value] = [];
            if (!list.Contains(violation.RuleId))
            {
                list.Add(violation.RuleId);
            }
        }

        return (byDirection, gone);
    }

    private async Task NotifyAsync(SecurityGroupResponse response, SecurityGroupNotice.Outcome outcome, ResponsePath path, string? failure, CancellationToken cancellationToken)
    {
        if (importer is not null)
        {
            await importer.ImportAsync([notice.Finding(response, outcome, failure)], cancellationToken).ConfigureAwait(false);
        }

        if (publisher is not null)
        {
            await publisher.PublishAsync(notice.Email(response, outcome, path, failure), cancellationToken).ConfigureAwait(false);
        }
    }
}
