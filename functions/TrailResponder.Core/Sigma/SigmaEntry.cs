using System.Buffers;
using TrailResponder.Core.Json;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Sigma;

/// <summary>How an entry combines its listed values.</summary>
internal enum SigmaEntryMode
{
    /// <summary>Some scalar holds for some value (the default: a list is an OR).</summary>
    Any,

    /// <summary><c>all</c>: every value holds, each on some scalar.</summary>
    All,

    /// <summary><c>neq</c>: some scalar is present and holds for none of the values.</summary>
    NotEqual,

    /// <summary><c>exists: true</c>.</summary>
    Exists,

    /// <summary><c>exists: false</c>.</summary>
    Missing,
}

/// <summary>One entry of a map, <c>field|modifiers: values</c>, or a keyword list (the field is the whole record).</summary>
internal sealed class SigmaEntry(SigmaField path, string written, SigmaEntryMode mode, IReadOnlyList<SigmaMatcher> values, SigmaFieldAccess? access = null)
    : SigmaNode
{
    private readonly SigmaMatcher[] _values = [.. values];

    public override IReadOnlyList<RuleKey>? Requirement
    {
        get
        {
            if (path.IsRecord || mode == SigmaEntryMode.Missing || _values.Any(v => v.MatchesMissing))
            {
                return null;
            }

            // A missing top-level member leaves the entry nothing to hold on. Exact texts are keys only for a top-level
            // member: deeper, an array on the way could hold the value where the layout's slot has none.
            var top = path.Prefixes[0];
            if (path.Steps.Count == 1 && mode == SigmaEntryMode.Any && _values.All(v => v.IndexLiteral is not null))
            {
                return RuleRequirements.AnyOf(_values.Select(v => RuleKey.Equal(top, v.IndexLiteral!)));
            }

            if (path.Steps.Count == 1 && mode == SigmaEntryMode.All && _values.FirstOrDefault(v => v.IndexLiteral is not null) is { } exact)
            {
                return RuleRequirements.Of(RuleKey.Equal(top, exact.IndexLiteral!));
            }

            return RuleRequirements.Of(RuleKey.Present(top));
        }
    }

    public override IEnumerable<SigmaField> Fields => _values.SelectMany(v => v.Fields).Prepend(path);

    public override SigmaNode Bind(FieldLayout layout) =>
        new SigmaEntry(path, written, mode, _values.Select(v => v.Bind(layout)).ToArray(), path.Bind(layout));

    public override bool Evaluate(SigmaRecord record)
    {
        switch (mode)
        {
            case SigmaEntryMode.All:
                for (var i = 0; i < _values.Length; i++)
                {
                    var one = new MatchVisitor(record, _values.AsSpan(i, 1), negate: false);
                    if (!access!.Any(record, ref one))
                    {
                        return false;
                    }
                }

                return true;
            case SigmaEntryMode.Exists or SigmaEntryMode.Missing:
                var presence = new PresenceVisitor(mode == SigmaEntryMode.Exists);
                return access!.Any(record, ref presence);
            default:
                var any = new MatchVisitor(record, _values, negate: mode == SigmaEntryMode.NotEqual);
                return access!.Any(record, ref any);
        }
    }

    public override string Explain(SigmaRecord record) => written;

    /// <summary>Tests each scalar against the values; with <c>negate</c>, a scalar holds when no value does (neq).</summary>
    private readonly ref struct MatchVisitor(SigmaRecord record, ReadOnlySpan<SigmaMatcher> values, bool negate) : ISigmaVisitor
    {
        private readonly SigmaRecord _record = record;
        private readonly ReadOnlySpan<SigmaMatcher> _values = values;

        public bool Missing()
        {
            if (negate)
            {
                return false;
            }

            foreach (var value in _values)
            {
                if (value.MatchesMissing)
                {
                    return true;
                }
            }

            return false;
        }

        public bool Present() => false;

        public bool Leaf(scoped SigmaLeaf leaf)
        {
            char[]? rented = null;
            var chars = leaf.Raw.Length <= 256 ? stackalloc char[leaf.Raw.Length] : (rented = ArrayPool<char>.Shared.Rent(leaf.Raw.Length));
            try
            {
                var scalar = new SigmaValue(leaf.Kind, leaf.Raw, chars[..leaf.WriteText(chars)]);
                foreach (var value in _values)
                {
                    if (value.Matches(scalar, _record))
                    {
                        return !negate;
                    }
                }

                return negate;
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }
    }

    private readonly ref struct PresenceVisitor(bool present) : ISigmaVisitor
    {
        public bool Missing() => !present;

        public bool Present() => present;

        public bool Leaf(scoped SigmaLeaf leaf) => false;
    }
}
