using System.Globalization;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Json;

namespace TrailResponder.Core.Sigma;

/// <summary>A record as Sigma tests see it: its UTF-8 bytes and the slots the rule set's layout extracted from them.</summary>
internal readonly ref struct SigmaRecord(ReadOnlySpan<byte> json, ReadOnlySpan<JsonSlot> slots)
{
    public ReadOnlySpan<byte> Json { get; } = json;

    public ReadOnlySpan<JsonSlot> Slots { get; } = slots;
}

/// <summary>One scalar a field path reached: its JSON kind and its raw bytes (a string's content, still escaped).</summary>
internal readonly ref struct SigmaLeaf(JsonValueKind kind, ReadOnlySpan<byte> raw, bool isEscaped)
{
    public JsonValueKind Kind { get; } = kind;

    public ReadOnlySpan<byte> Raw { get; } = raw;

    public bool IsEscaped { get; } = isEscaped;

    /// <summary>Writes the scalar's text (Sigma rule 5: a string as itself, numbers and booleans as written) into <paramref name="buffer"/>.</summary>
    /// <remarks>The buffer needs <c>Raw.Length</c> characters: UTF-8 and JSON escapes never make text longer than their bytes.</remarks>
    public int WriteText(Span<char> buffer)
    {
        if (Kind != JsonValueKind.String || !IsEscaped)
        {
            return Encoding.UTF8.GetChars(Raw, buffer);
        }

        return Unescape(Raw, buffer);
    }

    // The reader already checked the escapes when it extracted the record, so only the valid forms can occur.
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

/// <summary>A leaf with its text decoded, as value matchers see it.</summary>
internal readonly ref struct SigmaValue(JsonValueKind kind, ReadOnlySpan<byte> raw, ReadOnlySpan<char> text)
{
    public JsonValueKind Kind { get; } = kind;

    public ReadOnlySpan<byte> Raw { get; } = raw;

    /// <summary>The scalar's text; empty for null.</summary>
    public ReadOnlySpan<char> Text { get; } = text;

    public bool IsNull => Kind == JsonValueKind.Null;
}
