using TrailResponder.Core.Json;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.Rules;

/// <summary>A set of rules compiled together: one field layout for all their selectors, each pattern bound to it.</summary>
/// <remarks>Immutable and shared across threads; each thread evaluates through its own <see cref="RuleEvaluator"/>.</remarks>
public sealed class RuleSet
{
    private readonly CompiledCondition[] _conditions;

    /// <summary>Compiles the rules; ids must be unique.</summary>
    public RuleSet(IEnumerable<DetectionRule> rules)
    {
        Rules = rules.ToArray();
        var duplicate = Rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The rule id {duplicate.Key} is used more than once.", nameof(rules));
        }

        Layout = new FieldLayout(Rules.SelectMany(r => r.Pattern.Selectors));
        _conditions = Rules.Select(r => r.Pattern.Compile(Layout)).ToArray();
    }

    /// <summary>The built-in rules.</summary>
    public static RuleSet BuiltIn { get; } = new(BuiltInRules.All);

    /// <summary>The rules, in evaluation order.</summary>
    public IReadOnlyList<DetectionRule> Rules { get; }

    /// <summary>The layout holding every selector of every rule.</summary>
    public FieldLayout Layout { get; }

    /// <summary>An evaluator for one thread.</summary>
    public RuleEvaluator CreateEvaluator() => new(this, _conditions);
}

/// <summary>Evaluates a <see cref="RuleSet"/> against records, reusing one slot buffer: use one per thread.</summary>
public sealed class RuleEvaluator
{
    private readonly RuleSet _ruleSet;
    private readonly CompiledCondition[] _conditions;
    private readonly JsonSlot[] _slots;

    internal RuleEvaluator(RuleSet ruleSet, CompiledCondition[] conditions)
    {
        _ruleSet = ruleSet;
        _conditions = conditions;
        _slots = new JsonSlot[ruleSet.Layout.SlotCount];
    }

    /// <summary>The rules the record matches, in rule order; empty for most records.</summary>
    public IReadOnlyList<DetectionRule> Match(CloudTrailRecord record) => Match(record.Json.Span);

    /// <summary>The rules a JSON record matches; one pass over its bytes serves every rule.</summary>
    public IReadOnlyList<DetectionRule> Match(ReadOnlySpan<byte> record)
    {
        _ruleSet.Layout.Extract(record, _slots);
        List<DetectionRule>? matches = null;
        for (var i = 0; i < _conditions.Length; i++)
        {
            if (_conditions[i].Evaluate(record, _slots))
            {
                (matches ??= []).Add(_ruleSet.Rules[i]);
            }
        }

        return matches is null ? [] : matches;
    }
}
