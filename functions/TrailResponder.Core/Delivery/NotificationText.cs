using System.Buffers;
using System.Globalization;
using System.Text;

namespace TrailResponder.Core.Delivery;

/// <summary>Makes event data safe to show people: in emails, email subjects, Security Hub text and terminals.</summary>
/// <remarks>
/// Event values are written by whoever made the API call. A line break could forge a line of the report (<c>Bcc: …</c>),
/// an escape sequence could drive a terminal, a bidi override (U+202E) could show <c>exe.txt</c> as <c>txt.exe</c>, and a
/// zero-width character could make two different names look the same. Every such character is written as a visible
/// escape instead, so the reader sees that it was there and which it was:
/// <list type="bullet">
/// <item>CR, LF and TAB as <c>\r</c>, <c>\n</c>, <c>\t</c>;</item>
/// <item>every other character Unicode classes as a control (C0, DEL, C1), a format character (bidi embeddings, overrides,
/// isolates and marks U+200E, U+200F, U+061C; zero-width U+200B–U+200D, U+2060, U+FEFF; soft hyphen; tag characters), a
/// line or paragraph separator (U+2028, U+2029), and half of a broken surrogate pair, as <c>\uXXXX</c>, or
/// <c>\UXXXXXXXX</c> above U+FFFF.</item>
/// </list>
/// A backslash is left as it is (Windows paths and policies stay readable), so a value that itself contains the text
/// <c>\u202E</c> reads the same as one that contains U+202E; the JSON outputs are exact.
/// </remarks>
public static class NotificationText
{
    /// <summary>The value on one line, with every hidden or control character as a visible escape; null becomes "unknown".</summary>
    public static string SingleLine(string? value)
    {
        if (value is null)
        {
            return "unknown";
        }

        var first = FirstHidden(value);
        if (first < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        builder.Append(value, 0, first);
        var rest = value.AsSpan(first);
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(rest, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                // Half of a surrogate pair: shown as the code unit it is.
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)rest[0]:X4}");
            }
            else if (IsHidden(rune))
            {
                AppendEscape(builder, rune);
            }
            else
            {
                builder.Append(rest[..consumed]);
            }

            rest = rest[consumed..];
        }

        return builder.ToString();
    }

    /// <summary>
    /// An SNS email subject: hidden characters escaped as in <see cref="SingleLine"/>, then printable ASCII only ('?' for
    /// the rest), at most 99 characters.
    /// </summary>
    public static string Subject(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var visible = SingleLine(text);
        var builder = new StringBuilder(Math.Min(visible.Length, FindingEmail.MaxSubjectLength));
        foreach (var c in visible)
        {
            if (builder.Length == FindingEmail.MaxSubjectLength)
            {
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString().TrimEnd();
    }

    /// <summary>
    /// JSON text with every character <see cref="SingleLine"/> would escape written as a JSON <c>\u</c> escape: it reads as
    /// the same values, and shows no hidden character on a terminal.
    /// </summary>
    /// <remarks>
    /// Safe on any JSON text: outside strings JSON holds only ASCII, and CR, LF and TAB, the whitespace allowed between
    /// tokens (inside strings they are always escaped), are left as they are.
    /// </remarks>
    public static string InJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var first = FirstHidden(json);
        if (first < 0)
        {
            return json;
        }

        var builder = new StringBuilder(json.Length + 16);
        builder.Append(json, 0, first);
        for (var i = first; i < json.Length; i++)
        {
            var c = json[i];
            if (char.IsHighSurrogate(c) && i + 1 < json.Length && char.IsLowSurrogate(json[i + 1]))
            {
                var low = json[++i];
                if (IsHidden(new Rune(c, low)))
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}\\u{(int)low:X4}");
                }
                else
                {
                    builder.Append(c).Append(low);
                }
            }
            else if (char.IsSurrogate(c) || (c is not ('\r' or '\n' or '\t') && IsHidden(new Rune(c))))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // A character that is invisible or changes how the text around it is laid out or interpreted.
    private static bool IsHidden(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    // The index of the first character that needs an escape, or -1: most values have none and are returned as they are.
    private static int FirstHidden(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < ' ' || (c >= '\u007f' && (char.IsSurrogate(c) || IsHidden(new Rune(c)))))
            {
                return i;
            }
        }

        return -1;
    }

    private static void AppendEscape(StringBuilder builder, Rune rune)
    {
        switch (rune.Value)
        {
            case '\r':
                builder.Append("\\r");
                break;
            case '\n':
                builder.Append("\\n");
                break;
            case '\t':
                builder.Append("\\t");
                break;
            case <= 0xFFFF:
                builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
                break;
            default:
                builder.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}");
                break;
        }
    }
}
