using TrailResponder.Core.Json;
using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.Rules;

/// <summary>A rule written as a CloudWatch Logs JSON filter pattern.</summary>
public sealed class FilterPatternLogic(FilterPattern pattern) : RuleLogic
{
    /// <summary>The pattern.</summary>
    public FilterPattern Pattern => pattern;

    /// <inheritdoc/>
    public override string Language => "filter-pattern";

    /// <inheritdoc/>
    public override IReadOnlyList<FieldPath> Fields => pattern.Selectors;

    /// <inheritdoc/>
    public override IReadOnlyList<string> FieldNames => pattern.Selectors.Select(s => s.Text[2..]).ToArray();

    /// <inheritdoc/>
    public override IReadOnlyList<RuleKey>? Requirement => RequirementOf(pattern.Expression);

    /// <inheritdoc/>
    public override RecordTest Compile(FieldLayout layout) => new PatternTest(pattern.Compile(layout));

    /// <inheritdoc/>
    public override string ToString() => pattern.Text;

    // A comparison or IS test is false on a missing selector, so each needs its selector present; '=' with a plain
    // string (no wildcard, not a number, which would also compare numerically) needs exactly that text.
    private static IReadOnlyList<RuleKey>? RequirementOf(PatternExpression expression) => expression switch
    {
        AnyOf any => RuleRequirements.Or(any.Terms.Select(RequirementOf)),
        AllOf all => RuleRequirements.And(all.Terms.Select(RequirementOf)),
        Comparison { Operator: ComparisonOperator.Equal, Value: { Regex: null, Number: null } value } c when !value.Text.Contains('*', StringComparison.Ordinal)
            => RuleRequirements.Of(RuleKey.Equal(c.Selector, value.Text)),
        Comparison c => RuleRequirements.Of(RuleKey.Present(c.Selector)),
        KeywordCondition { Test: not KeywordTest.NotExists } k => RuleRequirements.Of(RuleKey.Present(k.Selector)),
        _ => null,
    };

    private sealed class PatternTest(CompiledCondition condition) : RecordTest
    {
        public override bool Matches(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots) => condition.Evaluate(record, slots);
    }
}
