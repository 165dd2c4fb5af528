namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// A rule the policy condemned in an event, judged again on what EC2 holds just before the responder acts: someone may
/// have changed it in place (ModifySecurityGroupRules keeps the rule id) or removed it since.
/// </summary>
/// <param name="Rule">The rule id; for a record without rule ids, the rule as the record gave it ("tcp 22 from 0.0.0.0/0").</param>
/// <param name="Now">The rule as EC2 holds it now; null when it no longer exists.</param>
/// <param name="Violation">Why the rule as it is now violates the policy; null when it no longer does: it is already fixed.</param>
public sealed record RecheckedRule(string Rule, DescribedSecurityGroupRule? Now, string? Violation)
{
    /// <summary>A rule that was not found when the responder looked.</summary>
    public static RecheckedRule Gone(string rule) => new(rule, null, null);

    /// <summary>True when the rule as it is now still violates the policy: the only kind the responder revokes.</summary>
    public bool StillViolates => Violation is not null;

    /// <summary>For people: "sgr-1 (now tcp 22 from 10.3.0.0/16)" or "sgr-1 (no longer exists)".</summary>
    public string Describe() => Now is null ? $"{Rule} (no longer exists)" : $"{Rule} (now {Now.Describe()})";
}
