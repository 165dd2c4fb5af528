using System.Globalization;
using TrailResponder.Core.Sigma;

namespace TrailResponder.Core.Rules;

/// <summary>The rules in force after loading, and what loading found.</summary>
/// <param name="Rules">The built-ins and every loaded rule, with severities and disables applied, in evaluation order.</param>
/// <param name="Report">Per source: what was loaded, skipped, and wrong.</param>
public sealed record RuleCatalog(IReadOnlyList<DetectionRule> Rules, RuleLoadReport Report);

/// <summary>What loading every source gave.</summary>
/// <param name="Sources">One report per source, in the order given.</param>
/// <param name="Errors">Every error (<c>file:line: ...</c>), the sources' and those found putting them together.</param>
public sealed record RuleLoadReport(IReadOnlyList<RuleSourceReport> Sources, IReadOnlyList<string> Errors)
{
    /// <summary>True when some rule or file is wrong: the rules must not be used.</summary>
    public bool HasErrors => Errors.Count > 0;

    /// <summary>One line per source saying what it gave.</summary>
    public IEnumerable<string> Summary() => Sources.Select(s => s.Summary());
}

/// <summary>What one source (a file or folder given with <c>--rules</c>, or <c>RULES_LOCATION</c>) gave.</summary>
/// <param name="Source">The source as given.</param>
/// <param name="Files">How many files it held.</param>
/// <param name="SigmaRules">Sigma rules loaded.</param>
/// <param name="FileRules">Rules from TrailResponder rules files.</param>
/// <param name="SeverityOverrides">Severities set by rules files.</param>
/// <param name="Disabled">Rules disabled by rules files.</param>
/// <param name="Skipped">Sigma documents not loaded, and why.</param>
/// <param name="Errors">Problems, each <c>file:line: ...</c>.</param>
public sealed record RuleSourceReport(
    string Source,
    int Files,
    int SigmaRules,
    int FileRules,
    int SeverityOverrides,
    int Disabled,
    IReadOnlyList<SigmaSkip> Skipped,
    IReadOnlyList<string> Errors)
{
    /// <summary>e.g. <c>rules/: 3 files: 2 Sigma rules loaded, 1 skipped (1 other log source)</c>.</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (SigmaRules > 0 || Skipped.Count > 0 || FileRules == 0)
        {
            parts.Add(Count(SigmaRules, "Sigma rule") + " loaded");
        }

        if (FileRules > 0)
        {
            parts.Add(Count(FileRules, "rule") + " from rules files");
        }

        if (SeverityOverrides > 0)
        {
            parts.Add(Count(SeverityOverrides, "severity override"));
        }

        if (Disabled > 0)
        {
            parts.Add(Count(Disabled, "rule") + " disabled");
        }

        if (Skipped.Count > 0)
        {
            var reasons = Skipped.GroupBy(s => s.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Describe(g.Key)}");
            parts.Add($"{Skipped.Count} skipped ({string.Join(", ", reasons)})");
        }

        if (Errors.Count > 0)
        {
            parts.Add(Count(Errors.Count, "error"));
        }

        return $"{Source}: {Count(Files, "file")}: {string.Join(", ", parts)}";
    }

    /// <summary>The name of a skip reason in reports, e.g. <c>other log source</c>.</summary>
    public static string Describe(SigmaSkipReason reason) => reason switch
    {
        SigmaSkipReason.OtherLogSource => "other log source",
        SigmaSkipReason.Deprecated => "deprecated",
        SigmaSkipReason.Correlation => "correlation",
        _ => "filter",
    };

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? string.Empty : "s")}");
}
