using YamlDotNet.RepresentationModel;

namespace TrailResponder.Core.Sigma;

/// <summary>Reads a rule's <c>detection</c> map: search identifiers (maps, lists of maps, keyword lists) and the condition.</summary>
internal static class SigmaDetectionParser
{
    public static SigmaDetection Parse(YamlNode node, SigmaParseContext context)
    {
        var line = (int)node.Start.Line;
        if (node is not YamlMappingNode detection)
        {
            throw new SigmaRuleException(line, "detection: must be a map of search identifiers and a condition");
        }

        var identifiers = new Dictionary<string, SigmaNode>(StringComparer.Ordinal);
        YamlNode? condition = null;
        foreach (var (keyNode, value) in detection.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var keyLine = (int)keyNode.Start.Line;
            switch (key)
            {
                case "condition":
                    condition = value;
                    break;
                case "timeframe":
                    throw new SigmaRuleException(keyLine, "detection: 'timeframe' belongs to a Sigma v1 aggregation; write a correlation rule instead");
                case "":
                    throw new SigmaRuleException(keyLine, "detection: a search identifier must be a name");
                default:
                    identifiers[key] = Body(key, value, context);
                    break;
            }
        }

        if (condition is null)
        {
            throw new SigmaRuleException(line, "detection: 'condition' is required");
        }

        if (identifiers.Count == 0)
        {
            throw new SigmaRuleException(line, "detection: no search identifier");
        }

        var conditions = condition is YamlSequenceNode list ? list.Children : [condition];
        var parsed = new List<SigmaNode>();
        var texts = new List<string>();
        foreach (var item in conditions)
        {
            var text = item is YamlScalarNode { Value: { Length: > 0 } value }
                ? value
                : throw new SigmaRuleException((int)item.Start.Line, "condition: must be a text or a list of texts");
            parsed.Add(SigmaConditionParser.Parse(text, identifiers, (int)item.Start.Line));
            texts.Add(text);
        }

        return new SigmaDetection(
            identifiers.Select(i => new IdentifierNode(i.Key, i.Value)).ToArray(),
            parsed.Count == 1 ? parsed[0] : new AtLeastNode(1, parsed),
            string.Join(" or ", texts.Select(t => parsed.Count == 1 ? t : $"({t})")));
    }

    // A map (every entry), a list of maps (any map), or a list of keywords (any, anywhere in the record).
    private static SigmaNode Body(string name, YamlNode value, SigmaParseContext context)
    {
        var line = (int)value.Start.Line;
        switch (value)
        {
            case YamlMappingNode map:
                return Map(name, map, context);
            case YamlSequenceNode { Children.Count: 0 }:
                throw new SigmaRuleException(line, $"{name}: the list is empty");
            case YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode):
                return new AtLeastNode(1, list.Children.Select(c => Map(name, (YamlMappingNode)c, context)).ToArray());
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                return Keywords(name, value, list.Children, context);
            case YamlSequenceNode:
                throw new SigmaRuleException(line, $"{name}: a list must hold only maps (any of them) or only keywords");
            case YamlScalarNode scalar when SigmaScalar.From(scalar) is { Kind: not SigmaScalarKind.Null }:
                return Keywords(name, value, [value], context);
            default:
                throw new SigmaRuleException(line, $"{name}: a search identifier must be a map, a list of maps or a list of keywords");
        }
    }

    private static SigmaNode Map(string name, YamlMappingNode map, SigmaParseContext context)
    {
        if (map.Children.Count == 0)
        {
            throw new SigmaRuleException((int)map.Start.Line, $"{name}: the map is empty");
        }

        var entries = new List<SigmaNode>();
        foreach (var (key, value) in map.Children)
        {
            var field = (key as YamlScalarNode)?.Value
                ?? throw new SigmaRuleException((int)key.Start.Line, $"{name}: a field name must be text");
            try
            {
                entries.Add(SigmaEntryParser.Parse(field, value, (int)key.Start.Line, context));
            }
            catch (SigmaRuleException e)
            {
                throw new SigmaRuleException(e.Line, $"{name}: {e.Message}");
            }
        }

        return entries.Count == 1 ? entries[0] : new AllNode(entries);
    }

    private static SigmaEntry Keywords(string name, YamlNode value, IEnumerable<YamlNode> items, SigmaParseContext context)
    {
        foreach (var item in items)
        {
            if (SigmaScalar.From(item) is not { Kind: SigmaScalarKind.String or SigmaScalarKind.Number })
            {
                throw new SigmaRuleException((int)item.Start.Line, $"{name}: a keyword must be a string or a number");
            }
        }

        try
        {
            return SigmaEntryParser.Parse(string.Empty, value, (int)value.Start.Line, context);
        }
        catch (SigmaRuleException e)
        {
            throw new SigmaRuleException(e.Line, $"{name}: {e.Message}");
        }
    }
}
