using System.Text;

namespace TrailResponder.Core.Patterns;

/// <summary>A filter-pattern string value where <c>*</c> matches any run of characters, matched on UTF-8 bytes.</summary>
/// <remarks>
/// Only '*' is special, so matching UTF-8 bytes gives the same answer as matching characters, and no string is
/// decoded on the hot path.
/// </remarks>
internal sealed class GlobPattern
{
    private readonly byte[] _exact;
    private readonly byte[][] _parts;
    private readonly bool _hasWildcard;
    private readonly int _minimumLength;

    public GlobPattern(string text)
    {
        _exact = Encoding.UTF8.GetBytes(text);
        _hasWildcard = text.Contains('*', StringComparison.Ordinal);
        _parts = text.Split('*').Select(Encoding.UTF8.GetBytes).ToArray();
        _minimumLength = _parts.Sum(p => p.Length);
    }

    public bool IsMatch(ReadOnlySpan<byte> value)
    {
        if (!_hasWildcard)
        {
            return value.SequenceEqual(_exact);
        }

        if (value.Length < _minimumLength || !value.StartsWith(_parts[0]) || !value.EndsWith(_parts[^1]))
        {
            return false;
        }

        // Prefix and suffix are fixed; each middle part is taken at its leftmost place, which is optimal for '*'.
        var rest = value[_parts[0].Length..^_parts[^1].Length];
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var at = rest.IndexOf(_parts[i]);
            if (at < 0)
            {
                return false;
            }

            rest = rest[(at + _parts[i].Length)..];
        }

        return true;
    }
}
