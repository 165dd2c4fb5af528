using System.Text;
using TrailResponder.LocalAws.Protocol;

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
}
