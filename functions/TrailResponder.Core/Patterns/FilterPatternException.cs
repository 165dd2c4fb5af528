namespace TrailResponder.Core.Patterns;

/// <summary>A filter pattern that does not parse; the message shows the pattern and points at the position.</summary>
public sealed class FilterPatternException : FormatException
{
    /// <summary>Creates the error for <paramref name="pattern"/> at zero-based <paramref name="position"/>.</summary>
    public FilterPatternException(string pattern, int position, string problem)
        : base($"filter pattern error at character {position + 1}: {problem}{Environment.NewLine}  {pattern}{Environment.NewLine}  {new string(' ', Math.Max(0, position))}^")
    {
        Pattern = pattern;
        Position = position;
        Problem = problem;
    }

    /// <summary>The pattern text.</summary>
    public string Pattern { get; }

    /// <summary>Zero-based index of the offending character.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }
}
