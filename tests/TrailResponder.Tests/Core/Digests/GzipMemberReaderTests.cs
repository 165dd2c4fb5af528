using System.Text;
using TrailResponder.Core.Digests;

namespace TrailResponder.Tests.Core.Digests;

public class GzipMemberReaderTests
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"{{\"record\":{i}}},")));

    [Fact]
    public async Task Single_member_is_decompressed_completely()
    {
        var (result, output) = await Read(SignedTrailBuilder.Gzip(Data), requireSingleMember: true);

        Assert.Equal(GzipReadStatus.Complete, result.Status);
        Assert.Equal(Data, output);
    }

    [Fact]
    public async Task Second_member_is_reported_for_log_files_and_ignored_for_digests_like_the_aws_cli()
    {
        var twoMembers = SignedTrailBuilder.Gzip(Data).Concat(SignedTrailBuilder.Gzip("more"u8.ToArray())).ToArray();

        var (strict, _) = await Read(twoMembers, requireSingleMember: true);
        var (lenient, output) = await Read(twoMembers, requireSingleMember: false);

        Assert.Equal(GzipReadStatus.UnexpectedTrailingData, strict.Status);
        Assert.Equal(GzipReadStatus.Complete, lenient.Status);
        Assert.Equal(Data, output);
    }

    [Fact]
    public async Task Garbage_after_the_member_is_reported()
    {
        var (result, _) = await Read([.. SignedTrailBuilder.Gzip(Data), .. "garbage!!"u8.ToArray()], requireSingleMember: true);

        Assert.Equal(GzipReadStatus.UnexpectedTrailingData, result.Status);
    }

    [Fact]
    public async Task Truncated_stream_is_not_accepted()
    {
        var gz = SignedTrailBuilder.Gzip(Data);

        var (result, _) = await Read(gz[..(gz.Length / 2)], requireSingleMember: true);

        Assert.NotEqual(GzipReadStatus.Complete, result.Status);
    }

    [Fact]
    public async Task Corrupt_crc_is_invalid_format()
    {
        var gz = SignedTrailBuilder.Gzip(Data);
        gz[^8] ^= 0xff;

        var (result, _) = await Read(gz, requireSingleMember: true);

        Assert.Equal(GzipReadStatus.InvalidFormat, result.Status);
        Assert.Contains("CRC-32", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x1f, 0x8b, 8 })]
    [InlineData(new byte[] { (byte)'{', (byte)'}', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public async Task Bytes_that_are_not_gzip_are_invalid_format(byte[] bytes)
    {
        var (result, _) = await Read(bytes, requireSingleMember: true);

        Assert.Equal(GzipReadStatus.InvalidFormat, result.Status);
    }

    [Fact]
    public async Task Header_with_file_name_and_comment_is_skipped()
    {
        var gz = SignedTrailBuilder.Gzip(Data);
        byte[] withName = [0x1f, 0x8b, 8, 0x18, .. gz[4..10], .. "log.json\0"u8.ToArray(), .. "note\0"u8.ToArray(), .. gz[10..]];

        var (result, output) = await Read(withName, requireSingleMember: true);

        Assert.Equal(GzipReadStatus.Complete, result.Status);
        Assert.Equal(Data, output);
    }

    [Fact]
    public async Task Decompression_stops_at_the_limit()
    {
        var (result, output) = await Read(SignedTrailBuilder.Gzip(Data), requireSingleMember: true, limit: 1000);

        Assert.Equal(GzipReadStatus.LimitExceeded, result.Status);
        Assert.True(output.Length <= 1000);
    }

    private static async Task<(GzipReadResult Result, byte[] Output)> Read(byte[] compressed, bool requireSingleMember, long limit = long.MaxValue)
    {
        using var output = new MemoryStream();
        var result = await GzipMemberReader.ReadFirstMemberAsync(new MemoryStream(compressed), chunk => output.Write(chunk.Span), limit, requireSingleMember, CancellationToken.None);
        return (result, output.ToArray());
    }
}
