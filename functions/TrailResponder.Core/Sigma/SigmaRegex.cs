using System.Globalization;
using System.Text.RegularExpressions;
using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.Sigma;

/// <summary>Compiles <c>re</c> values: once per rule, bounded in size and in the time a value can cost.</summary>
internal static partial class SigmaRegex
{
    /// <summary>The matcher for one pattern with the <c>i</c>, <c>m</c>, <c>s</c> sub-modifiers among <paramref name="modifiers"/>.</summary>
    public static RegexMatcher Compile(string pattern, string[] modifiers, Func<string, SigmaRuleException> error)
    {
        if (pattern.Length > SigmaLimits.MaxRegexLength)
        {
            throw error($"the regular expression is longer than {SigmaLimits.MaxRegexLength:N0} characters");
        }

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

        Regex regex;
        try
        {
            regex = new Regex(pattern, options);
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

        // Most rules' regexes have no groups and no options: they run on the filter patterns' bounded automaton, whose
        // cost per character is fixed at load, and a pattern too large for it is refused. NonBacktracking, used for
        // the rest, falls far below that speed on large counted repetitions, so those are refused there.
        if (options == (RegexOptions.NonBacktracking | RegexOptions.CultureInvariant) && !HasGroup(pattern))
        {
            try
            {
                var bounded = FilterRegex.Compile(pattern);
                return new RegexMatcher(bounded.IsMatch, $"'{pattern}'");
            }
            catch (FilterRegexException e)
            {
                throw error($"the regular expression '{pattern}' is refused at character {e.Offset + 1}: {e.Problem}");
            }
        }

        if (LargestRepetition(pattern) is var (count, offset) && count > SigmaLimits.MaxRepetitionOutsideAutomaton)
        {
            throw error(string.Create(
                CultureInfo.InvariantCulture,
                $"the regular expression '{pattern}' is refused at character {offset + 1}: the repetition count {count} is above the limit of {SigmaLimits.MaxRepetitionOutsideAutomaton} for a regular expression with groups or options"));
        }

        return new RegexMatcher(text => regex.IsMatch(text), $"'{pattern}'");
    }

    // An unescaped '(' outside a [...] set: the bounded automaton has no groups.
    private static bool HasGroup(string pattern)
    {
        var inSet = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[' when !inSet:
                    inSet = true;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        i++;
                    }

                    break;
                case ']' when inSet:
                    inSet = false;
                    break;
                case '(' when !inSet:
                    return true;
            }
        }

        return false;
    }

    // The largest n of a {n}, {n,} or {n,m} quantifier (m counted too), and where its '{' stands.
    private static (long Count, int Offset) LargestRepetition(string pattern)
    {
        (long Count, int Offset) largest = (0, 0);
        foreach (Match match in Quantifier().Matches(pattern))
        {
            foreach (var group in new[] { match.Groups[1], match.Groups[2] })
            {
                if (group.Success && long.TryParse(group.ValueSpan[..Math.Min(group.Length, 12)], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > largest.Count)
                {
                    largest = (n, match.Index);
                }
            }
        }

        return largest;
    }

    [GeneratedRegex(@"(?<!\\)\{([0-9]+)(?:,([0-9]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Quantifier();
}
