using System.Text;

namespace TrailResponder.Core.Sigma;

/// <summary>
/// A Sigma string value: <c>*</c> any run of characters, <c>?</c> exactly one, the rest literal; compared ignoring
/// case (ordinal, invariant) unless cased.
/// </summary>
/// <remarks>
/// The value is split at its stars into parts of fixed length. The first part must start the text and the last end
/// it; each part between is taken at its leftmost place, which is optimal when the parts are separated by stars. So
/// a match costs at most the text's length times the pattern's, with no backtracking.
/// </remarks>
internal sealed class SigmaGlob
{
    /// <summary>A dash of any of the five kinds <c>windash</c> makes interchangeable.</summary>
    internal const char AnyDash = '\uE000';

    /// <summary>Exactly one character (<c>?</c>).</summary>
    internal const char AnyChar = '\uE001';

    private const string Dashes = "-/\u2013\u2014\u2015";

    private readonly Part[] _parts;
    private readonly bool _hasStar;
    private readonly int _minimumLength;
    private readonly StringComparison _comparison;

    private SigmaGlob(List<string> parts, bool hasStar, bool cased, string text)
    {
        _parts = parts.Select(p => new Part(p)).ToArray();
        _hasStar = hasStar;
        _minimumLength = parts.Sum(p => p.Length);
        _comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        Text = text;
    }

    /// <summary>The value as written in the rule (for explanations).</summary>
    public string Text { get; }

    /// <summary>The exact text the value matches when it has no wildcard; null otherwise (used as an index key).</summary>
    public string? Literal => !_hasStar && !_parts[0].HasSpecial ? _parts[0].Text : null;

    /// <summary>Whether the value has a wildcard (<c>*</c> or <c>?</c>) that is not escaped.</summary>
    public static bool HasWildcard(string value) => Tokens(value).Any(t => t is '*' or '?');

    /// <summary>Resolves escapes (<c>\*</c>, <c>\?</c>, <c>\\</c>) into the literal text; call only when <see cref="HasWildcard"/> is false.</summary>
    public static string Unescape(string value) => string.Concat(Tokens(value).Select(t => t < 0 ? ((char)-t).ToString() : ((char)t).ToString()));

    /// <summary>Compiles a value: its wildcards, escapes and implied stars.</summary>
    /// <param name="value">The value as written.</param>
    /// <param name="leadingStar">Match anywhere before (<c>contains</c>, <c>endswith</c>).</param>
    /// <param name="trailingStar">Match anywhere after (<c>contains</c>, <c>startswith</c>).</param>
    /// <param name="cased">Compare case-sensitively.</param>
    /// <param name="windash">Treat the five dash characters as one class.</param>
    /// <param name="literal">The value has no wildcards (it is the output of an encoding).</param>
    public static SigmaGlob Compile(string value, bool leadingStar, bool trailingStar, bool cased, bool windash, bool literal = false)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var hasStar = leadingStar;
        if (leadingStar)
        {
            parts.Add(string.Empty);
        }

        foreach (var token in literal ? value.Select(c => -(int)c) : Tokens(value))
        {
            var c = (char)Math.Abs(token);
            if (token == '*')
            {
                parts.Add(current.ToString());
                current.Clear();
                hasStar = true;
            }
            else if (token == '?')
            {
                current.Append(AnyChar);
            }
            else
            {
                current.Append(windash && Dashes.Contains(c, StringComparison.Ordinal) ? AnyDash : c);
            }
        }

        parts.Add(current.ToString());
        if (trailingStar)
        {
            parts.Add(string.Empty);
            hasStar = true;
        }

        // Consecutive stars leave empty parts between them; keep only the first and last part.
        var kept = parts.Count <= 2 ? parts : [parts[0], .. parts.Skip(1).SkipLast(1).Where(p => p.Length > 0), parts[^1]];
        return new SigmaGlob(kept, hasStar, cased, value);
    }

    /// <summary>Whether the text matches.</summary>
    public bool IsMatch(ReadOnlySpan<char> text)
    {
        if (!_hasStar)
        {
            return text.Length == _minimumLength && _parts[0].MatchesAt(text, 0, _comparison);
        }

        var first = _parts[0];
        var last = _parts[^1];
        if (text.Length < _minimumLength || !first.MatchesAt(text, 0, _comparison) || !last.MatchesAt(text, text.Length - last.Length, _comparison))
        {
            return false;
        }

        var position = first.Length;
        var end = text.Length - last.Length;
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var at = _parts[i].Find(text[position..end], _comparison);
            if (at < 0)
            {
                return false;
            }

            position += at + _parts[i].Length;
        }

        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    // The characters of a value: wildcards as the positive '*' and '?', every literal character (escaped or not) as
    // its negated code, so the two cannot be confused. A backslash escapes '*', '?' and '\' and is literal otherwise.
    private static IEnumerable<int> Tokens(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                yield return -value[++i];
            }
            else if (c is '*' or '?')
            {
                yield return c;
            }
            else
            {
                yield return -c;
            }
        }
    }

    /// <summary>A run of characters between stars; may hold single-character wildcards and dash classes.</summary>
    private sealed class Part(string text)
    {
        public string Text { get; } = text;

        public int Length => Text.Length;

        public bool HasSpecial { get; } = text.Contains(AnyChar, StringComparison.Ordinal) || text.Contains(AnyDash, StringComparison.Ordinal);

        public bool MatchesAt(ReadOnlySpan<char> text, int position, StringComparison comparison)
        {
            var candidate = text.Slice(position, Length);
            if (!HasSpecial)
            {
                return candidate.Equals(Text, comparison);
            }

            for (var i = 0; i < Length; i++)
            {
                if (!CharMatches(Text[i], candidate[i], comparison))
                {
                    return false;
                }
            }

            return true;
        }

        public int Find(ReadOnlySpan<char> text, StringComparison comparison)
        {
            if (!HasSpecial)
            {
                return text.IndexOf(Text, comparison);
            }

            for (var at = 0; at + Length <= text.Length; at++)
            {
                if (MatchesAt(text, at, comparison))
                {
                    return at;
                }
            }

            return -1;
        }

        private static bool CharMatches(char pattern, char actual, StringComparison comparison) => pattern switch
        {
            AnyChar => true,
            AnyDash => Dashes.Contains(actual, StringComparison.Ordinal),
            _ => pattern == actual || (comparison == StringComparison.OrdinalIgnoreCase && char.ToUpperInvariant(pattern) == char.ToUpperInvariant(actual)),
        };
    }
}
