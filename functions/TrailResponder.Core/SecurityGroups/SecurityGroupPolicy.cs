namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// Decides, for one security-group change, which rules the policy condemns and whether to revoke them.
/// </summary>
/// <remarks>
/// <para>A rule is condemned only when its peer is the whole internet (<c>0.0.0.0/0</c> or <c>::/0</c>) and:</para>
/// <list type="bullet">
/// <item>it is all traffic (protocol <c>-1</c>); or</item>
/// <item>it is TCP/UDP and its port range touches a forbidden port, or does not lie wholly within the allowed ports of its protocol; or</item>
/// <item>it is another whole protocol (ESP, GRE, ...), which no port list can allow; or</item>
/// <item>it is ICMP/ICMPv6 and the policy does not allow world-open ICMP (allowed by default: it exposes no port).</item>
/// </list>
/// <para>Egress rules are judged the same way only when the policy checks egress. Narrow CIDRs, prefix lists and
/// security-group references are never condemned. Everything is compiled in the constructor so that a decision
/// is comparisons only.</para>
/// </remarks>
public sealed class SecurityGroupPolicy
{
    private readonly PortRange[] _allowedTcp;
    private readonly PortRange[] _allowedUdp;
    private readonly PortRange[] _forbidden;
    private readonly HashSet<string> _exemptGroups;
    private readonly ArnPattern[] _exemptPrincipals;
    private readonly string _allowedTcpText;
    private readonly string _allowedUdpText;

    /// <summary>Compiles the options.</summary>
    /// <exception cref="SecurityGroupPolicyException">The options are not valid; every problem is listed.</exception>
    public SecurityGroupPolicy(SecurityGroupPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new SecurityGroupPolicyException(problems);
        }

