using System.Text;
using System.Text.Json.Nodes;

namespace TrailResponder.Tests.Template;

/// <summary>
/// Resolves CloudFormation intrinsic functions in a template for one set of parameter values, as a deployment would:
/// conditions are evaluated, <c>AWS::NoValue</c> removes what it stands for, and resources resolve to the values a test
/// gives them (the local endpoint's topic, a role ARN...) or to readable placeholders.
/// </summary>
public sealed class TemplateEvaluator
{
    /// <summary>The stack id used for <c>AWS::StackId</c>: its last group is the created bucket's suffix.</summary>
    public const string StackId = "arn:aws:cloudformation:us-east-1:111122223333:stack/trailresponder/1b2c3d4e-5f60-4718-a9b0-c1d2e3f4a5b6";

    private const string NoValueMarker = "\u0000AWS::NoValue";
    private readonly JsonObject _template;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly IReadOnlyDictionary<string, string> _resourceValues;
    private readonly Dictionary<string, string> _pseudo;
    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);

    /// <summary>Evaluates <paramref name="template"/> with the parameter defaults overridden by <paramref name="parameters"/>.</summary>
    /// <param name="template">The parsed template.</param>
    /// <param name="parameters">Parameter values that replace the defaults.</param>
    /// <param name="resourceValues">What <c>Ref X</c> or <c>GetAtt X.Attr</c> (key <c>X.Attr</c>) resolve to.</param>
    /// <param name="accountId">AWS::AccountId.</param>
    /// <param name="region">AWS::Region.</param>
    public TemplateEvaluator(JsonObject template, IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? resourceValues = null, string accountId = "111122223333", string region = "us-east-1")
    {
        _template = template;
        _resourceValues = resourceValues ?? new Dictionary<string, string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, definition) in template["Parameters"]?.AsObject() ?? [])
        {
            if (definition?["Default"] is { } value)
            {
                values[name] = value.ToString();
            }
        }

        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            values[name] = value;
        }

        _parameters = values;
        _pseudo = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS::AccountId"] = accountId,
            ["AWS::Region"] = region,
            ["AWS::Partition"] = "aws",
            ["AWS::URLSuffix"] = "amazonaws.com",
            ["AWS::StackName"] = "trailresponder",
            ["AWS::StackId"] = StackId,
        };
    }

    /// <summary>Whether the named condition holds for these parameters.</summary>
    public bool Condition(string name)
    {
        if (!_conditions.TryGetValue(name, out var value))
        {
            var definition = _template["Conditions"]?[name] ?? throw new KeyNotFoundException($"No condition '{name}'.");
            value = Truth(Resolve(definition));
            _conditions[name] = value;
        }

        return value;
    }

    /// <summary>Whether the resource exists for these parameters (it has no condition, or its condition holds).</summary>
    public bool Exists(string logicalId) =>
        _template["Resources"]?[logicalId]?["Condition"]?.GetValue<string>() is not { } condition || Condition(condition);

    /// <summary>The node with every intrinsic function resolved; null when it is <c>AWS::NoValue</c>.</summary>
    public JsonNode? Resolve(JsonNode? node)
    {
        var value = Evaluate(node);
        return IsNoValue(value) ? null : value;
    }

    /// <summary>The resolved node as a string.</summary>
    public string Text(JsonNode? node) => Resolve(node) is JsonValue value ? value.ToString() : throw new FormatException($"'{node?.ToJsonString()}' does not resolve to a scalar.");

    private JsonNode? Evaluate(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    var value = Evaluate(item);
                    if (!IsNoValue(value))
                    {
                        items.Add(value);
                    }
                }

                return items;
            case JsonObject obj when obj.Count == 1 && IsIntrinsic(obj.First().Key):
                var (name, argument) = obj.First();
                return Intrinsic(name, argument);
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    var value = Evaluate(child);
                    if (!IsNoValue(value))
                    {
                        result[key] = value;
                    }
                }

                return result;
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsIntrinsic(string key) => key is "Ref" or "Condition" || key.StartsWith("Fn::", StringComparison.Ordinal);

    private JsonNode? Intrinsic(string name, JsonNode? argument)
    {
        switch (name)
        {
            case "Ref":
                return Reference(argument!.GetValue<string>());
            case "Condition":
                return JsonValue.Create(Condition(argument!.GetValue<string>()));
            case "Fn::If":
                var branches = argument!.AsArray();
                // Only the chosen branch is evaluated, as CloudFormation does.
                return Evaluate(Condition(branches[0]!.GetValue<string>()) ? branches[1] : branches[2]);
            case "Fn::Equals":
                var pair = Evaluate(argument)!.AsArray();
                return JsonValue.Create(Scalar(pair[0]) == Scalar(pair[1]));
            case "Fn::Not":
                return JsonValue.Create(!Truth(Evaluate(argument)!.AsArray()[0]));
            case "Fn::And":
                return JsonValue.Create(Evaluate(argument)!.AsArray().All(Truth));
            case "Fn::Or":
                return JsonValue.Create(Evaluate(argument)!.AsArray().Any(Truth));
            case "Fn::Select":
                var select = Evaluate(argument)!.AsArray();
                return select[1]!.AsArray()[int.Parse(Scalar(select[0]), System.Globalization.CultureInfo.InvariantCulture)]!.DeepClone();
            case "Fn::Split":
                var split = Evaluate(argument)!.AsArray();
                return new JsonArray([.. Scalar(split[1]).Split(Scalar(split[0])).Select(part => (JsonNode?)JsonValue.Create(part))]);
            case "Fn::Join":
                var join = Evaluate(argument)!.AsArray();
                return JsonValue.Create(string.Join(Scalar(join[0]), join[1]!.AsArray().Select(Scalar)));
            case "Fn::Sub":
                return JsonValue.Create(Substitute(argument));
            case "Fn::GetAtt":
                var target = argument is JsonArray parts ? $"{parts[0]}.{parts[1]}" : argument!.GetValue<string>();
                return JsonValue.Create(Attribute(target));
            case "Fn::FindInMap":
                var keys = Evaluate(argument)!.AsArray().Select(Scalar).ToArray();
                return _template["Mappings"]![keys[0]]![keys[1]]![keys[2]]!.DeepClone();
            default:
                throw new NotSupportedException($"{name} is not evaluated by the tests.");
        }
    }

    private JsonNode? Reference(string name)
    {
        if (name == "AWS::NoValue")
        {
            return JsonValue.Create(NoValueMarker);
        }

        if (_pseudo.TryGetValue(name, out var pseudo))
        {
            return JsonValue.Create(pseudo);
        }

        if (_parameters.TryGetValue(name, out var parameter))
        {
            return _template["Parameters"]?[name]?["Type"]?.GetValue<string>() == "CommaDelimitedList"
                ? new JsonArray([.. parameter.Split(',').Select(part => (JsonNode?)JsonValue.Create(part))])
                : JsonValue.Create(parameter);
        }

        return JsonValue.Create(ResourceValue(name));
    }

    private string ResourceValue(string logicalId)
    {
        if (_resourceValues.TryGetValue(logicalId, out var value))
        {
            return value;
        }

        if (_template["Resources"]?[logicalId] is null && !IsSamGenerated(logicalId))
        {
            throw new KeyNotFoundException($"Ref {logicalId}: no such parameter or resource.");
        }

        return logicalId;
    }

    private string Attribute(string target)
    {
        if (_resourceValues.TryGetValue(target, out var value))
        {
            return value;
        }

        var logicalId = target[..target.IndexOf('.', StringComparison.Ordinal)];
        return _template["Resources"]?[logicalId] is null && !IsSamGenerated(logicalId)
            ? throw new KeyNotFoundException($"GetAtt {target}: no such resource.")
            : $"arn:aws:placeholder:us-east-1:111122223333:{target}";
    }

    // SAM generates "<Function>Role" for a function without a Role property.
    private bool IsSamGenerated(string logicalId) =>
        logicalId.EndsWith("Role", StringComparison.Ordinal)
        && _template["Resources"]?[logicalId[..^"Role".Length]]?["Type"]?.GetValue<string>() == "AWS::Serverless::Function";

    private string Substitute(JsonNode? argument)
    {
        string text;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (argument is JsonArray pair)
        {
            text = pair[0]!.GetValue<string>();
            foreach (var (name, value) in pair[1]!.AsObject())
            {
                variables[name] = Scalar(Evaluate(value));
            }
        }
        else
        {
            text = argument!.GetValue<string>();
        }

        var output = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf("${", position, StringComparison.Ordinal);
            if (start < 0)
            {
                output.Append(text, position, text.Length - position);
                break;
            }

            output.Append(text, position, start - position);
            var end = text.IndexOf('}', start);
            var name = text[(start + 2)..end];
            if (name.StartsWith('!'))
            {
                output.Append("${").Append(name[1..]).Append('}');
            }
            else if (variables.TryGetValue(name, out var variable))
            {
                output.Append(variable);
            }
            else if (name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal))
            {
                output.Append(Attribute(name));
            }
            else
            {
                output.Append(Scalar(Reference(name)));
            }

            position = end + 1;
        }

        return output.ToString();
    }

    private static bool IsNoValue(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text == NoValueMarker;

    private static string Scalar(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        _ => throw new FormatException($"'{node?.ToJsonString()}' is not a scalar."),
    };

    private static bool Truth(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var truth)
        ? truth
        : throw new FormatException($"'{node?.ToJsonString()}' is not a condition value.");
}
