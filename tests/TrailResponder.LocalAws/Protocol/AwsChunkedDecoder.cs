using System.Globalization;
using System.Text;

namespace TrailResponder.LocalAws.Protocol;

/// <summary>
/// Decodes the aws-chunked content encoding S3 clients use for streaming uploads:
/// "hex-size[;chunk-signature=...]\r\n data \r\n" repeated, a zero-size chunk, then optional trailer lines.
/// Chunk and trailer signatures are not verified (the seed signature over the headers is).
/// </summary>
internal static class AwsChunkedDecoder
{
    public static byte[] Decode(byte[] encoded)
    {
        using var decoded = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = IndexOfCrLf(encoded, position);
            if (lineEnd < 0)
            {
                throw new FormatException("aws-chunked body ended inside a chunk header.");
            }
            var header = Encoding.ASCII.GetString(encoded, position, lineEnd - position);
            var sizeText = header.Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new FormatException($"Invalid aws-chunked chunk size '{sizeText}'.");
            }
            position = lineEnd + 2;
            if (size == 0)
            {
                return decoded.ToArray();
            }
            if (position + size + 2 > encoded.Length || encoded[position + size] != '\r' || encoded[position + size + 1] != '\n')
            {
                throw new FormatException("aws-chunked chunk is shorter than its declared size.");
            }
            decoded.Write(encoded, position, size);
            position += size + 2;
        }
    }

    private static int IndexOfCrLf(byte[] data, int start)
    {
        for (var i = start; i + 1 < data.Length; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n')
            {
                return i;
            }
        }
        return -1;
    }
}
