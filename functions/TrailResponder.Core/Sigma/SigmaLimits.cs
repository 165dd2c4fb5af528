namespace TrailResponder.Core.Sigma;

/// <summary>The bounds on what a Sigma rule may ask for, so that no rule file can stall loading or scanning.</summary>
public static class SigmaLimits
{
    /// <summary>Characters in one <c>re</c> pattern.</summary>
    public const int MaxRegexLength = 2_000;

    /// <summary>
    /// Largest repetition count in an <c>re</c> pattern with groups or the i, m, s options, which runs on .NET's
    /// NonBacktracking engine instead of the bounded automaton: <c>a(a|b){20}c</c> still ran at 4.6 MB/s on random a/b
    /// text, <c>{100}</c> at 1.7 MB/s.
    /// </summary>
    public const int MaxRepetitionOutsideAutomaton = 20;

    /// <summary>Values (after <c>base64offset</c> and <c>expand</c>) in one rule's detection.</summary>
    public const int MaxValuesPerRule = 10_000;

    /// <summary>Characters in one value.</summary>
    public const int MaxValueLength = 4_096;

    /// <summary>Characters in one condition.</summary>
    public const int MaxConditionLength = 4_096;

    /// <summary>Nesting of parentheses and <c>not</c> in one condition.</summary>
    public const int MaxConditionDepth = 32;
}

/// <summary>What parsing one rule needs besides its YAML: the user's placeholder values, and the running count of values.</summary>
internal sealed class SigmaParseContext(IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
{
    private int _values;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders => placeholders;

    /// <summary>Counts values against <see cref="SigmaLimits.MaxValuesPerRule"/> (YAML aliases can repeat a list many times over).</summary>
    public void Count(int values, int line)
    {
        _values += values;
        if (_values > SigmaLimits.MaxValuesPerRule)
        {
            throw new SigmaRuleException(line, $"detection: more than {SigmaLimits.MaxValuesPerRule:N0} values in one rule");
        }
    }
}
