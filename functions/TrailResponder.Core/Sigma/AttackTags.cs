using System.Text.RegularExpressions;

namespace TrailResponder.Core.Sigma;

/// <summary>MITRE ATT&amp;CK tags of a Sigma rule (<c>attack.t1562.008</c>, <c>attack.defense-evasion</c>) and their ASFF finding types.</summary>
public static partial class AttackTags
{
    // ATT&CK's enterprise tactics (short names) with the ASFF type each maps to. ASFF's TTPs namespace names ten of
    // them; exfiltration and impact are effects; reconnaissance and resource development have no ASFF category.
    private static readonly Dictionary<string, string> Tactics = new(StringComparer.Ordinal)
    {
        ["reconnaissance"] = "TTPs",
        ["resource-development"] = "TTPs",
        ["initial-access"] = "TTPs/Initial Access",
        ["execution"] = "TTPs/Execution",
        ["persistence"] = "TTPs/Persistence",
        ["privilege-escalation"] = "TTPs/Privilege Escalation",
        ["defense-evasion"] = "TTPs/Defense Evasion",
        ["credential-access"] = "TTPs/Credential Access",
        ["discovery"] = "TTPs/Discovery",
        ["lateral-movement"] = "TTPs/Lateral Movement",
        ["collection"] = "TTPs/Collection",
        ["command-and-control"] = "TTPs/Command and Control",
        ["exfiltration"] = "Effects/Data Exfiltration",
        ["impact"] = "Effects",
    };

    /// <summary>Technique ids, upper-case (<c>T1562.008</c>), in tag order.</summary>
    public static IReadOnlyList<string> Techniques(IEnumerable<string> tags) => tags
        .Select(t => Technique().Match(t))
        .Where(m => m.Success)
        .Select(m => m.Groups[1].Value.ToUpperInvariant())
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Tactic short names with hyphens (<c>defense-evasion</c>; Sigma writes them with hyphens or underscores).</summary>
    public static IReadOnlyList<string> TacticNames(IEnumerable<string> tags) => tags
        .Where(t => t.StartsWith("attack.", StringComparison.OrdinalIgnoreCase))
        .Select(t => t["attack.".Length..].ToLowerInvariant().Replace('_', '-'))
        .Where(Tactics.ContainsKey)
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The ASFF finding types of the tactics.</summary>
    public static IReadOnlyList<string> FindingTypes(IEnumerable<string> tactics) => tactics
        .Select(t => Tactics.GetValueOrDefault(t))
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    [GeneratedRegex(@"^attack\.(t\d{4}(?:\.\d{3})?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Technique();
}
