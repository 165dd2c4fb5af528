using TrailResponder.Core.Json;

namespace TrailResponder.Core.Patterns;

/// <summary>A node of a parsed filter pattern.</summary>
public abstract record PatternExpression;

/// <summary><c>a || b || ...</c>: true when any term is.</summary>
public sealed record AnyOf(IReadOnlyList<PatternExpression> Terms) : PatternExpression;

/// <summary><c>a &amp;&amp; b &amp;&amp; ...</c>: true when every term is.</summary>
public sealed record AllOf(IReadOnlyList<PatternExpression> Terms) : PatternExpression;

/// <summary>The comparison operators of filter patterns.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
}

/// <summary><c>$.selector op value</c></summary>
public sealed record Comparison(FieldPath Selector, ComparisonOperator Operator, PatternValue Value) : PatternExpression;

/// <summary>The keyword tests on a selector.</summary>
public enum KeywordTest
{
    /// <summary><c>IS NULL</c>: present with value null.</summary>
    IsNull,

    /// <summary><c>IS TRUE</c>: the JSON boolean true.</summary>
    IsTrue,

    /// <summary><c>IS FALSE</c>: the JSON boolean false.</summary>
    IsFalse,

    /// <summary><c>NOT EXISTS</c>: the member is absent.</summary>
    NotExists,
}

/// <summary><c>$.selector IS NULL</c>, <c>IS TRUE</c>, <c>IS FALSE</c> or <c>NOT EXISTS</c>.</summary>
public sealed record KeywordCondition(FieldPath Selector, KeywordTest Test) : PatternExpression;

/// <summary>The right-hand side of a comparison.</summary>
/// <param name="Text">The value as written, without quotes or percent signs, escapes resolved.</param>
/// <param name="IsQuoted">Written in double quotes: a string, never a number.</param>
/// <param name="Number">The numeric value of an unquoted numeric token; null otherwise.</param>
/// <param name="Regex">The compiled regex of a <c>%...%</c> value; null otherwise.</param>
public sealed record PatternValue(string Text, bool IsQuoted, double? Number, FilterRegex? Regex)
{
    /// <summary>A value of just <c>*</c> (quoted or not): matches any present non-null scalar.</summary>
    public bool IsWildcardOnly => Regex is null && Text == "*";
}
