using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrailResponder.LocalAws.Models;

/// <summary>Checks a JSON-protocol body against the input shape's types and member names and returns it as a node tree.</summary>
internal static class JsonInputReader
{
    public static JsonObject Read(Shape input, ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            // AWS JSON services want "{}" for an empty input (aws-wire.md §4); an empty body is a client bug worth surfacing.
            throw new ModelViolationException(ViolationKind.MalformedBody, "Request body is empty; send {} when there are no parameters.");
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ModelViolationException(ViolationKind.MalformedBody, $"Request body is not valid JSON: {e.Message}");
        }
        return (JsonObject)ReadValue(root, input, "")!;
    }

    private static JsonNode? ReadValue(JsonElement element, Shape shape, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        switch (shape.Type)
        {
            case "structure":
                {
                    Expect(element, JsonValueKind.Object, shape, path);
                    var bodyMembers = shape.Members.Where(m => m.Location is null).ToDictionary(m => m.LocationName ?? m.Name, StringComparer.Ordinal);
                    var result = new JsonObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        if (!bodyMembers.TryGetValue(property.Name, out var member))
                        {
                            throw new ModelViolationException(ViolationKind.UnknownParameter, $"Unknown parameter '{Join(path, property.Name)}' for {shape.Name}.");
                        }
                        var value = ReadValue(property.Value, member.Target, Join(path, property.Name));
                        if (value is not null)
                        {
                            result[member.Name] = value;
                        }
                    }
                    return result;
                }
            case "list":
                {
                    Expect(element, JsonValueKind.Array, shape, path);
                    var list = new JsonArray();
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        list.Add(ReadValue(item, shape.ListMember.Target, $"{path}[{index++}]"));
                    }
                    return list;
                }
            case "map":
                {
                    Expect(element, JsonValueKind.Object, shape, path);
                    var map = new JsonObject();
                    foreach (var property in element.EnumerateObject())
                    {
                        map[property.Name] = ReadValue(property.Value, shape.MapValue.Target, Join(path, property.Name));
                    }
                    return map;
                }
            case "string" or "blob":
                Expect(element, JsonValueKind.String, shape, path);
                return JsonValue.Create(element.GetString());
            case "integer" or "long":
                Expect(element, JsonValueKind.Number, shape, path);
                return element.TryGetInt64(out var whole) ? JsonValue.Create(whole) : throw WrongType(shape, path);
            case "double" or "float":
                Expect(element, JsonValueKind.Number, shape, path);
                return JsonValue.Create(element.GetDouble());
            case "boolean":
                return element.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? JsonValue.Create(element.GetBoolean())
                    : throw WrongType(shape, path);
            case "timestamp":
                // JSON protocols send epoch seconds; ISO strings are accepted as botocore also parses them.
                return element.ValueKind switch
                {
                    JsonValueKind.Number => JsonValue.Create(element.GetDouble()),
                    JsonValueKind.String when DateTimeOffset.TryParse(element.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                        => JsonValue.Create(parsed.ToUnixTimeMilliseconds() / 1000.0),
                    _ => throw WrongType(shape, path),
                };
            default:
                throw WrongType(shape, path);
        }
    }

    private static void Expect(JsonElement element, JsonValueKind kind, Shape shape, string path)
    {
        if (element.ValueKind != kind)
        {
            throw WrongType(shape, path);
        }
    }

    private static ModelViolationException WrongType(Shape shape, string path) =>
        new(ViolationKind.InvalidType, $"Expected {shape.Type} ({shape.Name}) at '{(path.Length == 0 ? "$" : path)}'.");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
