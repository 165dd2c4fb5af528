using System.Text;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.SampleTrail;

public class CloudTrailLogFileWriterTests
{
    [Fact]
    public void Gzip_file_decompresses_to_a_records_document_holding_every_record_unchanged()
    {
        var factory = new CloudTrailEventFactory(1, RecordBuilders.BaseTime);
        var records = Enumerable.Range(0, 25).Select(_ => factory.MixedRecord()).ToList();
        using var stream = new MemoryStream();

        var written = CloudTrailLogFileWriter.Write(stream, records);

        Assert.Equal(25, written);
        var parsed = LogFileReading.Records(LogFileReading.Decompress(stream.ToArray()));
        Assert.Equal(records, parsed.Select(r => r.GetRawText()));
    }

    [Fact]
    public void Plain_option_writes_uncompressed_json()
    {
        using var stream = new MemoryStream();

        CloudTrailLogFileWriter.Write(stream, ["""{"eventName":"A"}""", """{"eventName":"B"}"""], LogFileCompression.None);

        Assert.Equal("""{"Records":[{"eventName":"A"},{"eventName":"B"}]}""", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void An_empty_sequence_writes_an_empty_records_array()
    {
        using var stream = new MemoryStream();

        CloudTrailLogFileWriter.Write(stream, [], LogFileCompression.None);

        Assert.Equal("""{"Records":[]}""", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void A_record_that_is_not_one_json_value_is_refused_when_validating()
    {
        using var stream = new MemoryStream();

        Assert.ThrowsAny<Exception>(() => CloudTrailLogFileWriter.Write(stream, ["""{"eventName":"""], LogFileCompression.None));
    }

    [Fact]
    public void The_destination_stream_is_left_open()
    {
        using var stream = new MemoryStream();

        CloudTrailLogFileWriter.Write(stream, ["{}"]);

        Assert.True(stream.CanWrite);
    }

    [Fact]
    public void Same_seed_writes_identical_bytes_and_another_seed_does_not()
    {
        Assert.Equal(MixedFile(5), MixedFile(5));
        Assert.NotEqual(MixedFile(5), MixedFile(6));
    }

    [Fact]
    public void Fifty_thousand_records_stream_to_disk_while_they_are_produced()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sampletrail-{Guid.NewGuid():N}.json.gz");
        try
        {
            long bytesOnDiskHalfway = -1;
            var factory = new CloudTrailEventFactory(50, RecordBuilders.BaseTime);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                // Looking at the file while the writer is still pulling records proves it is not buffering the document.
                IEnumerable<string> Records()
                {
                    for (var i = 0; i < 50_000; i++)
                    {
                        if (i == 25_000)
                        {
                            bytesOnDiskHalfway = file.Length;
                        }

                        yield return factory.MixedRecord();
                    }
                }

                Assert.Equal(50_000, CloudTrailLogFileWriter.Write(file, Records(), validateRecords: false));
                Assert.InRange(bytesOnDiskHalfway, 1_000_000, file.Length / 2 + 1_000_000);
            }

            var json = LogFileReading.Decompress(File.ReadAllBytes(path));
            Assert.Equal(50_000, LogFileReading.CountRecords(json));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Size_bounded_file_reaches_the_requested_uncompressed_size_and_reports_its_record_count()
    {
        using var stream = new MemoryStream();

        var count = CloudTrailLogFileWriter.WriteMixedRecordsOfSize(stream, 2_000_000, seed: 3);

        var json = LogFileReading.Decompress(stream.ToArray());
        Assert.InRange(json.Length, 2_000_000, 2_000_000 + 300_000);
        Assert.Equal(count, LogFileReading.CountRecords(json));
    }

    [Fact]
    public void Mixed_file_of_n_records_holds_n_records()
    {
        using var stream = new MemoryStream();

        Assert.Equal(1234, CloudTrailLogFileWriter.WriteMixedRecords(stream, 1234, seed: 8, LogFileCompression.None));

        Assert.Equal(1234, LogFileReading.CountRecords(stream.ToArray()));
    }

    private static byte[] MixedFile(int seed)
    {
        using var stream = new MemoryStream();
        CloudTrailLogFileWriter.WriteMixedRecords(stream, 500, seed);
        return stream.ToArray();
    }
}
