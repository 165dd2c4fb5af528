using TrailResponder.Core.Json;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Sigma;

/// <summary>A Sigma rule's <c>detection</c>: its search identifiers and the condition over them.</summary>
public sealed class SigmaDetection : RuleLogic
{
    private readonly IReadOnlyList<IdentifierNode> _identifiers;
    private readonly SigmaNode _condition;
    private readonly SigmaField[] _fields;

    internal SigmaDetection(IReadOnlyList<IdentifierNode> identifiers, SigmaNode condition, string conditionText)
    {
        _identifiers = identifiers;
        _condition = condition;
        ConditionText = conditionText;
        _fields = identifiers.SelectMany(i => i.Fields).DistinctBy(f => f.Name).ToArray();
        Fields = _fields.SelectMany(f => f.Prefixes).Distinct().ToArray();
        FieldNames = _fields.Select(f => f.Name).ToArray();
    }

    /// <inheritdoc/>
    public override string Language => "sigma";

    /// <summary>The condition as written (several are joined with <c>or</c>).</summary>
    public string ConditionText { get; }

    /// <summary>The names of the search identifiers, in the order the rule writes them.</summary>
    public IReadOnlyList<string> Identifiers => _identifiers.Select(i => i.Name).ToArray();

    /// <inheritdoc/>
    public override IReadOnlyList<FieldPath> Fields { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> FieldNames { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<RuleKey>? Requirement => _condition.Requirement;

    /// <inheritdoc/>
    public override RecordTest Compile(FieldLayout layout) => new SigmaTest(_condition.Bind(layout));

    /// <summary>Evaluates the detection on one record with its own layout (convenient, not the fast path: see RuleSet).</summary>
    public bool Matches(ReadOnlySpan<byte> record) => Explain(record).Matched;

    /// <summary>Whether the record matches, which identifiers held, and what decided each.</summary>
    /// <exception cref="System.Text.Json.JsonException">The bytes are not one JSON object.</exception>
    public SigmaExplanation Explain(ReadOnlySpan<byte> record)
    {
        var layout = new FieldLayout(Fields.Count > 0 ? Fields : [FieldPath.Of("eventName")]);
        var slots = new JsonSlot[layout.SlotCount];
        layout.Extract(record, slots);
        var view = new SigmaRecord(record, slots);
        var identifiers = new List<SigmaIdentifierResult>();
        foreach (var identifier in _identifiers)
        {
            var bound = identifier.Body.Bind(layout);
            identifiers.Add(new SigmaIdentifierResult(identifier.Name, bound.Evaluate(view), bound.Explain(view)));
        }

        return new SigmaExplanation(_condition.Bind(layout).Evaluate(view), ConditionText, identifiers);
    }

    private sealed class SigmaTest(SigmaNode condition) : RecordTest
    {
        public override bool Matches(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots) => condition.Evaluate(new SigmaRecord(record, slots));
    }
}

/// <summary>How a Sigma detection came out on one record.</summary>
/// <param name="Matched">Whether the condition held.</param>
/// <param name="Condition">The condition as written.</param>
/// <param name="Identifiers">Each search identifier: whether it held and the entry or alternative that decided it.</param>
public sealed record SigmaExplanation(bool Matched, string Condition, IReadOnlyList<SigmaIdentifierResult> Identifiers);

/// <summary>One search identifier on one record.</summary>
/// <param name="Name">The identifier.</param>
/// <param name="Held">Whether its body held.</param>
/// <param name="Decided">What decided it, e.g. <c>did not hold: eventName: 'StopLogging'</c>.</param>
public sealed record SigmaIdentifierResult(string Name, bool Held, string Decided);
