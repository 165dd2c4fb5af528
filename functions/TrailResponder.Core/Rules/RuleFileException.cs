namespace TrailResponder.Core.Rules;

/// <summary>A rules file that is not valid; the message names the file, the line and the rule.</summary>
public sealed class RuleFileException(string message) : Exception(message);
