using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TrailResponder.LocalAws.Signing;

namespace TrailResponder.LocalAws.Protocol;

/// <summary>
/// Decodes the aws-chunked content encoding S3 clients use for streaming uploads:
/// "hex-size[;chunk-signature=...]\r\n data \r\n" repeated, a zero-size chunk, then optional trailer lines.
/// With a signature chain every chunk signature (and a trailer signature, when sent) is verified.
/// </summary>
internal static class AwsChunkedDecoder
{
    private const string SignatureExtension = "chunk-signature=";
    private const string TrailerSignatureHeader = "x-amz-trailer-signature";

    /// <exception cref="FormatException">The body is not well-formed aws-chunked.</exception>
    /// <exception cref="InvalidDataException">A chunk or trailer signature does not match.</exception>
    public static byte[] Decode(byte[] encoded, ChunkSignatureChain? chain = null)
    {
        using var decoded = new MemoryStream();
        var previous = chain?.SeedSignature;
        var position = 0;
        while (true)
        {
            var header = ReadLine(encoded, ref position) ?? throw new FormatException("aws-chunked body ended inside a chunk header.");
            var parts = header.Split(';', 2);
            if (!int.TryParse(parts[0].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new FormatException($"Invalid aws-chunked chunk size '{parts[0]}'.");
            }
            if (position + size > encoded.Length)
            {
                throw new FormatException("aws-chunked chunk is shorter than its declared size.");
            }
            var chunk = encoded.AsSpan(position, size);
            if (chain is not null)
            {
                var sent = parts.Length == 2 && parts[1].StartsWith(SignatureExtension, StringComparison.Ordinal) ? parts[1][SignatureExtension.Length..] : "";
                var expected = chain.ChunkSignature(previous!, chunk);
                if (!Same(sent, expected))
                {
                    throw new InvalidDataException("The chunk signature we calculated does not match the signature you provided.");
                }
                previous = expected;
            }
            if (size == 0)
            {
                VerifyTrailers(encoded, position, chain, previous);
                return decoded.ToArray();
            }
            decoded.Write(chunk);
            position += size;
            if (ReadLine(encoded, ref position) is not "")
            {
                throw new FormatException("aws-chunked chunk is longer than its declared size.");
            }
        }
    }

    private static void VerifyTrailers(byte[] encoded, int position, ChunkSignatureChain? chain, string? previous)
    {
        var canonical = new StringBuilder();
        string? signature = null;
        while (ReadLine(encoded, ref position) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? line : line[..colon].Trim().ToLowerInvariant();
            var value = colon < 0 ? "" : line[(colon + 1)..].Trim();
            if (name == TrailerSignatureHeader)
            {
                signature = value;
            }
            else
            {
                canonical.Append(name).Append(':').Append(value).Append('\n');
            }
        }
        if (chain is not null && signature is not null && !Same(signature, chain.TrailerSignature(previous!, canonical.ToString())))
        {
            throw new InvalidDataException("The trailer signature we calculated does not match the signature you provided.");
        }
    }

    private static bool Same(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sent), Encoding.ASCII.GetBytes(expected));

    private static string? ReadLine(byte[] data, ref int position)
    {
        for (var i = position; i + 1 < data.Length; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n')
            {
                var line = Encoding.ASCII.GetString(data, position, i - position);
                position = i + 2;
                return line;
            }
        }
        return null;
    }
}
