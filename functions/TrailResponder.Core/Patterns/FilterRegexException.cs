namespace TrailResponder.Core.Patterns;

/// <summary>A <c>%regex%</c> that is refused: not valid, not supported, or larger than its bounds.</summary>
/// <remarks>The filter-pattern parser turns it into a <see cref="FilterPatternException"/> that points into the whole pattern.</remarks>
internal sealed class FilterRegexException(int offset, string problem) : FormatException(problem)
{
    /// <summary>Zero-based index of the offending character within the regex body (between the percent signs).</summary>
    public int Offset { get; } = offset;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;
}
