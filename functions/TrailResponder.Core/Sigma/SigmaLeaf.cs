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
    /// <remarks>The buffer needs <c>Raw.Length</c> characters.</remarks>
    public int WriteText(Span<char> buffer) => JsonText.Write(Raw, Kind == JsonValueKind.String && IsEscaped, buffer);
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
