using System.Text;
using System.Text.Json;
using TrailResponder.Core.Json;

namespace TrailResponder.Core.Sigma;

/// <summary>
/// A Sigma field name (<c>requestParameters.containerDefinitions.command</c>) as a path of JSON members, or the
/// whole record for keywords.
/// </summary>
public sealed class SigmaField
{
    private SigmaField(string name, string[] steps)
    {
        Name = name;
        Steps = steps;
        Prefixes = Enumerable.Range(1, steps.Length).Select(n => FieldPath.Of(steps[..n])).ToArray();
    }

    /// <summary>The whole record: keywords search every scalar in it.</summary>
    public static SigmaField Record { get; } = new("(any field)", []);

    /// <summary>The field name as the rule writes it.</summary>
    public string Name { get; }

    /// <summary>The member names from the root.</summary>
    public IReadOnlyList<string> Steps { get; }

    /// <summary>Every prefix of the path (<c>a</c>, <c>a.b</c>, <c>a.b.c</c>): the layout extracts each, so the walk can resume at an array.</summary>
    public IReadOnlyList<FieldPath> Prefixes { get; }

    /// <summary>True for the whole record (keywords).</summary>
    public bool IsRecord => Steps.Count == 0;

    /// <summary>The path of a field name; null when a step is empty (<c>a..b</c>).</summary>
    public static SigmaField? Parse(string name)
    {
        var steps = name.Split('.');
        return steps.Any(s => s.Length == 0) ? null : new SigmaField(name, steps);
    }

    internal SigmaFieldAccess Bind(FieldLayout layout) => new(Prefixes.Select(layout.SlotOf).ToArray(), Steps.Select(Encoding.UTF8.GetBytes).ToArray());

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>What a test does at each end of a field path: a scalar it reached, or a place where the path was missing.</summary>
internal interface ISigmaVisitor
{
    /// <summary>The path is missing here. True stops the walk: the test held.</summary>
    bool Missing();

    /// <summary>The path is present here (its scalars follow). True stops the walk: the test held.</summary>
    bool Present();

    /// <summary>The path reached this scalar. True stops the walk: the test held.</summary>
    bool Leaf(scoped SigmaLeaf leaf);
}

/// <summary>
/// A <see cref="SigmaField"/> bound to a layout: finds the values a path reaches in a record, following sigma.md's
/// resolution: members by name, arrays element by element (on the way and at the end), objects by their scalar leaves.
/// </summary>
/// <remarks>
/// The layout has already extracted every prefix of the path, so the common case (a plain member path) reads one
/// slot. Only where an array interrupts the path does the walk re-read the array's bytes, still without allocating.
/// </remarks>
internal sealed class SigmaFieldAccess(int[] prefixSlots, byte[][] steps)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 512 };

    /// <summary>Visits the ends of the path until the visitor says stop; true when it did.</summary>
    public bool Any<T>(SigmaRecord record, ref T visitor)
        where T : ISigmaVisitor, allows ref struct
    {
        if (steps.Length == 0)
        {
            return Leaves(record.Json, ref visitor);
        }

        for (var k = prefixSlots.Length - 1; k >= 0; k--)
        {
            var slot = record.Slots[prefixSlots[k]];
            if (!slot.Exists)
            {
                continue;
            }

            if (k == prefixSlots.Length - 1)
            {
                if (visitor.Present())
                {
                    return true;
                }

                return slot.Kind is JsonValueKind.Object or JsonValueKind.Array
                    ? Leaves(slot.Raw(record.Json), ref visitor)
                    : visitor.Leaf(new SigmaLeaf(slot.Kind, slot.Raw(record.Json), slot.IsEscaped));
            }

            // The deepest prefix present: an array continues the path in each element; anything else ends it.
            return slot.Kind == JsonValueKind.Array ? Resolve(slot.Raw(record.Json), k + 1, ref visitor) : visitor.Missing();
        }

        return visitor.Missing();
    }

    // Follows steps[step..] from the JSON value in 'json'.
    private bool Resolve<T>(scoped ReadOnlySpan<byte> json, int step, ref T visitor)
        where T : ISigmaVisitor, allows ref struct
    {
        if (step == steps.Length)
        {
            return visitor.Present() || Leaves(json, ref visitor);
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                scoped ReadOnlySpan<byte> member = default;
                var found = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isStep = reader.ValueTextEquals(steps[step]);
                    var value = NextValue(ref reader, json);
                    if (isStep)
                    {
                        // A member that appears twice: the last one wins, as in the layout.
                        member = value;
                        found = true;
                    }
                }

                return found ? Resolve(member, step + 1, ref visitor) : visitor.Missing();

            case JsonTokenType.StartArray:
                var empty = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    empty = false;
                    var element = CurrentValue(ref reader, json);
                    if (Resolve(element, step, ref visitor))
                    {
                        return true;
                    }
                }

                return empty && visitor.Missing();

            default:
                return visitor.Missing();
        }
    }

    // Every scalar inside a value (the value itself when it is one), property names excluded.
    private static bool Leaves<T>(scoped ReadOnlySpan<byte> json, ref T visitor)
        where T : ISigmaVisitor, allows ref struct
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    if (visitor.Leaf(new SigmaLeaf(JsonValueKind.String, reader.ValueSpan, reader.ValueIsEscaped)))
                    {
                        return true;
                    }

                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    if (visitor.Leaf(new SigmaLeaf(KindOf(reader.TokenType), reader.ValueSpan, false)))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> NextValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        reader.Read();
        return CurrentValue(ref reader, json);
    }

    // The bytes of the value the reader is on, moving the reader to its end.
    private static ReadOnlySpan<byte> CurrentValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return json[start..(int)reader.BytesConsumed];
    }

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        _ => JsonValueKind.Null,
    };
}
