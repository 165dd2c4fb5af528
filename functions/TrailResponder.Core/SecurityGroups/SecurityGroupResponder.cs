using TrailResponder.Core.Delivery;
using TrailResponder.Core.Diagnostics;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// Acts on one security-group change: decide with the policy, look up what the record cannot tell, re-read the condemned
/// rules, revoke exactly those that still violate, and tell the security team.
/// </summary>
/// <remarks>
/// <para>The same code serves the real-time function, <c>trailresponder respond --apply</c> and the LogProcessor's backstop.
/// EC2 is called in the region of the change: the backstop reads log files of every region.</para>
/// <para>An event says what a rule was when it was made; a later run on it (the backstop minutes later, an EventBridge
/// retry, a redrive from the dead-letter queue, a backfill) may find the rule changed in place (same rule id) or removed.
/// So, right before acting, the group's rules are described and each condemned rule is judged again as it is now, by the
/// same policy: only rules that still violate are revoked (a rule widened further still violates); a rule that no longer
/// violates, or no longer exists, is reported as already fixed and never revoked. A dry run re-reads the same way.</para>
/// <para>The backstop stays quiet when every condemned rule is gone: the real-time path most likely revoked them and told
/// the team already.</para>
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
        var (decision, facts) = await DecideAsync(ec2, change, cancellationToken).ConfigureAwait(false);
        var eventId = decision.Origin.EventId;
        switch (decision.Decision)
        {
            case SecurityGroupVerdict.Ignore:
            case SecurityGroupVerdict.Allow:
                log.Info(decision.Decision == SecurityGroupVerdict.Ignore ? "security group change ignored" : "security group change allowed", ("event", eventId), ("group", decision.GroupId), ("path", path), ("reason", string.Join("; ", decision.Reasons)));
                return SecurityGroupResponse.Untouched(decision, dryRun, notified: false);

            case SecurityGroupVerdict.Exempt:
                var exempt = SecurityGroupResponse.Untouched(decision, dryRun, notified: true);
                log.Info("security group change exempt", ("event", eventId), ("group", decision.GroupId), ("reason", decision.Reasons.LastOrDefault()));
                await NotifyAsync(exempt, SecurityGroupNotice.Outcome.Exempt, path, null, cancellationToken).ConfigureAwait(false);
                return exempt;
        }

        if (facts.DescribedRules is not { } current)
        {
            // Only a record naming the group by name alone gets here: without its id there is nothing to read or revoke.
            log.Warn("cannot revoke: the record does not give the group id", ("event", eventId), ("groupName", decision.GroupName), ("path", path), ("reason", string.Join("; ", decision.Reasons)));
            return SecurityGroupResponse.Untouched(decision, dryRun, notified: false);
        }

        var (still, alreadyFixed) = policy.Recheck(decision, current);
        if (still.Count == 0)
        {
            return await AlreadyFixedAsync(decision, alreadyFixed, path, cancellationToken).ConfigureAwait(false);
        }

        if (dryRun)
        {
            var wouldRevoke = new SecurityGroupResponse(decision, still, [], alreadyFixed, DryRun: true, Notified: true);
            log.Info("dry run: would revoke", ("event", eventId), ("group", decision.GroupId), ("path", path), ("rules", string.Join(",", still.Select(r => r.Rule))), ("alreadyFixed", Describe(alreadyFixed)));
            await NotifyAsync(wouldRevoke, SecurityGroupNotice.Outcome.WouldRevoke, path, null, cancellationToken).ConfigureAwait(false);
            return wouldRevoke;
        }

        var revoked = new List<string>();
        var fixedNow = new List<RecheckedRule>(alreadyFixed);
        try
        {
            foreach (var direction in still.GroupBy(r => r.Now!.IsEgress))
            {
                var outcome = await ec2.RevokeRulesAsync(decision.GroupId!, direction.Key, [.. direction.Select(r => r.Now!.RuleId)], cancellationToken).ConfigureAwait(false);
                revoked.AddRange(outcome.Revoked);

                // Removed by someone else between the look-up and the revocation.
                fixedNow.AddRange(outcome.AlreadyGone.Select(RecheckedRule.Gone));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failed = new SecurityGroupResponse(decision, still, revoked, fixedNow, DryRun: false, Notified: true);
            log.Error("revoking failed", ("event", eventId), ("group", decision.GroupId), ("path", path), ("error", e.GetType().Name), ("detail", e.Message));
            await NotifyAsync(failed, SecurityGroupNotice.Outcome.RevokeFailed, path, e.Message, cancellationToken).ConfigureAwait(false);
            throw new SecurityGroupRevocationException($"Could not revoke the violating rules of {decision.GroupId}: {e.Message}", e);
        }

        if (revoked.Count == 0)
        {
            return await AlreadyFixedAsync(decision, fixedNow, path, cancellationToken).ConfigureAwait(false);
        }

        var response = new SecurityGroupResponse(decision, still, revoked, fixedNow, DryRun: false, Notified: true);
        log.Info("revoked", ("event", eventId), ("group", decision.GroupId), ("path", path), ("revoked", string.Join(",", revoked)), ("alreadyFixed", Describe(fixedNow)));
        await NotifyAsync(response, SecurityGroupNotice.Outcome.Revoked, path, null, cancellationToken).ConfigureAwait(false);
        return response;
    }

    // Nothing condemned is left to revoke: the rules were changed so that they no longer violate, or removed.
    private async Task<SecurityGroupResponse> AlreadyFixedAsync(SecurityGroupDecision decision, IReadOnlyList<RecheckedRule> alreadyFixed, ResponsePath path, CancellationToken cancellationToken)
    {
        var eventId = decision.Origin.EventId;
        if (path == ResponsePath.Backstop && alreadyFixed.All(r => r.Now is null))
        {
            // Every condemned rule is gone: the backstop finds the real-time path's work done, and that path told the team.
            log.Info("violating rules already gone", ("event", eventId), ("group", decision.GroupId), ("path", path), ("alreadyGone", string.Join(",", alreadyFixed.Select(r => r.Rule))));
            return new SecurityGroupResponse(decision, [], [], alreadyFixed, dryRun, Notified: false);
        }

        var response = new SecurityGroupResponse(decision, [], [], alreadyFixed, dryRun, Notified: true);
        log.Info("violating rules already fixed", ("event", eventId), ("group", decision.GroupId), ("path", path), ("alreadyFixed", Describe(alreadyFixed)));
        await NotifyAsync(response, SecurityGroupNotice.Outcome.AlreadyFixed, path, null, cancellationToken).ConfigureAwait(false);
        return response;
    }

    // Decide, look up what the decision says it is missing, decide again; each fact is fetched at most once.
    private async Task<(SecurityGroupDecision Decision, SecurityGroupFacts Facts)> DecideAsync(ISecurityGroupClient ec2, SecurityGroupChange change, CancellationToken cancellationToken)
    {
        var facts = SecurityGroupFacts.Unknown;
        while (true)
        {
            var decision = policy.Decide(change, facts);
            if (decision.GroupId is null)
            {
                return (decision, facts);
            }

            if (decision.NeedsGroupTags && facts.GroupTags is null)
            {
                // Tags first: an exempt group needs nothing else. A group that no longer exists has no tags: an empty
                // set, so it is not asked for again.
                facts = facts with
                {
                    GroupTags = await ec2.DescribeTagsAsync(decision.GroupId, cancellationToken).ConfigureAwait(false) ?? new Dictionary<string, string>(),
                };
                continue;
            }

            // A revocation acts on the rules as they are now, not as the event left them: read them right before acting.
            if (facts.DescribedRules is null && (decision.NeedsDescribedRules || decision.Decision == SecurityGroupVerdict.Revoke))
            {
                facts = facts with { DescribedRules = await ec2.DescribeRulesAsync(decision.GroupId, cancellationToken).ConfigureAwait(false) };
                continue;
            }

            return (decision, facts);
        }
    }

    private static string Describe(IReadOnlyList<RecheckedRule> rules) => string.Join(", ", rules.Select(r => r.Describe()));

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
