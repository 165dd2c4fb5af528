using System.Text.RegularExpressions;

namespace TrailResponder.Core.Sigma;

/// <summary>Compiles <c>re</c> values: once per rule, bounded in size, matched without backtracking.</summary>
internal static class SigmaRegex
{
    /// <summary>The matcher for one pattern with the <c>i</c>, <c>m</c>, <c>s</c> sub-modifiers among <paramref name="modifiers"/>.</summary>
    public static RegexMatcher Compile(string pattern, string[] modifiers, Func<string, SigmaRuleException> error)
    {
        if (pattern.Length > SigmaLimits.MaxRegexLength)
        {
            throw error($"the regular expression is longer than {SigmaLimits.MaxRegexLength:N0} characters");
        }

        // NonBacktracking runs in time linear in the text, whatever the pattern: no rule can stall a scan.
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        if (modifiers.Contains("i"))
        {
            options |= RegexOptions.IgnoreCase;
        }

        if (modifiers.Contains("m"))
        {
            options |= RegexOptions.Multiline;
        }

        if (modifiers.Contains("s"))
        {
            options |= RegexOptions.Singleline;
        }

        try
        {
            return new RegexMatcher(new Regex(pattern, options), $"'{pattern}'");
        }
        catch (NotSupportedException e)
        {
            // Backreferences, lookarounds, atomic groups and the like need backtracking; Sigma's flavour has none of them.
            throw error($"the regular expression '{pattern}' uses a construct that needs backtracking, which is not supported: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw error($"'{pattern}' is not a valid regular expression: {e.Message}");
        }
    }
}
