using TrailResponder.Core.Json;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.Rules;

/// <summary>A set of rules compiled together: one field layout for all their selectors, each pattern bound to it.</summary>
/// <remarks>Immutable and shared across threads; each thread evaluates through its own <see cref="RuleEvaluator"/>.</remarks>
public sealed class RuleSet
{
    private readonly RecordTest[] _tests;
    private readonly CompiledCondition? _watch;

    /// <summary>Compiles the rules; ids must be unique.</summary>
    /// <param name="rules">The detection rules.</param>
    /// <param name="watch">
    /// Records to hand on to other code (the security-group backstop) in the same pass; they produce no findings.
    /// </param>
    public RuleSet(IEnumerable<DetectionRule> rules, FilterPattern? watch = null)
    {
        Rules = rules.ToArray();
        var duplicate = Rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The rule id {duplicate.Key} is used more than once.", nameof(rules));
        }

        Layout = new FieldLayout(Rules.SelectMany(r => r.Logic.Fields).Concat(watch?.Selectors ?? []));
        _tests = Rules.Select(r => r.Logic.Compile(Layout)).ToArray();
        Index = new RuleIndex(Rules, Layout);
        _watch = watch?.Compile(Layout);
        Watch = watch;
    }

    /// <summary>The built-in rules.</summary>
    public static RuleSet BuiltIn { get; } = new(BuiltInRules.All);

    /// <summary>The rules, in evaluation order.</summary>
    public IReadOnlyList<DetectionRule> Rules { get; }

    /// <summary>The watch pattern, if any.</summary>
    public FilterPattern? Watch { get; }

    /// <summary>The layout holding every selector of every rule.</summary>
    public FieldLayout Layout { get; }

    /// <summary>How many rules no key narrows: they are evaluated on every record.</summary>
    public int UnindexedRuleCount => Index.UnkeyedCount;

    internal RuleIndex Index { get; }

    /// <summary>The same rules with a watch pattern added.</summary>
    public RuleSet WithWatch(FilterPattern watch) => new(Rules, watch);

    /// <summary>An evaluator for one thread.</summary>
    public RuleEvaluator CreateEvaluator() => new(this, _tests, _watch);
}

/// <summary>Evaluates a <see cref="RuleSet"/> against records, reusing one slot buffer: use one per thread.</summary>
public sealed class RuleEvaluator
{
    private readonly RuleSet _ruleSet;
    private readonly RecordTest[] _tests;
    private readonly CompiledCondition? _watch;
    private readonly JsonSlot[] _slots;
    private readonly int[] _candidates;
    private readonly int[] _seen;
    private int _generation;

    internal RuleEvaluator(RuleSet ruleSet, RecordTest[] tests, CompiledCondition? watch)
    {
        _ruleSet = ruleSet;
        _tests = tests;
        _watch = watch;
        _slots = new JsonSlot[ruleSet.Layout.SlotCount];
        _candidates = new int[tests.Length];
        _seen = new int[tests.Length];
    }

    /// <summary>The rules the record matches, in rule order; empty for most records.</summary>
    public IReadOnlyList<DetectionRule> Match(CloudTrailRecord record) => Match(record.Json.Span);

    /// <summary>
    /// The rules a JSON record matches; one pass over its bytes serves every rule, and only the rules whose keys the
    /// record fits are evaluated.
    /// </summary>
    public IReadOnlyList<DetectionRule> Match(ReadOnlySpan<byte> record) => Match(record, out _);

    /// <summary>The rules a JSON record matches, and whether the rule set's watch pattern matches it too.</summary>
    public IReadOnlyList<DetectionRule> Match(ReadOnlySpan<byte> record, out bool watched)
    {
        _ruleSet.Layout.Extract(record, _slots);
        watched = _watch?.Evaluate(record, _slots) ?? false;
        List<DetectionRule>? matches = null;
        var count = _ruleSet.Index.Candidates(record, _slots, _candidates, _seen, ref _generation);
        for (var i = 0; i < count; i++)
        {
            var rule = _candidates[i];
            if (_tests[rule].Matches(record, _slots))
            {
                (matches ??= []).Add(_ruleSet.Rules[rule]);
            }
        }

        // Not 'matches is null ? [] : matches': that '[]' takes the type List<T> and allocates a list per record.
        return matches is null ? Array.Empty<DetectionRule>() : matches;
    }
}
