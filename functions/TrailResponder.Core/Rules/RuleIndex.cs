using System.Buffers;
using System.Text.Json;
using TrailResponder.Core.Json;

namespace TrailResponder.Core.Rules;

/// <summary>
/// Which rules a record can match, found from a few of its fields before any rule is evaluated: each rule is filed
/// under the keys it cannot match without (an eventName it names, an eventSource, a field it needs present), so a
/// record that no rule's keys fit costs no rule evaluation at all.
/// </summary>
/// <remarks>
/// Keys only narrow: a candidate is still evaluated in full. Values are compared ignoring case, which finds every
/// rule a case-sensitive filter pattern would match and every rule a (default case-insensitive) Sigma value would.
/// </remarks>
internal sealed class RuleIndex
{
    private readonly int[] _unkeyed;
    private readonly KeyedField[] _fields;

    public RuleIndex(IReadOnlyList<DetectionRule> rules, FieldLayout layout)
    {
        var unkeyed = new List<int>();
        var fields = new Dictionary<FieldPath, KeyedFieldBuilder>();
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Logic.Requirement is not { } keys)
            {
                unkeyed.Add(i);
                continue;
            }

            foreach (var key in keys)
            {
                if (!fields.TryGetValue(key.Path, out var field))
                {
                    fields[key.Path] = field = new KeyedFieldBuilder(layout.SlotOf(key.Path));
                }

                field.Add(key.Value, i);
            }
        }

        _unkeyed = [.. unkeyed];
        _fields = fields.Values.Select(f => f.Build()).ToArray();
    }

    /// <summary>Rules evaluated on every record: their logic offers no key.</summary>
    public int UnkeyedCount => _unkeyed.Length;

    /// <summary>
    /// Writes the indexes of the rules the record can match into <paramref name="candidates"/>, ascending and without
    /// repeats, and returns how many. <paramref name="seen"/> (one entry per rule) and <paramref name="generation"/>
    /// belong to the caller's evaluator: a rule is taken once per record when its stamp differs from the generation.
    /// </summary>
    public int Candidates(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots, Span<int> candidates, Span<int> seen, ref int generation)
    {
        if (++generation == int.MaxValue)
        {
            seen.Clear();
            generation = 1;
        }

        var count = 0;
        foreach (var rule in _unkeyed)
        {
            seen[rule] = generation;
            candidates[count++] = rule;
        }

        foreach (var field in _fields)
        {
            var slot = slots[field.Slot];
            if (!slot.Exists)
            {
                continue;
            }

            Take(field.OnPresence, candidates, seen, generation, ref count);
            switch (slot.Kind)
            {
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when field.HasValues:
                    Take(field.Lookup(slot.Raw(record), slot.Kind == JsonValueKind.String && slot.IsEscaped), candidates, seen, generation, ref count);
                    break;

                // A Sigma value can hold on any scalar inside an object or array: every rule keyed on a value of it may.
                case JsonValueKind.Object or JsonValueKind.Array:
                    Take(field.AnyValue, candidates, seen, generation, ref count);
                    break;
            }
        }

        candidates[..count].Sort();
        return count;
    }

    private static void Take(int[] rules, Span<int> candidates, Span<int> seen, int generation, ref int count)
    {
        foreach (var rule in rules)
        {
            if (seen[rule] != generation)
            {
                seen[rule] = generation;
                candidates[count++] = rule;
            }
        }
    }

    /// <summary>The rules filed under one field: by its value, and by its presence.</summary>
    private sealed class KeyedField(int slot, Dictionary<string, int[]> byValue, int[] onPresence)
    {
        private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _lookup = byValue.GetAlternateLookup<ReadOnlySpan<char>>();
        private readonly int _longestValue = byValue.Keys.Select(k => k.Length).DefaultIfEmpty().Max();

        public int Slot => slot;

        public int[] OnPresence => onPresence;

        public int[] AnyValue { get; } = byValue.Values.SelectMany(r => r).Distinct().Order().ToArray();

        public bool HasValues => byValue.Count > 0;

        public int[] Lookup(ReadOnlySpan<byte> raw, bool escaped)
        {
            // A JSON text has at least a sixth as many characters as bytes (\uXXXX), plain UTF-8 a third: a value
            // longer than that cannot equal any key, and is not decoded.
            if (raw.Length > _longestValue * (escaped ? 6 : 3))
            {
                return [];
            }

            char[]? rented = null;
            var buffer = raw.Length <= 256 ? stackalloc char[raw.Length] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
            try
            {
                var text = buffer[..JsonText.Write(raw, escaped, buffer)];
                return _lookup.TryGetValue(text, out var rules) ? rules : [];
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

    private sealed class KeyedFieldBuilder(int slot)
    {
        private readonly Dictionary<string, List<int>> _byValue = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<int> _onPresence = [];

        public void Add(string? value, int rule)
        {
            var list = value is null ? _onPresence : _byValue.TryGetValue(value, out var existing) ? existing : _byValue[value] = [];
            if (!list.Contains(rule))
            {
                list.Add(rule);
            }
        }

        public KeyedField Build() => new(
            slot,
            _byValue.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase),
            [.. _onPresence]);
    }
}
