using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TrailResponder.Core.Json;

/// <summary>
/// Where one selected value sits in a record's UTF-8 bytes, and what kind of value it is.
/// </summary>
/// <remarks>
/// The default value (<see cref="JsonValueKind.Undefined"/>) means the member is absent. For strings the range
/// covers the content between the quotes, still escaped when <see cref="IsEscaped"/>; for objects and arrays it
/// covers the whole value including brackets.
/// </remarks>
public readonly record struct JsonSlot(JsonValueKind Kind, int Start, int Length, bool IsEscaped)
{
    /// <summary>True when the member is present (even with value null).</summary>
    public bool Exists => Kind != JsonValueKind.Undefined;

    /// <summary>The raw bytes of the value within <paramref name="record"/>.</summary>
    public ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> record) => record.Slice(Start, Length);

    /// <summary>The string value, unescaped; null when the slot is not a string.</summary>
    public string? GetString(ReadOnlySpan<byte> record)
    {
        if (Kind != JsonValueKind.String)
        {
            return null;
        }

        var raw = Raw(record);
        if (!IsEscaped)
        {
            return Encoding.UTF8.GetString(raw);
        }

        // Let the JSON reader unescape: it knows every escape form, including surrogate pairs.
        var quoted = new byte[raw.Length + 2];
        quoted[0] = (byte)'"';
        raw.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString();
    }

    /// <summary>The value as a number, when the slot is a JSON number.</summary>
    public bool TryGetDouble(ReadOnlySpan<byte> record, out double value)
    {
        value = 0;
        return Kind == JsonValueKind.Number
            && double.TryParse(Raw(record), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The value as text: strings unescaped, other scalars as written; null when absent or not a scalar.</summary>
    public string? GetText(ReadOnlySpan<byte> record) => Kind switch
    {
        JsonValueKind.String => GetString(record),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Encoding.UTF8.GetString(Raw(record)),
        _ => null,
    };
}
