using System.Globalization;
using System.Text.RegularExpressions;

namespace TrailResponder.Core.Patterns;

/// <summary>Zero-width assertions a filter-pattern regex can make between two characters.</summary>
[Flags]
internal enum RegexAnchor
{
    /// <summary>No assertion.</summary>
    None = 0,

    /// <summary><c>^</c> or <c>\A</c>: at the start of the value.</summary>
    Start = 1,

    /// <summary><c>\z</c>: at the end of the value.</summary>
    End = 2,

    /// <summary><c>$</c> or <c>\Z</c>: at the end, or before a final newline.</summary>
    EndOrFinalNewline = 4,

    /// <summary><c>\b</c>: between a word and a non-word character.</summary>
    WordBoundary = 8,

    /// <summary><c>\B</c>: not at a word boundary.</summary>
    NotWordBoundary = 16,
}

/// <summary>One element of a regex alternative: an assertion, or an atom (one character's worth) with its repetition.</summary>
/// <param name="Offset">Where the element starts in the regex body.</param>
/// <param name="Atom">The atom as written (<c>a</c>, <c>.</c>, <c>\d</c>, <c>[a-z]</c>); null for an assertion.</param>
/// <param name="IsLiteral">The atom is a plain character that stands for itself.</param>
/// <param name="Anchor">The assertion; <see cref="RegexAnchor.None"/> for an atom.</param>
/// <param name="Min">Fewest repetitions.</param>
/// <param name="Max">Most repetitions; <see cref="int.MaxValue"/> for unbounded.</param>
internal readonly record struct RegexElement(int Offset, string? Atom, bool IsLiteral, RegexAnchor Anchor, int Min, int Max);

/// <summary>Splits a filter-pattern regex into alternatives of repeated atoms and assertions.</summary>
/// <remarks>
/// Filter-pattern regexes have no groups (filter-patterns.md A.6), so a regex is a top-level alternation of
/// sequences, and every quantifier applies to a single atom or assertion. The body is first checked by .NET's own
/// parser, which reports syntax errors; the tokenizing here follows .NET's parser (RegexParser.ScanRegex and
/// ScanCharClass) so that each atom's extent is the one .NET gives it.
/// </remarks>
internal static class FilterRegexParser
{
    /// <summary>Parses a regex body (without the percent signs).</summary>
    /// <exception cref="FilterRegexException">The regex is not valid, uses \G, or repeats more than <paramref name="maxRepetition"/> times.</exception>
    public static List<List<RegexElement>> Parse(string body, int maxRepetition)
    {
        CheckSyntax(body);
        var alternatives = new List<List<RegexElement>> { new() };
        var position = 0;
        while (position < body.Length)
        {
            var start = position;
            var c = body[position];
            string? atom = null;
            var literal = false;
            var anchor = RegexAnchor.None;
            switch (c)
            {
                case '|':
                    alternatives.Add([]);
                    position++;
                    continue;
                case '^':
                    anchor = RegexAnchor.Start;
                    position++;
                    break;
                case '$':
                    anchor = RegexAnchor.EndOrFinalNewline;
                    position++;
                    break;
                case '[':
                    position = ClassEnd(body, position + 1);
                    atom = body[start..position];
                    break;
                case '\\':
                    (atom, anchor, position) = Escape(body, position + 1);
                    break;
                default:
                    // '.', or a character that stands for itself (a '{' that does not start a quantifier among them).
                    atom = c.ToString();
                    literal = c != '.';
                    position++;
                    break;
            }

            var (min, max) = (1, 1);
            if (position < body.Length && IsQuantifier(body, position))
            {
                (min, max, position) = Quantifier(body, position, maxRepetition);
            }

            alternatives[^1].Add(new RegexElement(start, atom, literal, anchor, min, max));
        }

        return alternatives;
    }

    // .NET's parser decides what is valid; its message is kept, its offset turned into the offending character.
    private static void CheckSyntax(string body)
    {
        try
        {
            _ = new Regex(body, RegexOptions.CultureInvariant);
        }
        catch (RegexParseException e)
        {
            var lead = string.Create(CultureInfo.InvariantCulture, $"at offset {e.Offset}. ");
            var at = e.Message.IndexOf(lead, StringComparison.Ordinal);
            var reason = at < 0 ? e.Message : e.Message[(at + lead.Length)..];
            throw new FilterRegexException(Math.Clamp(e.Offset - 1, 0, Math.Max(0, body.Length - 1)), "invalid regex: " + reason);
        }
    }

