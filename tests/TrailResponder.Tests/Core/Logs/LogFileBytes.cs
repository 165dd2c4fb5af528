using System.IO.Compression;
using System.Text;

namespace TrailResponder.Tests.Core.Logs;

/// <summary>Builds log-file bytes for reader tests.</summary>
internal static class LogFileBytes
{
    public static byte[] Gzip(string text) => Gzip(Encoding.UTF8.GetBytes(text));

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>Gzip of <paramref name="head"/>, <paramref name="count"/> times <paramref name="element"/>, <paramref name="tail"/>, written as a stream.</summary>
    public static byte[] GzipRepeated(string head, string element, int count, string tail)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(head));
            var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(element, 1000)));
            for (var i = 0; i < count / 1000; i++)
            {
                gzip.Write(chunk);
            }

            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(element, count % 1000)) + tail));
        }

        return output.ToArray();
    }

    public static string Document(IEnumerable<string> records) => "{\"Records\":[" + string.Join(",", records) + "]}";

    public static string Record(int i, int padding = 0) =>
        $$"""{"eventVersion":"1.09","eventID":"00000000-0000-0000-0000-{{i:D12}}","eventTime":"2024-05-06T08:15:42Z","eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com","awsRegion":"us-east-1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","userName":"alice","accountId":"111122223333"},"requestParameters":{"pad":"{{new string('x', padding)}}"},"readOnly":true}""";

    /// <summary>A record object nested <paramref name="levels"/> deep (the object itself is level 1), arrays inside.</summary>
    public static string Nested(int levels) =>
        "{\"eventName\":\"Deep\",\"requestParameters\":" + new string('[', levels - 1) + new string(']', levels - 1) + "}";

    /// <summary>The gzip member with an FNAME field that pads it to a multiple of <paramref name="multiple"/> bytes.</summary>
    /// <remarks>Puts the end of the member exactly on a boundary of the decompressor's reads (8 KB).</remarks>
    public static byte[] PaddedTo(byte[] gzip, int multiple)
    {
        var name = (multiple - ((gzip.Length + 1) % multiple)) % multiple;
        var padded = new byte[gzip.Length + name + 1];
        gzip.AsSpan(0, 10).CopyTo(padded);
        padded[3] |= 0x08;
        padded.AsSpan(10, name).Fill((byte)'n');
        gzip.AsSpan(10).CopyTo(padded.AsSpan(10 + name + 1));
        return padded;
    }
}
