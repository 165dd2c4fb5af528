using System.Text;
using TrailResponder.LocalAws.Protocol;
using TrailResponder.LocalAws.Signing;

namespace TrailResponder.Tests.LocalAws;

public class AwsChunkedDecoderTests
{
    [Fact]
    public void Unsigned_chunks_with_a_trailing_checksum_decode_to_the_payload()
    {
        var encoded = Encoding.ASCII.GetBytes("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n");

        Assert.Equal("hello world", Encoding.ASCII.GetString(AwsChunkedDecoder.Decode(encoded)));
    }

    [Fact]
    public void Signed_chunk_headers_are_stripped()
    {
        var encoded = Encoding.ASCII.GetBytes($"3;chunk-signature={new string('a', 64)}\r\nabc\r\n0;chunk-signature={new string('b', 64)}\r\n\r\n");

        Assert.Equal("abc", Encoding.ASCII.GetString(AwsChunkedDecoder.Decode(encoded)));
    }

    [Fact]
    public void Chunk_shorter_than_its_declared_size_is_rejected()
    {
        Assert.Throws<FormatException>(() => AwsChunkedDecoder.Decode(Encoding.ASCII.GetBytes("a\r\nshort\r\n0\r\n\r\n")));
    }

    private static readonly ChunkSignatureChain Chain = new(
        SigV4Algorithm.SigningKey("local-test-secret", "20250102", "us-east-1", "s3"), "20250102T030405Z", "20250102/us-east-1/s3/aws4_request", new string('5', 64));

    private static byte[] SignedBody(string payload, string? tamperedPayload = null)
    {
        var first = Chain.ChunkSignature(Chain.SeedSignature, Encoding.ASCII.GetBytes(payload));
        var last = Chain.ChunkSignature(first, []);
        var trailer = Chain.TrailerSignature(last, "x-amz-checksum-crc32:AAAAAA==\n");
        var sent = tamperedPayload ?? payload;
        return Encoding.ASCII.GetBytes($"{sent.Length:x};chunk-signature={first}\r\n{sent}\r\n0;chunk-signature={last}\r\nx-amz-checksum-crc32:AAAAAA==\r\nx-amz-trailer-signature:{trailer}\r\n\r\n");
    }

    [Fact]
    public void Correctly_chained_chunk_and_trailer_signatures_are_accepted()
    {
        Assert.Equal("hello", Encoding.ASCII.GetString(AwsChunkedDecoder.Decode(SignedBody("hello"), Chain)));
    }

    [Fact]
    public void Chunk_altered_after_signing_is_rejected()
    {
        Assert.Throws<InvalidDataException>(() => AwsChunkedDecoder.Decode(SignedBody("hello", tamperedPayload: "jello"), Chain));
    }

    [Fact]
    public void Trailer_altered_after_signing_is_rejected()
    {
        var body = Encoding.ASCII.GetString(SignedBody("hello")).Replace("AAAAAA==", "BBBBBB==", StringComparison.Ordinal);

        Assert.Throws<InvalidDataException>(() => AwsChunkedDecoder.Decode(Encoding.ASCII.GetBytes(body), Chain));
    }
}
