using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.Rules;

/// <summary>A detection: a test on CloudTrail records (a filter pattern or a Sigma detection), and what to tell when it matches.</summary>
/// <param name="Id">Stable identifier, e.g. <c>CIS-4.3</c>, <c>TR-CLOUDTRAIL-STOPPED</c> or a Sigma rule's UUID; also the ASFF GeneratorId.</param>
/// <param name="Title">One line saying what happened.</param>
/// <param name="Severity">How bad a match is.</param>
/// <param name="Description">Why it matters.</param>
/// <param name="Remediation">What to do about it.</param>
/// <param name="Logic">What the rule tests.</param>
public sealed record DetectionRule(
    string Id,
    string Title,
    Severity Severity,
    string Description,
    string Remediation,
    RuleLogic Logic)
{
    /// <summary>A rule written as a CloudWatch Logs JSON filter pattern.</summary>
    public DetectionRule(string id, string title, Severity severity, string description, string remediation, FilterPattern pattern)
        : this(id, title, severity, description, remediation, new FilterPatternLogic(pattern))
    {
    }

    /// <summary>The filter pattern, for rules written as one; null for Sigma rules.</summary>
    public FilterPattern? Pattern => (Logic as FilterPatternLogic)?.Pattern;

    /// <summary>The Security Hub control that checks for the same metric filter (e.g. <c>CloudWatch.1</c>); null when none.</summary>
    public string? SecurityHubControlId { get; init; }

    /// <summary>ASFF finding types (<c>namespace/category/classifier</c>).</summary>
    public IReadOnlyList<string> FindingTypes { get; init; } = [];

    /// <summary>True for rules that ship with TrailResponder; false for rules from a user's rules file or Sigma rules.</summary>
    public bool IsBuiltIn { get; init; }

    /// <summary>The file the rule came from (<c>file:line</c> for Sigma rules); empty for built-ins.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>MITRE ATT&amp;CK technique ids, e.g. <c>T1562.008</c>.</summary>
    public IReadOnlyList<string> AttackTechniques { get; init; } = [];

    /// <summary>MITRE ATT&amp;CK tactics, e.g. <c>defense-evasion</c>.</summary>
    public IReadOnlyList<string> AttackTactics { get; init; } = [];

    /// <summary>Known causes of harmless matches, for the reader of a finding.</summary>
    public IReadOnlyList<string> FalsePositives { get; init; } = [];

    /// <summary>Where to read more (usually URLs).</summary>
    public IReadOnlyList<string> References { get; init; } = [];
}
