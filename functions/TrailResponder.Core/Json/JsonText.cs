using System.Globalization;
using System.Text;

namespace TrailResponder.Core.Json;

/// <summary>Decodes a JSON scalar's raw bytes into text without allocating: the content of a string, or a number or literal as written.</summary>
public static class JsonText
{
    /// <summary>
    /// Writes the text into <paramref name="buffer"/>, which needs <c>raw.Length</c> characters (UTF-8 and JSON
    /// escapes never make text longer than their bytes), and returns its length.
    /// </summary>
    /// <param name="raw">A string's content between the quotes, or a number's or literal's bytes.</param>
    /// <param name="isEscapedString">The raw bytes are a string's content holding backslash escapes.</param>
    /// <param name="buffer">Where the text goes.</param>
    public static int Write(ReadOnlySpan<byte> raw, bool isEscapedString, Span<char> buffer) =>
        isEscapedString ? Unescape(raw, buffer) : Encoding.UTF8.GetChars(raw, buffer);

    // Only called on bytes a Utf8JsonReader has accepted, so every escape is one of the valid forms.
    private static int Unescape(ReadOnlySpan<byte> raw, Span<char> buffer)
    {
        var written = 0;
        while (!raw.IsEmpty)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var run = backslash < 0 ? raw : raw[..backslash];
            written += Encoding.UTF8.GetChars(run, buffer[written..]);
            if (backslash < 0)
            {
                break;
            }

            var escape = raw[backslash + 1];
            if (escape == (byte)'u')
            {
                buffer[written++] = (char)ushort.Parse(raw.Slice(backslash + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                raw = raw[(backslash + 6)..];
                continue;
            }

            buffer[written++] = escape switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => (char)escape,
            };
            raw = raw[(backslash + 2)..];
        }

        return written;
    }
}
