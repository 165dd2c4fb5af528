namespace TrailResponder.Core.SecurityGroups;

/// <summary>An ARN with <c>*</c> wildcards, each matching any run of characters (including <c>/</c> and <c>:</c>).</summary>
/// <remarks>
/// Split on <c>*</c> once at start so that matching is a few span searches and no regex. Comparison ignores case:
/// IAM names are unique regardless of case, so this widens nothing.
/// </remarks>
internal sealed class ArnPattern
{
    private readonly string[] _parts;

    public ArnPattern(string pattern)
    {
        Text = pattern;
        _parts = pattern.Split('*');
    }

    public string Text { get; }

    public bool IsMatch(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var parts = _parts;
        if (parts.Length == 1)
        {
            return value.Equals(parts[0], StringComparison.OrdinalIgnoreCase);
        }

        var span = value.AsSpan();
        var first = parts[0];
        var last = parts[^1];
        if (value.Length < first.Length + last.Length
            || !span.StartsWith(first, StringComparison.OrdinalIgnoreCase)
            || !span.EndsWith(last, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var position = first.Length;
        var end = value.Length - last.Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var part = parts[i];
            var found = span[position..end].IndexOf(part, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            position += found + part.Length;
        }

        return true;
    }
}
