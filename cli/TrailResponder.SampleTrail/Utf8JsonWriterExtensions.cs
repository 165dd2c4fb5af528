using System.Text.Json;

namespace TrailResponder.SampleTrail;

/// <summary>Small writing shortcuts for the EC2 habit of rendering empty collections as <c>{}</c>.</summary>
internal static class Utf8JsonWriterExtensions
{
    public static void WriteEmptyObject(this Utf8JsonWriter writer, string name)
    {
        writer.WriteStartObject(name);
        writer.WriteEndObject();
    }
}
