namespace TrailResponder.Core.Rules;

/// <summary>How bad a finding is, using the ASFF severity labels, least severe first.</summary>
public enum Severity
{
    /// <summary>ASFF <c>INFORMATIONAL</c>.</summary>
    Informational,

    /// <summary>ASFF <c>LOW</c>.</summary>
    Low,

    /// <summary>ASFF <c>MEDIUM</c>.</summary>
    Medium,

    /// <summary>ASFF <c>HIGH</c>.</summary>
    High,

    /// <summary>ASFF <c>CRITICAL</c>.</summary>
    Critical,
}

/// <summary>Conversions between <see cref="Severity"/> and its ASFF label.</summary>
public static class SeverityLabels
{
    /// <summary>The ASFF labels, least severe first.</summary>
    public static readonly IReadOnlyList<string> All = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

    /// <summary>The ASFF label, e.g. <c>HIGH</c>.</summary>
    public static string ToLabel(this Severity severity) => All[(int)severity];

    /// <summary>Parses an ASFF label, ignoring case.</summary>
    public static bool TryParse(string? label, out Severity severity)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], label?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                severity = (Severity)i;
                return true;
            }
        }

        severity = default;
        return false;
    }
}
