using System.Globalization;
using System.Text;

namespace TrailResponder.Core.Json;

/// <summary>One step of a <see cref="FieldPath"/>: a member name or a zero-based array index.</summary>
public readonly record struct FieldPathStep(string? Name, int Index)
{
    /// <summary>True for an array index step, false for a member name.</summary>
    public bool IsIndex => Name is null;

    /// <summary>A member-name step.</summary>
    public static FieldPathStep Member(string name) => new(name, -1);

    /// <summary>An array-index step.</summary>
    public static FieldPathStep Element(int index) => new(null, index);
}

/// <summary>A path from the root of a JSON record to one value, written <c>$.a.b[0].c</c>.</summary>
public sealed class FieldPath : IEquatable<FieldPath>
{
    /// <summary>Creates a path from its steps.</summary>
    public FieldPath(IReadOnlyList<FieldPathStep> steps)
    {
        if (steps.Count == 0)
        {
            throw new ArgumentException("A field path needs at least one step.", nameof(steps));
        }

        Steps = steps;
        var text = new StringBuilder("$");
        foreach (var step in steps)
        {
            text.Append(step.IsIndex ? string.Create(CultureInfo.InvariantCulture, $"[{step.Index}]") : "." + step.Name);
        }

        Text = text.ToString();
    }

    /// <summary>The steps from the root.</summary>
    public IReadOnlyList<FieldPathStep> Steps { get; }

    /// <summary>The path as a filter-pattern selector, e.g. <c>$.userIdentity.type</c>.</summary>
    public string Text { get; }

    /// <summary>Builds a path of member names only: <c>Of("userIdentity", "type")</c>.</summary>
    public static FieldPath Of(params string[] names) => new(names.Select(FieldPathStep.Member).ToArray());

    /// <summary>Parses a selector such as <c>$.requestParameters.ipPermissions.items[0].ipRanges</c>.</summary>
    /// <exception cref="FormatException">The text is not a selector; the message says where.</exception>
    public static FieldPath Parse(string text)
    {
        var position = 0;
        if (!TryParse(text, ref position, out var path, out var error) || position != text.Length)
        {
            throw new FormatException($"'{text}' is not a field selector: {error ?? "unexpected text"} at character {position + 1}.");
        }

        return path!;
    }

    /// <summary>
    /// Reads a selector starting at <paramref name="position"/> and leaves <paramref name="position"/> after it;
    /// on failure <paramref name="position"/> points at the offending character.
    /// </summary>
    public static bool TryParse(string text, ref int position, out FieldPath? path, out string? error)
    {
        path = null;
        error = null;
        if (position >= text.Length || text[position] != '$')
        {
            error = "a selector starts with '$'";
            return false;
        }

        position++;
        var steps = new List<FieldPathStep>();
        while (position < text.Length && (text[position] == '.' || text[position] == '['))
        {
            if (text[position] == '.')
            {
                var start = ++position;
                while (position < text.Length && IsNameCharacter(text[position]))
                {
                    position++;
                }

                if (position == start)
                {
                    error = "expected a member name after '.'";
                    return false;
                }

                steps.Add(FieldPathStep.Member(text[start..position]));
            }
            else
            {
                var start = ++position;
                while (position < text.Length && char.IsAsciiDigit(text[position]))
                {
                    position++;
                }

                if (position == start || position >= text.Length || text[position] != ']'
                    || !int.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    error = "expected an array index such as [0]";
                    return false;
                }

                position++;
                steps.Add(FieldPathStep.Element(index));
            }
        }

        if (steps.Count == 0)
        {
            error = "expected '.member' or '[index]' after '$'";
            return false;
        }

        path = new FieldPath(steps);
        return true;
    }

    /// <summary>The characters a member name may contain in a filter-pattern selector.</summary>
    public static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    /// <inheritdoc />
    public bool Equals(FieldPath? other) => other is not null && other.Text == Text;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc />
    public override string ToString() => Text;
}
