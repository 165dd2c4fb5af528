using System.Text;
using System.Text.Json;

namespace TrailResponder.Core.Json;

/// <summary>
/// A fixed set of field paths compiled into a trie, so one forward pass over a record finds every one of them.
/// </summary>
/// <remarks>
/// Each path gets a slot number. <see cref="Extract"/> walks the record once with Utf8JsonReader, descends only
/// into members some path needs, skips everything else, and records where each selected value sits. Rules then
/// read slots instead of walking the JSON again, so the cost per record does not grow with the number of rules.
/// </remarks>
public sealed class FieldLayout
{
    private readonly FieldNode _root;
    private readonly Dictionary<FieldPath, int> _slots;

    /// <summary>Compiles the given paths (duplicates are merged).</summary>
    public FieldLayout(IEnumerable<FieldPath> paths)
    {
        _root = new FieldNode();
        var distinct = new List<FieldPath>();
        foreach (var path in paths)
        {
            if (!distinct.Contains(path))
            {
                distinct.Add(path);
                _root.Add(path, 0);
            }
        }

        var next = 0;
        _root.AssignSlots(ref next);
        SlotCount = next;
        _slots = distinct.ToDictionary(p => p, p => _root.Find(p, 0)!.Slot);
        Paths = distinct;
    }

    /// <summary>How many slots a record extracted with this layout fills.</summary>
    public int SlotCount { get; }

    /// <summary>The paths, in the order they were first given.</summary>
    public IReadOnlyList<FieldPath> Paths { get; }

    /// <summary>Whether <paramref name="path"/> has a slot in this layout.</summary>
    public bool Contains(FieldPath path) => _slots.ContainsKey(path);

    /// <summary>The slot of a path that is part of this layout.</summary>
    public int SlotOf(FieldPath path) => _slots.TryGetValue(path, out var slot)
        ? slot
        : throw new ArgumentException($"The path {path} is not part of this layout.", nameof(path));

    /// <summary>
    /// Fills <paramref name="slots"/> (length at least <see cref="SlotCount"/>) from one JSON object.
    /// Throws <see cref="JsonException"/> when the bytes are not one well-formed JSON object.
    /// </summary>
    public void Extract(ReadOnlySpan<byte> record, Span<JsonSlot> slots)
    {
        slots[..SlotCount].Clear();
        var reader = new Utf8JsonReader(record, new JsonReaderOptions { MaxDepth = 512 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The record is not a JSON object.");
        }

        ReadObject(ref reader, _root, slots);
        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the record.");
        }
    }

    private static void ReadObject(ref Utf8JsonReader reader, FieldNode node, Span<JsonSlot> slots)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var child = node.FindMember(ref reader);
            reader.Read();
            if (child is null)
            {
                reader.Skip();
                continue;
            }