        Options = options;
        _allowedTcp = Merge(options.AllowedIngressPorts);
        _allowedUdp = Merge(options.AllowedIngressUdpPorts);
        _forbidden = Merge(options.ForbiddenPorts);
        _exemptGroups = new HashSet<string>(options.ExemptGroupIds, StringComparer.Ordinal);
        _exemptPrincipals = [.. options.ExemptPrincipals.Select(p => new ArnPattern(p))];
        _allowedTcpText = PortsText(_allowedTcp);
        _allowedUdpText = PortsText(_allowedUdp);
    }

    /// <summary>The options this policy was compiled from.</summary>
    public SecurityGroupPolicyOptions Options { get; }

    /// <summary>Decides with nothing looked up in AWS (a dry run).</summary>
    public SecurityGroupDecision Decide(SecurityGroupChange change) => Decide(change, SecurityGroupFacts.Unknown);

    /// <summary>Decides, using whatever the AWS layer has looked up about the group.</summary>
    public SecurityGroupDecision Decide(SecurityGroupChange change, SecurityGroupFacts facts)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(facts);

        if (IgnoreReason(change) is { } ignoreReason)
        {
            return new SecurityGroupDecision
            {
                Decision = SecurityGroupVerdict.Ignore,
                GroupId = change.GroupId,
                GroupName = change.GroupName,
                EventName = change.EventName,
                Reasons = [ignoreReason],
                Origin = change.Origin,
            };
        }

        // Lists are created only when something violates: the common allowed case allocates nothing but the decision.
        List<SecurityGroupViolation>? violations = null;
        List<SecurityGroupRule>? undetermined = null;
        List<string>? reasons = null;
        var needsDescribedRules = false;

        var rules = change.Rules;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var isEgress = Direction(rule, change.Kind, facts.DescribedRules);
            string? reason;
            if (isEgress is { } egress)
            {
                reason = FindViolation(rule, egress);
            }
            else
            {
                // Direction unknown: condemn only what either direction would condemn; otherwise wait for the described rule.
                var asIngress = FindViolation(rule, isEgress: false);
                var asEgress = FindViolation(rule, isEgress: true);
                reason = asIngress is not null && asEgress is not null ? asIngress : null;
                if (reason is null && (asIngress ?? asEgress) is { } conditional)
                {
                    (undetermined ??= []).Add(rule);
                    (reasons ??= []).Add(facts.DescribedRules is null
                        ? $"{rule.RuleId ?? "a modified rule"} would violate if it is {(asIngress is not null ? "an ingress" : "an egress")} rule ({conditional}), but the record does not say which: describe the rule to decide"
                        : $"{rule.RuleId ?? "a modified rule"} would violate if it is {(asIngress is not null ? "an ingress" : "an egress")} rule ({conditional}), but it is no longer among the group's rules: nothing to revoke");

                    // Once described rules were given, a rule still missing from them is gone or elsewhere: asking again would loop.
                    needsDescribedRules |= facts.DescribedRules is null;
                }
            }

            if (reason is null)
            {
                continue;
            }

            var ruleId = rule.RuleId ?? (isEgress is { } direction ? MatchDescribed(rule, direction, facts.DescribedRules) : null);

            // Revoking needs the direction (Ingress or Egress call) and, to be exact, the id: ask for the described rules when either is missing.
            needsDescribedRules |= facts.DescribedRules is null && (ruleId is null || isEgress is null);
            (violations ??= []).Add(new SecurityGroupViolation(rule.IsEgress == isEgress ? rule : rule with { IsEgress = isEgress }, isEgress, ruleId, reason));
        }

        if (violations is null)
        {
            return new SecurityGroupDecision
            {
                Decision = SecurityGroupVerdict.Allow,
                GroupId = change.GroupId,
                GroupName = change.GroupName,
                EventName = change.EventName,
                UndeterminedRules = undetermined ?? (IReadOnlyList<SecurityGroupRule>)[],
                NeedsDescribedRules = needsDescribedRules,
                Reasons = reasons ?? (IReadOnlyList<string>)[],
                Origin = change.Origin,
            };
        }

        var allReasons = new List<string>(violations.Count + 1 + (reasons?.Count ?? 0));
        foreach (var violation in violations)
        {
            allReasons.Add(violation.Reason);
        }

        if (reasons is not null)
        {
            allReasons.AddRange(reasons);
        }

        var exemption = ExemptionReason(change, facts);
        if (exemption is not null)
        {
            allReasons.Add(exemption);
            return new SecurityGroupDecision
            {
                Decision = SecurityGroupVerdict.Exempt,
                GroupId = change.GroupId,
                GroupName = change.GroupName,
                EventName = change.EventName,
                Violations = violations,
                UndeterminedRules = undetermined ?? (IReadOnlyList<SecurityGroupRule>)[],
                Reasons = allReasons,
                Origin = change.Origin,
            };
        }

        var ruleIds = new List<string>(violations.Count);
        var permissions = new List<SecurityGroupRule>();
        foreach (var violation in violations)
        {
            if (violation.RuleId is null)
            {
                permissions.Add(violation.Rule);
            }
            else if (!ruleIds.Contains(violation.RuleId))
            {
                ruleIds.Add(violation.RuleId);
            }
        }

        return new SecurityGroupDecision
        {
            Decision = SecurityGroupVerdict.Revoke,
            GroupId = change.GroupId,
            GroupName = change.GroupName,
            EventName = change.EventName,
            Violations = violations,
            RuleIdsToRevoke = ruleIds,
            PermissionsToRevoke = permissions,
            UndeterminedRules = undetermined ?? (IReadOnlyList<SecurityGroupRule>)[],
            NeedsDescribedRules = needsDescribedRules,
            NeedsGroupTags = Options.ExemptTag is not null && facts.GroupTags is null,
            Reasons = allReasons,
            Origin = change.Origin,
        };
    }

    /// <summary>
    /// Judges the violations of a decision again, on the group's rules as EC2 holds them now: a rule may have been changed
    /// in place (same id) or removed since the event. Each rule still there is judged as it is now, by the same policy.
    /// </summary>
    /// <param name="decision">The decision about the event.</param>
    /// <param name="current">The group's rules, described just before acting.</param>
    /// <returns>The condemned rules that still violate (as they are now), and those already fixed: changed so that they no longer violate, or gone.</returns>
    public (IReadOnlyList<RecheckedRule> StillViolating, IReadOnlyList<RecheckedRule> AlreadyFixed) Recheck(SecurityGroupDecision decision, IReadOnlyList<DescribedSecurityGroupRule> current)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(current);
        var byId = new Dictionary<string, DescribedSecurityGroupRule>(current.Count, StringComparer.Ordinal);
        foreach (var rule in current)
        {
            byId.TryAdd(rule.RuleId, rule);
        }

        var still = new List<RecheckedRule>();
        var alreadyFixed = new List<RecheckedRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var violation in decision.Violations)
        {
            // A violation without an id matched no described rule: nothing with its properties is there any more.
            var label = violation.RuleId ?? $"{violation.Rule.DescribeTraffic()} from {violation.Rule.Source.Value}";
            if (!seen.Add(label))
            {
                continue;
            }

            if (violation.RuleId is null
                || !byId.TryGetValue(violation.RuleId, out var now)
                || (decision.GroupId is not null && !string.Equals(now.GroupId, decision.GroupId, StringComparison.Ordinal)))
            {
                alreadyFixed.Add(RecheckedRule.Gone(label));
                continue;
            }

            var reason = FindViolation(now.ToRule(), now.IsEgress);
            (reason is null ? alreadyFixed : still).Add(new RecheckedRule(label, now, reason));
        }

        return (still, alreadyFixed);
    }

    /// <summary>Why the policy condemns the rule in the given direction, or null when it does not.</summary>
    public string? FindViolation(SecurityGroupRule rule, bool isEgress)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if ((isEgress && !Options.CheckEgress) || !rule.Source.IsWorldOpen)
        {
            return null;
        }

        switch (rule.Protocol.Kind)
        {
            case SecurityGroupProtocolKind.All:
                return $"{Traffic(rule, isEgress)} open to {rule.Source}; allowed ports are {_allowedTcpText}";

            case SecurityGroupProtocolKind.Tcp:
            case SecurityGroupProtocolKind.Udp:
                var (from, to) = rule.PortSpan;
                foreach (var forbidden in _forbidden)
                {
                    if (forbidden.Overlaps(from, to))
                    {
                        return forbidden.From == forbidden.To
                            ? $"{Traffic(rule, isEgress)} open to {rule.Source}; port {forbidden} is forbidden"
                            : $"{Traffic(rule, isEgress)} open to {rule.Source}; ports {forbidden} are forbidden";
                    }
                }

                var isTcp = rule.Protocol.Kind == SecurityGroupProtocolKind.Tcp;
                if (Covers(isTcp ? _allowedTcp : _allowedUdp, from, to))
                {
                    return null;
                }

                return isTcp
                    ? $"{Traffic(rule, isEgress)} open to {rule.Source}; allowed ports are {_allowedTcpText}"
                    : $"{Traffic(rule, isEgress)} open to {rule.Source}; allowed udp ports are {_allowedUdpText}";

            case SecurityGroupProtocolKind.Icmp:
            case SecurityGroupProtocolKind.IcmpV6:
                return Options.AllowWorldIcmp
                    ? null
                    : $"{Traffic(rule, isEgress)} open to {rule.Source}; the policy does not allow ICMP from the world";

            default:
                return $"{Traffic(rule, isEgress)} open to {rule.Source}; only tcp and udp ports can be allowed";
        }
    }

    private string? IgnoreReason(SecurityGroupChange change)
    {
        if (!string.Equals(change.EventSource, SecurityGroupChange.Ec2EventSource, StringComparison.Ordinal))
        {
            return $"event source {change.EventSource ?? "(none)"} is not {SecurityGroupChange.Ec2EventSource}";
        }

        switch (change.Kind)
        {
            case SecurityGroupChangeKind.Revoke:
                return $"{change.EventName} only removes access";
            case SecurityGroupChangeKind.Other:
                return $"{change.EventName ?? "(no event name)"} is not a security-group rule change";
        }

        if (change.ErrorCode is not null)
        {
            return $"the call failed ({change.ErrorCode}): nothing was changed";
        }

        if (Options.ResponderRoleArn is { } responder
            && (responder.Equals(change.Origin.SessionIssuerArn, StringComparison.OrdinalIgnoreCase)
                || responder.Equals(change.Origin.PrincipalArn, StringComparison.OrdinalIgnoreCase)))
        {
            return $"made by the responder's own role {responder}";
        }

        if (change.Rules.Count == 0)
        {
            return "the record lists no rules (requestParameters empty or omitted)";
        }

        return null;
    }

    private string? ExemptionReason(SecurityGroupChange change, SecurityGroupFacts facts)
    {
        foreach (var pattern in _exemptPrincipals)
        {
            if (pattern.IsMatch(change.Origin.PrincipalArn))
            {
                return $"exempt: principal {change.Origin.PrincipalArn} matches {pattern.Text}";
            }

            if (pattern.IsMatch(change.Origin.SessionIssuerArn))
            {
                return $"exempt: role {change.Origin.SessionIssuerArn} matches {pattern.Text}";
            }
        }

        if (change.GroupId is { } groupId && _exemptGroups.Contains(groupId))
        {
            return $"exempt: group {groupId} is listed as exempt";
        }

        if (Options.ExemptTag is { } tag && facts.GroupTags is { } tags && tag.IsMetBy(tags))
        {
            return $"exempt: group {change.GroupId} carries the tag {tag}";
        }

        return null;
    }

    private static bool? Direction(SecurityGroupRule rule, SecurityGroupChangeKind kind, IReadOnlyList<DescribedSecurityGroupRule>? described)
    {
        if (rule.IsEgress is { } known)
        {
            return known;
        }

        switch (kind)
        {
            case SecurityGroupChangeKind.AuthorizeIngress:
                return false;
            case SecurityGroupChangeKind.AuthorizeEgress:
                return true;
        }

        if (rule.RuleId is not null && described is not null)
        {
            foreach (var candidate in described)
            {
                if (string.Equals(candidate.RuleId, rule.RuleId, StringComparison.Ordinal))
                {
                    return candidate.IsEgress;
                }
            }
        }

        return null;
    }

    private static string? MatchDescribed(SecurityGroupRule rule, bool isEgress, IReadOnlyList<DescribedSecurityGroupRule>? described)
    {
        if (described is null)
        {
            return null;
        }

        foreach (var candidate in described)
        {
            if (candidate.Matches(rule, isEgress))
            {
                return candidate.RuleId;
            }
        }

        return null;
    }

    private static string Traffic(SecurityGroupRule rule, bool isEgress) =>
        isEgress ? "egress " + rule.DescribeTraffic() : rule.DescribeTraffic();

    private static bool Covers(PortRange[] allowed, int from, int to)
    {
        foreach (var range in allowed)
        {
            if (range.From <= from && to <= range.To)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sorts and joins touching ranges, so that 80-81 plus 82 allows 80-82 as one span.</summary>
    private static PortRange[] Merge(IReadOnlyList<PortRange> ranges)
    {
        var sorted = ranges.OrderBy(r => r.From).ToList();
        var merged = new List<PortRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.From <= merged[^1].To + 1)
            {
                var last = merged[^1];
                merged[^1] = new PortRange(last.From, Math.Max(last.To, range.To));
            }
            else
            {
                merged.Add(range);
            }
        }

        return [.. merged];
    }

    private static string PortsText(PortRange[] ranges) =>
        ranges.Length == 0 ? "none" : string.Join(", ", ranges.Select(r => r.ToString()));
}
