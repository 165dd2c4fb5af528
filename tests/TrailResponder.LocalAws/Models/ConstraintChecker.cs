using System.Globalization;
using System.Text.Json.Nodes;

namespace TrailResponder.LocalAws.Models;

/// <summary>Checks a parsed input tree against the model's required members, min/max and enum traits.</summary>
internal static class ConstraintChecker
{
    /// <param name="input">The parsed input.</param>
    /// <param name="shape">Its shape.</param>
    /// <param name="serviceChecksRequired">Structures whose required members the service reports itself (Security Hub fails single findings, not the call).</param>
    public static void Check(JsonNode? input, Shape shape, IReadOnlySet<string> serviceChecksRequired) =>
        Check(input, shape, "", serviceChecksRequired);

    private static void Check(JsonNode? node, Shape shape, string path, IReadOnlySet<string> serviceChecksRequired)
    {
        if (node is null)
        {
            return;
        }
        switch (shape.Type)
        {
            case "structure":
                {
                    var obj = node.AsObject();
                    foreach (var member in shape.Members)
                    {
                        var value = obj[member.Name];
                        var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
                        if (value is null)
                        {
                            if (shape.Required.Contains(member.Name) && !serviceChecksRequired.Contains(shape.Name))
                            {
                                throw new ModelViolationException(ViolationKind.MissingParameter, $"The request must contain the parameter {memberPath}");
                            }
                            continue;
                        }
                        Check(value, member.Target, memberPath, serviceChecksRequired);
                    }
                    break;
                }
            case "list":
                {
                    var list = node.AsArray();
                    Range(shape, list.Count, path, "length");
                    for (var i = 0; i < list.Count; i++)
                    {
                        Check(list[i], shape.ListMember.Target, $"{path}[{i}]", serviceChecksRequired);
                    }
                    break;
                }
            case "map":
                {
                    var map = node.AsObject();
                    Range(shape, map.Count, path, "length");
                    foreach (var (key, value) in map)
                    {
                        Check(value, shape.MapValue.Target, $"{path}.{key}", serviceChecksRequired);
                    }
                    break;
                }
            case "string":
                {
                    var text = node.GetValue<string>();
                    Range(shape, text.Length, path, "length");
                    if (shape.Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                    {
                        throw Violation(text, path, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
                    }
                    break;
                }
            case "integer" or "long":
                Range(shape, node.GetValue<long>(), path, "value");
                break;
        }
    }

    private static void Range(Shape shape, double value, string path, string what)
    {
        if (shape.Min is { } min && value < min)
        {
            throw Violation(value.ToString(CultureInfo.InvariantCulture), path, $"Member must have {what} greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}");
        }
        if (shape.Max is { } max && value > max)
        {
            throw Violation(value.ToString(CultureInfo.InvariantCulture), path, $"Member must have {what} less than or equal to {max.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    // The wording follows AWS's own "1 validation error detected" messages.
    private static ModelViolationException Violation(string value, string path, string constraint) =>
        new(ViolationKind.InvalidValue, $"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: {constraint}");
}
