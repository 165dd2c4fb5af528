using System.IO.Compression;
using System.Text.Json;

namespace TrailResponder.Tests.SampleTrail;

/// <summary>Reads log files back the way a consumer would, to check what the writer produced.</summary>
internal static class LogFileReading
{
    public static byte[] Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public static List<JsonElement> Records(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["Records"], root.EnumerateObject().Select(p => p.Name).ToArray());
        return [.. root.GetProperty("Records").EnumerateArray().Select(r => r.Clone())];
    }

    /// <summary>Counts the record objects without building a document, so large files stay cheap to check.</summary>
    public static int CountRecords(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 2)
            {
                count++;
            }
        }

        return count;
    }
}
