using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TrailResponder.Core.Rules;

/// <summary>Checks a YAML text's nesting and size before it is loaded into a tree, which recurses once per level.</summary>
public static class YamlBounds
{
    /// <summary>The deepest nesting of maps and lists a rules file may have.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most YAML nodes (scalars, maps, lists, aliases) a rules file may have.</summary>
    public const int MaxNodes = 200_000;

    /// <summary>Null when the text is within bounds; otherwise the problem, <c>path:line: ...</c>.</summary>
    /// <exception cref="YamlException">The text is not valid YAML.</exception>
    public static string? Check(string text, string path)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var nodes = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    nodes++;
                    if (++depth > MaxDepth)
                    {
                        return Problem(path, parser.Current, $"is nested more than {MaxDepth} levels deep");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                case Scalar or AnchorAlias:
                    if (++nodes > MaxNodes)
                    {
                        return Problem(path, parser.Current, $"has more than {MaxNodes:N0} values");
                    }

                    break;
            }
        }

        return null;
    }

    private static string Problem(string path, ParsingEvent at, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}:{at.Start.Line}: the YAML {message}");
}
