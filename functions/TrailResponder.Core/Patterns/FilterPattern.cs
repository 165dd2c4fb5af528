using TrailResponder.Core.Json;

namespace TrailResponder.Core.Patterns;

/// <summary>A parsed CloudWatch Logs JSON filter pattern, e.g. <c>{ ($.errorCode = "*UnauthorizedOperation") }</c>.</summary>
public sealed class FilterPattern
{
    /// <summary>Deepest nesting of parentheses: parsing, compiling and evaluating recurse once per level.</summary>
    public const int MaxNesting = 100;

    private readonly FieldLayout _ownLayout;
    private readonly CompiledCondition _ownCondition;

    private FilterPattern(string text, PatternExpression expression)
    {
        Text = text;
        Expression = expression;
        Selectors = CollectSelectors(expression).Distinct().ToArray();
        Regexes = CollectRegexes(expression).ToArray();
        _ownLayout = new FieldLayout(Selectors);
        _ownCondition = Compile(_ownLayout);
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The parsed expression.</summary>
    public PatternExpression Expression { get; }

    /// <summary>The pattern's <c>%regex%</c> values, in order (CloudWatch accepts at most two per metric filter).</summary>
    public IReadOnlyList<FilterRegex> Regexes { get; }

    /// <summary>Every field path the pattern reads.</summary>
    public IReadOnlyList<FieldPath> Selectors { get; }

    /// <summary>Parses a pattern.</summary>
    /// <exception cref="FilterPatternException">The pattern is malformed; the message points at the position.</exception>
    public static FilterPattern Parse(string text) => new(text, FilterPatternParser.Parse(text));

    /// <summary>Binds the pattern to a layout that contains all of its <see cref="Selectors"/>.</summary>
    public CompiledCondition Compile(FieldLayout layout) => CompiledCondition.Compile(Expression, layout);

    /// <summary>Evaluates the pattern against one JSON record (convenient, not the fast path: see RuleSet).</summary>
    public bool Matches(ReadOnlySpan<byte> record)
    {
        var slots = new JsonSlot[_ownLayout.SlotCount];
        _ownLayout.Extract(record, slots);
        return _ownCondition.Evaluate(record, slots);
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static IEnumerable<FilterRegex> CollectRegexes(PatternExpression expression) => expression switch
    {
        AnyOf any => any.Terms.SelectMany(CollectRegexes),
        AllOf all => all.Terms.SelectMany(CollectRegexes),
        Comparison { Value.Regex: { } regex } => [regex],
        _ => [],
    };

    private static IEnumerable<FieldPath> CollectSelectors(PatternExpression expression) => expression switch
    {
        AnyOf any => any.Terms.SelectMany(CollectSelectors),
        AllOf all => all.Terms.SelectMany(CollectSelectors),
        Comparison comparison => [comparison.Selector],
        KeywordCondition keyword => [keyword.Selector],
        _ => [],
    };
}
