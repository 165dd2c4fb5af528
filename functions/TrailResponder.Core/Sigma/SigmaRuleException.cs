namespace TrailResponder.Core.Sigma;

/// <summary>A Sigma rule that cannot be used: the message names the construct; <see cref="Line"/> is where it is written.</summary>
public sealed class SigmaRuleException(int line, string message) : Exception(message)
{
    /// <summary>The 1-based line of the offending construct in its file.</summary>
    public int Line { get; } = line;
}
