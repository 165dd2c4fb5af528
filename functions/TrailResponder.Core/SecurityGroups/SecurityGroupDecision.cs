namespace TrailResponder.Core.SecurityGroups;

/// <summary>What the responder does about one CloudTrail record.</summary>
public enum SecurityGroupVerdict
{
    /// <summary>Revoke the violating rules.</summary>
    Revoke,

    /// <summary>Nothing the policy condemns was added.</summary>
    Allow,

    /// <summary>Rules violate, but the group or the caller is exempt: notify only.</summary>
    Exempt,

    /// <summary>Not a change the responder acts on (failed call, revocation, own call, other event).</summary>
    Ignore,
}

/// <summary>One rule the policy condemns, and why.</summary>
/// <param name="Rule">The rule as the record gives it.</param>
/// <param name="IsEgress">The rule's direction; null when only the described rule can tell (ModifySecurityGroupRules).</param>
/// <param name="RuleId">The id to revoke; null when neither the record nor the described rules give one.</param>
/// <param name="Reason">For people: "tcp 22 open to 0.0.0.0/0; allowed ports are 80, 443".</param>
public sealed record SecurityGroupViolation(SecurityGroupRule Rule, bool? IsEgress, string? RuleId, string Reason);

/// <summary>The responder's decision about one record, with what to revoke and what a notification needs.</summary>
public sealed record SecurityGroupDecision
{
    /// <summary>Revoke, Allow, Exempt or Ignore.</summary>
    public required SecurityGroupVerdict Decision { get; init; }

    /// <summary>The group changed, when known.</summary>
    public string? GroupId { get; init; }

    /// <summary>The group's name, when the record named the group that way.</summary>
    public string? GroupName { get; init; }

    /// <summary><c>eventName</c> of the record.</summary>
    public string? EventName { get; init; }

    /// <summary>Every rule the policy condemns (also for Exempt, so that the notification can say what was let through).</summary>
    public IReadOnlyList<SecurityGroupViolation> Violations { get; init; } = [];

    /// <summary>Revoke only: the ids of the rules to revoke.</summary>
    public IReadOnlyList<string> RuleIdsToRevoke { get; init; } = [];

    /// <summary>Revoke only: violating rules whose ids are unknown, to revoke by matching properties (each with its direction).</summary>
    public IReadOnlyList<SecurityGroupRule> PermissionsToRevoke { get; init; } = [];

    /// <summary>
    /// ModifySecurityGroupRules rules that would violate as ingress but whose direction is unknown: not condemned until
    /// described rules say which they are.
    /// </summary>
    public IReadOnlyList<SecurityGroupRule> UndeterminedRules { get; init; } = [];

    /// <summary>True when the decision would be firmer with the group's current rules (ids or directions unknown).</summary>
    public bool NeedsDescribedRules { get; init; }

    /// <summary>True when the decision is Revoke but exemption by tag could not be checked because the group's tags are unknown.</summary>
    public bool NeedsGroupTags { get; init; }

    /// <summary>For people: one reason per violating rule, the exemption or ignore reason, and notes on undetermined rules.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Who, when and where.</summary>
    public required SecurityGroupEventOrigin Origin { get; init; }
}
