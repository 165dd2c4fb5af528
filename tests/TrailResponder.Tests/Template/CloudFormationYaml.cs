using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TrailResponder.Tests.Template;

/// <summary>
/// Reads a CloudFormation YAML template into JSON the way CloudFormation does: short-form tags (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!GetAtt</c>...) become their long forms and plain scalars get YAML's core-schema types.
/// </summary>
public static partial class CloudFormationYaml
{
    // The tags whose long form is "Fn::" + the tag name.
    private static readonly HashSet<string> FunctionTags =
    [
        "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
        "If", "Equals", "Not", "And", "Or", "Length", "ToJsonString",
    ];

    /// <summary>The template as a JSON object.</summary>
    /// <exception cref="FormatException">The text is not one YAML mapping, or uses a tag CloudFormation does not know.</exception>
    public static JsonObject Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"The template is not YAML: {e.Message}", e);
        }

        if (stream.Documents.Count != 1 || Convert(stream.Documents[0].RootNode) is not JsonObject root)
        {
            throw new FormatException("The template must be exactly one YAML mapping.");
        }

        return root;
    }

    private static JsonNode? Convert(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is not null && tag.StartsWith('!'))
        {
            return ShortForm(tag[1..], node);
        }

        return Untagged(node);
    }

    private static JsonNode? Untagged(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"Unsupported YAML node at {node.Start}."),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            if (result.ContainsKey(name))
            {
                throw new FormatException($"Duplicate key '{name}' at {key.Start}: CloudFormation rejects it.");
            }

            result[name] = Convert(value);
        }

        return result;
    }

    private static JsonNode ShortForm(string name, YamlNode node)
    {
        switch (name)
        {
            case "Ref":
                return new JsonObject { ["Ref"] = ScalarText(node, name) };
            case "Condition":
                return new JsonObject { ["Condition"] = ScalarText(node, name) };
            case "GetAtt" when node is YamlScalarNode:
                // The scalar form is "Resource.Attribute"; only the first dot separates them (attributes can contain dots).
                var text = ScalarText(node, name);
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0 || dot == text.Length - 1)
                {
                    throw new FormatException($"!GetAtt '{text}' at {node.Start} is not Resource.Attribute.");
                }

                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(text[..dot], text[(dot + 1)..]) };
            case "GetAtt":
                return new JsonObject { ["Fn::GetAtt"] = Untagged(node) };
            default:
                if (!FunctionTags.Contains(name))
                {
                    throw new FormatException($"Unknown tag !{name} at {node.Start}.");
                }

                return new JsonObject { ["Fn::" + name] = Untagged(node) };
        }
    }

    private static string ScalarText(YamlNode node, string tag) =>
        node is YamlScalarNode { Value: { } value } ? value : throw new FormatException($"!{tag} at {node.Start} takes a scalar.");

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        // YAML 1.2 core schema: what an unquoted scalar means.
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