    private static (string? Atom, RegexAnchor Anchor, int End) Escape(string body, int position)
    {
        var start = position - 1;
        switch (body[position])
        {
            case 'A':
                return (null, RegexAnchor.Start, position + 1);
            case 'z':
                return (null, RegexAnchor.End, position + 1);
            case 'Z':
                return (null, RegexAnchor.EndOrFinalNewline, position + 1);
            case 'b':
                return (null, RegexAnchor.WordBoundary, position + 1);
            case 'B':
                return (null, RegexAnchor.NotWordBoundary, position + 1);
            case 'G':
                throw new FilterRegexException(start, @"\G is not supported (use ^ to anchor at the start of the value)");
            case 'p' or 'P':
                var close = body.IndexOf('}', position);
                return (body[start..(close + 1)], RegexAnchor.None, close + 1);
            case 'w' or 'W' or 's' or 'S' or 'd' or 'D':
                return (body[start..(position + 1)], RegexAnchor.None, position + 1);
            case >= '0' and <= '7':
                // \1 to \9 alone are back-references (refused by the syntax check); \10 and longer fall back to octal.
                // Written as \uHHHH, the atom means the same code unit wherever it is evaluated (\18 is \1 then 8).
                var end = CharEscapeEnd(body, position);
                var value = Convert.ToInt32(body[position..end], 8) & 0xFF;
                return (string.Create(CultureInfo.InvariantCulture, $"\\u{value:X4}"), RegexAnchor.None, end);
            default:
                end = CharEscapeEnd(body, position);
                return (body[start..end], RegexAnchor.None, end);
        }
    }

    // RegexParser.ScanCharEscape: octal (up to three digits), \xHH, \uHHHH, \cX, or one character.
    private static int CharEscapeEnd(string body, int position)
    {
        var c = body[position];
        if (c is >= '0' and <= '7')
        {
            var end = position;
            while (end < body.Length && end - position < 3 && body[end] is >= '0' and <= '7')
            {
                end++;
            }

            return end;
        }

        return c switch
        {
            'x' => position + 3,
            'u' => position + 5,
            'c' => position + 2,
            _ => position + 1,
        };
    }

    // RegexParser.ScanCharClass, keeping only what decides where the class ends. 'position' is just after '['.
    private static int ClassEnd(string body, int position)
    {
        if (position < body.Length && body[position] == '^')
        {
            position++;
        }

        var inRange = false;
        for (var first = true; position < body.Length; first = false)
        {
            var translated = false;
            var c = body[position++];
            if (c == ']' && !first)
            {
                return position;
            }

            if (c == '\\' && position < body.Length)
            {
                var escaped = body[position];
                if (escaped is 'd' or 'D' or 's' or 'S' or 'w' or 'W')
                {
                    position++;
                    continue;
                }

                if (escaped is 'p' or 'P')
                {
                    position = body.IndexOf('}', position) + 1;
                    continue;
                }

                if (escaped == '-')
                {
                    position++;
                    inRange = false;
                    continue;
                }

                position = CharEscapeEnd(body, position);
                translated = true;
            }

            if (inRange)
            {
                inRange = false;
                if (c == '[' && !translated && !first)
                {
                    position = ClassEnd(body, position);
                }
            }
            else if (position + 1 < body.Length && body[position] == '-' && body[position + 1] != ']')
            {
                inRange = true;
                position++;
            }
            else if (position < body.Length && c == '-' && !translated && body[position] == '[' && !first)
            {
                position = ClassEnd(body, position + 1);
            }
        }

        throw new FilterRegexException(body.Length - 1, "invalid regex: unterminated [] set");
    }

    // RegexParser.IsTrueQuantifier: '*', '+', '?', or '{n}', '{n,}', '{n,m}'; any other '{' is a literal.
    private static bool IsQuantifier(string body, int position)
    {
        var c = body[position];
        if (c is '*' or '+' or '?')
        {
            return true;
        }

        if (c != '{')
        {
            return false;
        }

        var i = position + 1;
        var digits = SkipDigits(body, ref i);
        if (digits == 0 || i >= body.Length)
        {
            return false;
        }

        if (body[i] == '}')
        {
            return true;
        }

        if (body[i] != ',')
        {
            return false;
        }

        i++;
        SkipDigits(body, ref i);
        return i < body.Length && body[i] == '}';
    }

    private static (int Min, int Max, int End) Quantifier(string body, int position, int maxRepetition)
    {
        var start = position;
        int min, max;
        switch (body[position++])
        {
            case '*':
                (min, max) = (0, int.MaxValue);
                break;
            case '+':
                (min, max) = (1, int.MaxValue);
                break;
            case '?':
                (min, max) = (0, 1);
                break;
            default:
                min = max = Count(body, ref position, start, maxRepetition);
                if (body[position] == ',')
                {
                    position++;
                    max = body[position] == '}' ? int.MaxValue : Count(body, ref position, start, maxRepetition);
                }

                position++; // '}'
                break;
        }

        // A lazy '?' changes which match is found, never whether there is one.
        if (position < body.Length && body[position] == '?')
        {
            position++;
        }

        return (min, max, position);
    }

    private static int Count(string body, ref int position, int quantifierStart, int maxRepetition)
    {
        var start = position;
        SkipDigits(body, ref position);
        var digits = body[start..position].TrimStart('0');
        if (digits.Length > 9 || (digits.Length > 0 && int.Parse(digits, CultureInfo.InvariantCulture) > maxRepetition))
        {
            throw new FilterRegexException(
                quantifierStart,
                string.Create(CultureInfo.InvariantCulture, $"the repetition count {body[start..position]} is above the limit of {maxRepetition}"));
        }

        return digits.Length == 0 ? 0 : int.Parse(digits, CultureInfo.InvariantCulture);
    }

    private static int SkipDigits(string body, ref int position)
    {
        var start = position;
        while (position < body.Length && char.IsAsciiDigit(body[position]))
        {
            position++;
        }

        return position - start;
    }
}
