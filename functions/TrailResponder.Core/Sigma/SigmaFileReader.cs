using System.Globalization;
using TrailResponder.Core.Rules;
using YamlDotNet.RepresentationModel;

namespace TrailResponder.Core.Sigma;

/// <summary>Reads the rule documents of one Sigma file: rules for CloudTrail, skips for the rest, and errors.</summary>
/// <remarks>A document for another log source is skipped before its detection is read, so no error of another product's rules can stop ours.</remarks>
public static class SigmaFileReader
{
    private static readonly string[] Levels = ["informational", "low", "medium", "high", "critical"];

    /// <summary>Reads every document of a loaded YAML stream; <paramref name="source"/> names the file in messages and ids.</summary>
    public static SigmaFile Read(string source, YamlStream yaml, SigmaReadOptions options)
    {
        var rules = new List<SigmaRule>();
        var skipped = new List<SigmaSkip>();
        var errors = new List<string>();
        foreach (var document in yaml.Documents)
        {
            var line = (int)document.RootNode.Start.Line;
            var title = document.RootNode is YamlMappingNode map ? Text(map, "title") ?? Text(map, "name") : null;
            try
            {
                switch (ReadDocument(source, document.RootNode, options))
                {
                    case SigmaRule rule:
                        rules.Add(rule);
                        break;
                    case SigmaSkip skip when options.Strict && skip.IsUnsupportedConstruct:
                        errors.Add(Error(source, line, title, $"{skip.Note} (--strict)"));
                        break;
                    case SigmaSkip skip:
                        skipped.Add(skip);
                        break;
                }
            }
            catch (SigmaRuleException e)
            {
                errors.Add(Error(source, e.Line, title, e.Message));
            }
        }

        return new SigmaFile(source, rules, skipped, errors);
    }

    private static object? ReadDocument(string source, YamlNode root, SigmaReadOptions options)
    {
        var line = (int)root.Start.Line;
        if (root is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        if (root is not YamlMappingNode document)
        {
            throw new SigmaRuleException(line, "a Sigma rule must be a map with title, logsource and detection");
        }

        var where = string.Create(CultureInfo.InvariantCulture, $"{source}:{line}");
        var title = Text(document, "title") ?? Text(document, "name") ?? "(untitled)";
        if (Child(document, "action") is { } action)
        {
            throw new SigmaRuleException((int)action.Start.Line, $"'action: {(action as YamlScalarNode)?.Value}' is a Sigma v1 rule collection; write each rule as its own document");
        }

        if (Child(document, "correlation") is not null)
        {
            return new SigmaSkip(where, title, SigmaSkipReason.Correlation, "correlation rules are not supported yet (they come with stateful detection)");
        }

        if (Child(document, "filter") is not null && Child(document, "detection") is null)
        {
            return new SigmaSkip(where, title, SigmaSkipReason.Filter, "Sigma filters (meta rules) are not supported");
        }

        if (Text(document, "title") is null)
        {
            throw new SigmaRuleException(line, "'title' is required");
        }

        var logsource = Child(document, "logsource") as YamlMappingNode
            ?? throw new SigmaRuleException(line, "'logsource' is required and must be a map (product: aws, service: cloudtrail)");
        var product = Text(logsource, "product");
        var service = Text(logsource, "service");
        if (!"aws".Equals(product, StringComparison.OrdinalIgnoreCase) || !"cloudtrail".Equals(service, StringComparison.OrdinalIgnoreCase))
        {
            var described = string.Join(" ", logsource.Children.Select(c => $"{(c.Key as YamlScalarNode)?.Value}={(c.Value as YamlScalarNode)?.Value}"));
            return new SigmaSkip(where, title, SigmaSkipReason.OtherLogSource, $"logsource {described}");
        }

        var status = Text(document, "status");
        if (status is "deprecated" or "unsupported")
        {
            return new SigmaSkip(where, title, SigmaSkipReason.Deprecated, $"status {status}");
        }

        var severity = Severity.Medium;
        if (Child(document, "level") is { } levelNode)
        {
            var level = (levelNode as YamlScalarNode)?.Value ?? string.Empty;
            var index = Array.IndexOf(Levels, level.ToLowerInvariant());
            severity = index >= 0
                ? (Severity)index
                : throw new SigmaRuleException((int)levelNode.Start.Line, $"level: '{level}' is not one of {string.Join(", ", Levels)}");
        }

        var detection = Child(document, "detection") ?? throw new SigmaRuleException(line, "'detection' is required");
        return new SigmaRule
        {
            RuleId = Text(document, "id") ?? FileStem(source),
            Title = title,
            Detection = SigmaDetectionParser.Parse(detection, new SigmaParseContext(options.Placeholders)),
            Source = where,
            Description = Text(document, "description") ?? string.Empty,
            Severity = severity,
            Status = status,
            Tags = Texts(document, "tags"),
            References = Texts(document, "references"),
            FalsePositives = Texts(document, "falsepositives"),
        };
    }

    private static string Error(string source, int line, string? title, string message) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: {(title is null ? string.Empty : $"rule '{title}': ")}{message}");

    private static string FileStem(string source)
    {
        var name = source[(source.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Text(YamlMappingNode map, string key) =>
        Child(map, key) is YamlScalarNode { Value: { } value } && OneLine(value) is { Length: > 0 } text ? text : null;

    // A list of texts, or a single text; anything else in it is left out.
    private static IReadOnlyList<string> Texts(YamlMappingNode map, string key) => Child(map, key) switch
    {
        YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => OneLine(s.Value ?? string.Empty)).Where(s => s.Length > 0).ToArray(),
        YamlScalarNode { Value: { } value } when OneLine(value) is { Length: > 0 } text => [text],
        _ => [],
    };

    // Descriptions are often written as YAML block text; findings and emails show them on one line.
    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
