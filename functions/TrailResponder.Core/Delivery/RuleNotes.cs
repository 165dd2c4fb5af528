using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Delivery;

/// <summary>What a finding tells its reader about the rule behind it: advice, known false positives, references.</summary>
public static class RuleNotes
{
    private const int MaxUrlLength = 512;

    /// <summary>The rule's remediation (or a generic one), its known false positives and its references, as one text.</summary>
    public static string Recommendation(DetectionRule rule)
    {
        var text = string.IsNullOrWhiteSpace(rule.Remediation) ? "Review the event and the principal that made it." : rule.Remediation;
        if (rule.FalsePositives.Count > 0)
        {
            text += $" Known false positives: {string.Join("; ", rule.FalsePositives)}.";
        }

        if (rule.References.Count > 0)
        {
            text += $" References: {string.Join(" ", rule.References)}";
        }

        return NotificationText.SingleLine(text);
    }

    /// <summary>The first reference that is a plain http(s) URL, for links; null when there is none.</summary>
    public static string? WebReference(DetectionRule rule) => rule.References.FirstOrDefault(r =>
        r.Length <= MaxUrlLength
        && Uri.TryCreate(r, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http"
        && !r.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)));

    /// <summary>The rule's ATT&amp;CK techniques and tactics, e.g. <c>T1562.008 (defense-evasion)</c>; empty when it names none.</summary>
    public static string Attack(DetectionRule rule)
    {
        var techniques = string.Join(", ", rule.AttackTechniques);
        var tactics = string.Join(", ", rule.AttackTactics);
        return (techniques, tactics) switch
        {
            ("", "") => string.Empty,
            ("", _) => tactics,
            (_, "") => techniques,
            _ => $"{techniques} ({tactics})",
        };
    }
}
