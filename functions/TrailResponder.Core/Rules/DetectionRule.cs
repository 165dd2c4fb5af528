using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.Rules;

/// <summary>A detection: a filter pattern over CloudTrail records, and what to tell when it matches.</summary>
/// <param name="Id">Stable identifier, e.g. <c>CIS-4.3</c> or <c>TR-CLOUDTRAIL-STOPPED</c>; also the ASFF GeneratorId.</param>
/// <param name="Title">One line saying what happened.</param>
/// <param name="Severity">How bad a match is.</param>
/// <param name="Description">Why it matters.</param>
/// <param name="Remediation">What to do about it.</param>
/// <param name="Pattern">The CloudWatch Logs JSON filter pattern.</param>
public sealed record DetectionRule(
    string Id,
    string Title,
    Severity Severity,
    string Description,
    string Remediation,
    FilterPattern Pattern)
{
    /// <summary>The Security Hub control that checks for the same metric filter (e.g. <c>CloudWatch.1</c>); null when none.</summary>
    public string? SecurityHubControlId { get; init; }

    /// <summary>ASFF finding types (<c>namespace/category/classifier</c>).</summary>
    public IReadOnlyList<string> FindingTypes { get; init; } = [];

    /// <summary>True for rules that ship with TrailResponder; false for rules from a user's rules file.</summary>
    public bool IsBuiltIn { get; init; }
}
