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

    public static string Document(IEnumerable<string> records) => "{\"Records\":[" + string.Join(",", records) + "]}";

    public static string Record(int i, int padding = 0) =>
        $$"""{"eventVersion":"1.09","eventID":"00000000-0000-0000-0000-{{i:D12}}","eventTime":"2024-05-06T08:15:42Z","eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com","awsRegion":"us-east-1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","userName":"alice","accountId":"111122223333"},"requestParameters":{"pad":"{{new string('x', padding)}}"},"readOnly":true}""";
}
