using System.Globalization;
using System.Text.Json.Nodes;

namespace TrailResponder.LocalAws.Models;

/// <summary>Turns a text value from a form, query string or header into the JSON value its scalar shape calls for.</summary>
internal static class ScalarParser
{
    public static JsonNode Parse(Shape shape, string wireName, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (shape.Type)
        {
            case "string":
                return JsonValue.Create(text);
            case "integer" or "long":
                return long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var whole)
                    ? JsonValue.Create(whole)
                    : throw Invalid(shape, wireName, text);
            case "double" or "float":
                return double.TryParse(text, NumberStyles.Float, invariant, out var real)
                    ? JsonValue.Create(real)
                    : throw Invalid(shape, wireName, text);
            case "boolean":
                return text switch
                {
                    "true" => JsonValue.Create(true),
                    "false" => JsonValue.Create(false),
                    _ => throw Invalid(shape, wireName, text),
                };
            case "timestamp":
                return DateTimeOffset.TryParse(text, invariant, DateTimeStyles.AssumeUniversal, out _)
                    || double.TryParse(text, NumberStyles.Float, invariant, out _)
                    ? JsonValue.Create(text)
                    : throw Invalid(shape, wireName, text);
            case "blob":
                return JsonValue.Create(text);
            default:
                throw Invalid(shape, wireName, text);
        }
    }

    private static ModelViolationException Invalid(Shape shape, string wireName, string text) =>
        new(ViolationKind.InvalidType, $"Invalid value '{text}' for {wireName}: expected {shape.Type}.");
}