            // A member that appears twice: the last occurrence wins, as in System.Text.Json.
            slots[child.FirstSlot..child.EndSlot].Clear();
            ReadValue(ref reader, child, slots);
        }
    }

    private static void ReadArray(ref Utf8JsonReader reader, FieldNode node, Span<JsonSlot> slots)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var child = node.FindElement(index++);
            if (child is null)
            {
                reader.Skip();
            }
            else
            {
                ReadValue(ref reader, child, slots);
            }
        }
    }

    private static void ReadValue(ref Utf8JsonReader reader, FieldNode node, Span<JsonSlot> slots)
    {
        var start = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                if (node.HasMembers)
                {
                    ReadObject(ref reader, node, slots);
                }
                else
                {
                    reader.Skip();
                }

                Store(node, slots, new JsonSlot(JsonValueKind.Object, start, (int)reader.TokenStartIndex + 1 - start, false));
                break;
            case JsonTokenType.StartArray:
                if (node.HasElements)
                {
                    ReadArray(ref reader, node, slots);
                }
                else
                {
                    reader.Skip();
                }

                Store(node, slots, new JsonSlot(JsonValueKind.Array, start, (int)reader.TokenStartIndex + 1 - start, false));
                break;
            case JsonTokenType.String:
                Store(node, slots, new JsonSlot(JsonValueKind.String, start + 1, reader.ValueSpan.Length, reader.ValueIsEscaped));
                break;
            case JsonTokenType.Number:
                Store(node, slots, new JsonSlot(JsonValueKind.Number, start, reader.ValueSpan.Length, false));
                break;
            case JsonTokenType.True:
                Store(node, slots, new JsonSlot(JsonValueKind.True, start, 4, false));
                break;
            case JsonTokenType.False:
                Store(node, slots, new JsonSlot(JsonValueKind.False, start, 5, false));
                break;
            case JsonTokenType.Null:
                Store(node, slots, new JsonSlot(JsonValueKind.Null, start, 4, false));
                break;
        }
    }

    private static void Store(FieldNode node, Span<JsonSlot> slots, JsonSlot slot)
    {
        if (node.Slot >= 0)
        {
            slots[node.Slot] = slot;
        }
    }

    /// <summary>One trie node: a value some path reaches, with the members and elements below it that paths need.</summary>
    private sealed class FieldNode
    {
        // Children are bucketed by the UTF-8 length of their name: a record's member rarely shares a length with
        // more than one or two wanted names, so the lookup is a length check and a short byte comparison.
        private List<(byte[] Name, FieldNode Node)>?[] _membersByLength = [];
        private readonly Dictionary<int, FieldNode> _elements = [];
        private bool _isTarget;

        public int Slot { get; private set; } = -1;

        public int FirstSlot { get; private set; }

        public int EndSlot { get; private set; }

        public bool HasMembers { get; private set; }

        public bool HasElements => _elements.Count > 0;

        public void Add(FieldPath path, int depth)
        {
            if (depth == path.Steps.Count)
            {
                _isTarget = true;
                return;
            }

            var step = path.Steps[depth];
            var child = FindStep(step);
            if (child is null)
            {
                child = new FieldNode();
                if (step.IsIndex)
                {
                    _elements[step.Index] = child;
                }
                else
                {
                    var name = Encoding.UTF8.GetBytes(step.Name!);
                    if (_membersByLength.Length <= name.Length)
                    {
                        Array.Resize(ref _membersByLength, name.Length + 1);
                    }

                    (_membersByLength[name.Length] ??= []).Add((name, child));
                    HasMembers = true;
                }
            }

            child.Add(path, depth + 1);
        }

        public FieldNode? Find(FieldPath path, int depth) =>
            depth == path.Steps.Count ? this : FindStep(path.Steps[depth])?.Find(path, depth + 1);

        // Depth-first numbering keeps every subtree's slots contiguous, so a repeated member clears its range at once.
        public void AssignSlots(ref int next)
        {
            FirstSlot = next;
            if (_isTarget)
            {
                Slot = next++;
            }

            foreach (var bucket in _membersByLength)
            {
                foreach (var (_, child) in bucket ?? [])
                {
                    child.AssignSlots(ref next);
                }
            }

            foreach (var child in _elements.OrderBy(e => e.Key).Select(e => e.Value))
            {
                child.AssignSlots(ref next);
            }

            EndSlot = next;
        }

        public FieldNode? FindMember(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped)
            {
                return FindMember(Encoding.UTF8.GetBytes(reader.GetString()!));
            }

            return FindMember(reader.ValueSpan);
        }

        public FieldNode? FindElement(int index) => _elements.GetValueOrDefault(index);

        private FieldNode? FindMember(ReadOnlySpan<byte> name)
        {
            if (name.Length >= _membersByLength.Length || _membersByLength[name.Length] is not { } bucket)
            {
                return null;
            }

            foreach (var (candidate, node) in bucket)
            {
                if (name.SequenceEqual(candidate))
                {
                    return node;
                }
            }

            return null;
        }

        private FieldNode? FindStep(FieldPathStep step) =>
            step.IsIndex ? _elements.GetValueOrDefault(step.Index) : FindMember(Encoding.UTF8.GetBytes(step.Name!));
    }
}
