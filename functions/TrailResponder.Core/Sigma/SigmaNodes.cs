using TrailResponder.Core.Json;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Sigma;

/// <summary>A node of a Sigma detection: an entry, a search identifier's body, or a piece of the condition.</summary>
/// <remarks>Parsed nodes read fields by name; <see cref="Bind"/> gives the copy that reads a rule set's slots.</remarks>
internal abstract class SigmaNode
{
    /// <summary>Whether the record satisfies the node.</summary>
    public abstract bool Evaluate(SigmaRecord record);

    /// <summary>What a record needs for the node to be able to hold (see <see cref="RuleKey"/>).</summary>
    public abstract IReadOnlyList<RuleKey>? Requirement { get; }

    /// <summary>Every field the node reads.</summary>
    public abstract IEnumerable<SigmaField> Fields { get; }

    /// <summary>The node bound to a layout holding all of its fields.</summary>
    public abstract SigmaNode Bind(FieldLayout layout);

    /// <summary>Why the node came out as it did on this record, for <c>rules test</c>.</summary>
    public abstract string Explain(SigmaRecord record);
}

/// <summary>Every child must hold: a map's entries, <c>and</c>, <c>all of</c>.</summary>
internal sealed class AllNode(IReadOnlyList<SigmaNode> nodes) : SigmaNode
{
    // An array, not the list: a foreach over an interface would allocate an enumerator per record.
    private readonly SigmaNode[] _children = [.. nodes];

    public override IReadOnlyList<RuleKey>? Requirement => RuleRequirements.And(_children.Select(c => c.Requirement));

    public override IEnumerable<SigmaField> Fields => _children.SelectMany(c => c.Fields);

    public override bool Evaluate(SigmaRecord record)
    {
        foreach (var child in _children)
        {
            if (!child.Evaluate(record))
            {
                return false;
            }
        }

        return true;
    }

    public override SigmaNode Bind(FieldLayout layout) => new AllNode(_children.Select(c => c.Bind(layout)).ToArray());

    public override string Explain(SigmaRecord record)
    {
        foreach (var child in _children)
        {
            if (!child.Evaluate(record))
            {
                return $"did not hold: {child.Explain(record)}";
            }
        }

        return _children.Length == 1 ? $"held: {_children[0].Explain(record)}" : $"all {_children.Length} held";
    }
}

/// <summary>At least <c>count</c> children must hold: a list of maps (1), <c>or</c> (1), <c>N of</c>.</summary>
internal sealed class AtLeastNode(int count, IReadOnlyList<SigmaNode> nodes) : SigmaNode
{
    private readonly SigmaNode[] _children = [.. nodes];

    public override IReadOnlyList<RuleKey>? Requirement => count >= _children.Length
        ? RuleRequirements.And(_children.Select(c => c.Requirement))
        : RuleRequirements.Or(_children.Select(c => c.Requirement));

    public override IEnumerable<SigmaField> Fields => _children.SelectMany(c => c.Fields);

    public override bool Evaluate(SigmaRecord record)
    {
        var held = 0;
        for (var i = 0; i < _children.Length; i++)
        {
            // Stop as soon as the count is reached, or can no longer be.
            if (_children[i].Evaluate(record) && ++held >= count)
            {
                return true;
            }

            if (held + (_children.Length - i - 1) < count)
            {
                return false;
            }
        }

        return false;
    }

    public override SigmaNode Bind(FieldLayout layout) => new AtLeastNode(count, _children.Select(c => c.Bind(layout)).ToArray());

    public override string Explain(SigmaRecord record)
    {
        var held = 0;
        string? first = null;
        foreach (var child in _children)
        {
            if (child.Evaluate(record))
            {
                held++;
                first ??= child.Explain(record);
            }
        }

        return held == 0 ? "none held" : count == 1 ? $"held: {first}" : $"{held} of {_children.Length} held (needs {count})";
    }
}

/// <summary><c>not</c>.</summary>
internal sealed class NotNode(SigmaNode child) : SigmaNode
{
    public override IReadOnlyList<RuleKey>? Requirement => null;

    public override IEnumerable<SigmaField> Fields => child.Fields;

    public override bool Evaluate(SigmaRecord record) => !child.Evaluate(record);

    public override SigmaNode Bind(FieldLayout layout) => new NotNode(child.Bind(layout));

    public override string Explain(SigmaRecord record) => $"not ({child.Explain(record)})";
}

/// <summary>A search identifier used in the condition: evaluates its body, and names it in explanations.</summary>
internal sealed class IdentifierNode(string name, SigmaNode body) : SigmaNode
{
    public string Name => name;

    public SigmaNode Body => body;

    public override IReadOnlyList<RuleKey>? Requirement => body.Requirement;

    public override IEnumerable<SigmaField> Fields => body.Fields;

    public override bool Evaluate(SigmaRecord record) => body.Evaluate(record);

    public override SigmaNode Bind(FieldLayout layout) => new IdentifierNode(name, body.Bind(layout));

    public override string Explain(SigmaRecord record) => name;
}
