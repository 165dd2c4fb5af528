using System.Buffers;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Json;

namespace TrailResponder.Core.Patterns;

/// <summary>A pattern node bound to the slots of a <see cref="FieldLayout"/>, ready to evaluate records.</summary>
/// <remarks>The semantics on missing, null and mismatched values are the project rules of filter-patterns.md A.5.</remarks>
public abstract class CompiledCondition
{
    /// <summary>Whether the record whose slots are given satisfies this node.</summary>
    public abstract bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots);

    internal static CompiledCondition Compile(PatternExpression expression, FieldLayout layout) => expression switch
    {
        AnyOf any => new AnyCondition(any.Terms.Select(t => Compile(t, layout)).ToArray()),
        AllOf all => new AllCondition(all.Terms.Select(t => Compile(t, layout)).ToArray()),
        KeywordCondition keyword => new KeywordTestCondition(layout.SlotOf(keyword.Selector), keyword.Test),
        Comparison comparison => CompileComparison(comparison, layout.SlotOf(comparison.Selector)),
        _ => throw new ArgumentException($"Unknown pattern node {expression.GetType().Name}.", nameof(expression)),
    };

    private static CompiledCondition CompileComparison(Comparison comparison, int slot)
    {
        var value = comparison.Value;
        var negate = comparison.Operator == ComparisonOperator.NotEqual;
        if (value.IsWildcardOnly)
        {
            return new AnyScalarCondition(slot, negate);
        }

        if (value.Regex is not null)
        {
            return new RegexCondition(slot, value.Regex, negate);
        }

        return comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual
            ? new EqualityCondition(slot, value, negate)
            : new OrderingCondition(slot, comparison.Operator, value.Number!.Value);
    }

    private sealed class AnyCondition(CompiledCondition[] terms) : CompiledCondition
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots)
        {
            foreach (var term in terms)
            {
                if (term.Evaluate(record, slots))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class AllCondition(CompiledCondition[] terms) : CompiledCondition
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots)
        {
            foreach (var term in terms)
            {
                if (!term.Evaluate(record, slots))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class KeywordTestCondition(int slot, KeywordTest test) : CompiledCondition
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots) => test switch
        {
            KeywordTest.NotExists => !slots[slot].Exists,
            KeywordTest.IsNull => slots[slot].Kind == JsonValueKind.Null,
            KeywordTest.IsTrue => slots[slot].Kind == JsonValueKind.True,
            _ => slots[slot].Kind == JsonValueKind.False,
        };
    }

    // '= *' is the presence test: any scalar that is not null. '!= *' can therefore never match.
    private sealed class AnyScalarCondition(int slot, bool negate) : CompiledCondition
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots) =>
            !negate && slots[slot].Kind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;
    }

    private sealed class EqualityCondition(int slot, PatternValue value, bool negate) : CompiledCondition
    {
        private readonly GlobPattern _glob = new(value.Text);

        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots)
        {
            var found = slots[slot];
            switch (found.Kind)
            {
                case JsonValueKind.String:
                    var matches = found.IsEscaped
                        ? _glob.IsMatch(Encoding.UTF8.GetBytes(found.GetString(record)!))
                        : _glob.IsMatch(found.Raw(record));
                    return matches != negate;

                // A JSON number compares only with an unquoted numeric token, and numerically.
                case JsonValueKind.Number when value.Number is { } number && found.TryGetDouble(record, out var actual):
                    return (actual == number) != negate;

                default:
                    return false;
            }
        }
    }

    private sealed class OrderingCondition(int slot, ComparisonOperator op, double number) : CompiledCondition
    {
        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots)
        {
            if (!slots[slot].TryGetDouble(record, out var actual))
            {
                return false;
            }

            return op switch
            {
                ComparisonOperator.Less => actual < number,
                ComparisonOperator.LessOrEqual => actual <= number,
                ComparisonOperator.Greater => actual > number,
                _ => actual >= number,
            };
        }
    }

    private sealed class RegexCondition(int slot, FilterRegex regex, bool negate) : CompiledCondition
    {
        // Values up to this many UTF-16 units are decoded on the stack; longer ones into a pooled buffer.
        private const int StackChars = 256;

        public override bool Evaluate(ReadOnlySpan<byte> record, ReadOnlySpan<JsonSlot> slots)
        {
            var found = slots[slot];
            if (found.Kind != JsonValueKind.String)
            {
                return false;
            }

            if (found.IsEscaped)
            {
                return regex.IsMatch(found.GetString(record)) != negate;
            }

            // Decode without allocating a string per record: the value is read once, by the automaton.
            var raw = found.Raw(record);
            var length = Encoding.UTF8.GetMaxCharCount(raw.Length);
            char[]? rented = null;
            var buffer = length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(length));
            try
            {
                return regex.IsMatch(buffer[..Encoding.UTF8.GetChars(raw, buffer)]) != negate;
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
}
