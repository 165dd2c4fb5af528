using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrailResponder.Core.Json;

namespace TrailResponder.Core.Sigma;

/// <summary>One listed value of a Sigma entry, compiled: decides whether one scalar of the record holds for it.</summary>
internal abstract class SigmaMatcher
{
    /// <summary>Whether the value holds where the field is missing (only <c>null</c> does).</summary>
    public virtual bool MatchesMissing => false;

    /// <summary>The exact text a record's field must have for this value to hold, when there is one (an index key).</summary>
    public virtual string? IndexLiteral => null;

    /// <summary>Other fields the value reads (<c>fieldref</c>).</summary>
    public virtual IEnumerable<SigmaField> Fields => [];

    /// <summary>Whether the scalar holds for this value.</summary>
    public abstract bool Matches(SigmaValue value, SigmaRecord record);

    /// <summary>This value bound to a layout (only values that read other fields need it).</summary>
    public virtual SigmaMatcher Bind(FieldLayout layout) => this;

    /// <summary>The value as the rule writes it.</summary>
    public abstract override string ToString();

    /// <summary>Parses the text of a number: a JSON number's bytes, or a string's text (<c>"22"</c> counts as 22).</summary>
    protected static bool TryGetNumber(SigmaValue value, out double number)
    {
        number = 0;
        return value.Kind switch
        {
            JsonValueKind.Number => double.TryParse(value.Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            JsonValueKind.String => double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number),
            _ => false,
        };
    }
}

/// <summary>A string value with wildcards (possibly several alternatives, from <c>base64offset</c> or <c>expand</c>).</summary>
internal sealed class GlobMatcher(IReadOnlyList<SigmaGlob> globs, string written) : SigmaMatcher
{
    private readonly SigmaGlob[] _alternatives = [.. globs];

    public override string? IndexLiteral => _alternatives.Length == 1 ? _alternatives[0].Literal : null;

    public override bool Matches(SigmaValue value, SigmaRecord record)
    {
        if (value.IsNull)
        {
            return false;
        }

        foreach (var glob in _alternatives)
        {
            if (glob.IsMatch(value.Text))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => written;
}

/// <summary>A number written without quotes: equal to a JSON number by value, to any other scalar by text.</summary>
internal sealed class NumberMatcher(double number, string text) : SigmaMatcher
{
    public override bool Matches(SigmaValue value, SigmaRecord record) => value.Kind switch
    {
        JsonValueKind.Number => double.TryParse(value.Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual) && actual == number,
        JsonValueKind.Null => false,
        _ => value.Text.Equals(text, StringComparison.OrdinalIgnoreCase),
    };

    public override string ToString() => text;
}

/// <summary><c>null</c>: holds where the field is missing or JSON null.</summary>
internal sealed class NullMatcher : SigmaMatcher
{
    public static NullMatcher Instance { get; } = new();

    public override bool MatchesMissing => true;

    public override bool Matches(SigmaValue value, SigmaRecord record) => value.IsNull;

    public override string ToString() => "null";
}

/// <summary><c>re</c>: a regular expression searched in the scalar's text, evaluated without backtracking.</summary>
internal sealed class RegexMatcher(RegexMatcher.Test isMatch, string written) : SigmaMatcher
{
    /// <summary>Whether the regex matches anywhere in the text.</summary>
    public delegate bool Test(ReadOnlySpan<char> text);

    public override bool Matches(SigmaValue value, SigmaRecord record) => !value.IsNull && isMatch(value.Text);

    public override string ToString() => written;
}

/// <summary><c>cidr</c>: the scalar is an IP address inside the network.</summary>
internal sealed class CidrMatcher(SigmaCidr network) : SigmaMatcher
{
    public override bool Matches(SigmaValue value, SigmaRecord record) => value.Kind == JsonValueKind.String && network.Contains(value.Text);

    public override string ToString() => network.ToString();
}

/// <summary><c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c>: numeric comparison; a non-numeric scalar holds for none.</summary>
internal sealed class ComparisonMatcher(string modifier, double bound) : SigmaMatcher
{
    public override bool Matches(SigmaValue value, SigmaRecord record) => TryGetNumber(value, out var actual) && modifier switch
    {
        "gt" => actual > bound,
        "gte" => actual >= bound,
        "lt" => actual < bound,
        _ => actual <= bound,
    };

    public override string ToString() => bound.ToString(CultureInfo.InvariantCulture);
}

/// <summary><c>fieldref</c>: the scalar equals (as text, case-sensitive) some scalar of another field.</summary>
internal sealed class FieldRefMatcher(SigmaField other, SigmaFieldAccess? access = null) : SigmaMatcher
{
    public override IEnumerable<SigmaField> Fields => [other];

    public override SigmaMatcher Bind(FieldLayout layout) => new FieldRefMatcher(other, other.Bind(layout));

    public override bool Matches(SigmaValue value, SigmaRecord record)
    {
        if (value.IsNull)
        {
            return false;
        }

        var equal = new EqualTextVisitor(value.Text);
        return access!.Any(record, ref equal);
    }

    public override string ToString() => other.Name;

    private readonly ref struct EqualTextVisitor(ReadOnlySpan<char> text) : ISigmaVisitor
    {
        private readonly ReadOnlySpan<char> _text = text;

        public bool Missing() => false;

        public bool Present() => false;

        public bool Leaf(scoped SigmaLeaf leaf)
        {
            if (leaf.Kind == JsonValueKind.Null)
            {
                return false;
            }

            char[]? rented = null;
            var chars = leaf.Raw.Length <= 256 ? stackalloc char[leaf.Raw.Length] : (rented = ArrayPool<char>.Shared.Rent(leaf.Raw.Length));
            try
            {
                return chars[..leaf.WriteText(chars)].SequenceEqual(_text);
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
}
