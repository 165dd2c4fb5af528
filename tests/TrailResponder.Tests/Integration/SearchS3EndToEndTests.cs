using System.Text.Json;
using TrailResponder.Cli;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.Integration;

public class SearchS3EndToEndTests : LocalAwsTest
{
    [Fact]
    public void Searching_an_S3_bucket_pages_through_more_than_a_thousand_keys()
    {
        var factory = new CloudTrailEventFactory(41, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(20));
        for (var i = 0; i < 1_100; i++)
        {
            using var file = new MemoryStream();
            CloudTrailLogFileWriter.Write(file, [i == 700 ? factory.RootApiCall() : factory.ManagementRead()]);
            var minute = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).AddMinutes(i);
            Endpoint.S3.PutObject(Bucket, $"AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_{minute:yyyyMMdd'T'HHmm'Z'}_{i:D16}.json.gz", file.ToArray());
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = CliApp.Run(["search", $"s3://{Bucket}", "--user", "*root*", "--format", "json"], output, error, new CliEnvironment(Environment(), Credentials));

        Assert.Equal(0, exitCode);
        Assert.Contains("searched 1100 log files", error.ToString(), StringComparison.Ordinal);
        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("Root", JsonDocument.Parse(line).RootElement.GetProperty("userIdentity").GetProperty("type").GetString());
        Assert.True(Endpoint.Requests.Of(TrailResponder.LocalAws.ServiceNames.S3, "ListObjectsV2").Count >= 2);
    }
}
