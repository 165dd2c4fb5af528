using System.Text;
using System.Text.Json;
using TrailResponder.Core.Logs;

namespace TrailResponder.Tests.Core.Logs;

public class CloudTrailLogReaderTests
{
    private static (List<CloudTrailRecord> Records, LogFileException? Error, CloudTrailLogReader Reader) ReadAll(byte[] bytes, LogReaderOptions? options = null)
    {
        var reader = new CloudTrailLogReader(new MemoryStream(bytes), "test.json.gz", options);
        var records = new List<CloudTrailRecord>();
        try
        {
            while (reader.Read() is { } record)
            {
                records.Add(record);
            }

            return (records, null, reader);
        }
        catch (LogFileException e)
        {
            return (records, e, reader);
        }
    }

    [Fact]
    public void Gzip_records_come_back_byte_for_byte_in_order()
    {
        var texts = Enumerable.Range(0, 50).Select(i => LogFileBytes.Record(i)).ToList();

        var (records, error, reader) = ReadAll(LogFileBytes.Gzip(LogFileBytes.Document(texts)));

        Assert.Null(error);
        Assert.True(reader.IsGzip);
        Assert.Equal(texts, records.Select(r => Encoding.UTF8.GetString(r.Json.Span)));
        Assert.Equal(Enumerable.Range(0, 50), records.Select(r => r.Index));
    }

    [Fact]
    public void Plain_json_with_whitespace_and_a_byte_order_mark_is_read_too()
    {
        var text = "\uFEFF{\n  \"Records\" : [\n    " + LogFileBytes.Record(1) + " ,\n " + LogFileBytes.Record(2) + "\n  ]\n}\n";

        var (records, error, reader) = ReadAll(Encoding.UTF8.GetBytes(text));

        Assert.Null(error);
        Assert.False(reader.IsGzip);
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void Records_spanning_many_buffer_refills_and_a_huge_record_are_intact()
    {
        var texts = Enumerable.Range(0, 3000).Select(i => LogFileBytes.Record(i, padding: i % 97 * 13)).ToList();
        texts.Insert(1500, LogFileBytes.Record(99999, padding: 3_000_000));

        var (records, error, _) = ReadAll(LogFileBytes.Gzip(LogFileBytes.Document(texts)));

        Assert.Null(error);
        Assert.Equal(texts.Count, records.Count);
        Assert.Equal(texts, records.Select(r => Encoding.UTF8.GetString(r.Json.Span)));
    }

    [Fact]
    public async Task Async_reading_returns_the_same_records()
    {
        var texts = Enumerable.Range(0, 200).Select(i => LogFileBytes.Record(i, padding: i * 50)).ToList();
        using var reader = new CloudTrailLogReader(new MemoryStream(LogFileBytes.Gzip(LogFileBytes.Document(texts))), "a.json.gz");
        var read = new List<string>();
        while (await reader.ReadAsync() is { } record)
        {
            read.Add(Encoding.UTF8.GetString(record.Json.Span));
        }

        Assert.Equal(texts, read);
    }

    [Fact]
    public void Other_top_level_members_around_Records_are_skipped()
    {
        var text = "{\"Before\":{\"x\":[1,2,{\"y\":null}]},\"Records\":[" + LogFileBytes.Record(1) + "],\"After\":\"z\"}";

        var (records, error, _) = ReadAll(LogFileBytes.Gzip(text));

        Assert.Null(error);
        Assert.Single(records);
    }

    [Fact]
    public void An_empty_Records_array_yields_no_records_and_no_error()
    {
        var (records, error, _) = ReadAll(LogFileBytes.Gzip("{\"Records\":[]}"));

        Assert.Null(error);
        Assert.Empty(records);
    }

    [Fact]
    public void Two_gzip_members_are_read_as_one_document()
    {
        var document = Encoding.UTF8.GetBytes(LogFileBytes.Document([LogFileBytes.Record(1), LogFileBytes.Record(2)]));
        var half = document.Length / 2;
        var bytes = LogFileBytes.Gzip(document[..half]).Concat(LogFileBytes.Gzip(document[half..])).ToArray();

        var (records, error, _) = ReadAll(bytes);

        Assert.Null(error);
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void Typed_fields_are_read_from_the_record()
    {
        var json = """{"eventVersion":"1.10","eventID":"e-1","eventTime":"2024-05-06T08:15:42Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","awsRegion":"us-east-1","recipientAccountId":"111122223333","sourceIPAddress":"198.51.100.23","userAgent":"Mozilla/5.0","errorCode":"X","errorMessage":"Failed authentication","readOnly":"false","eventType":"AwsConsoleSignIn","eventCategory":"Management","managementEvent":true,"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/R/s","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","principalId":"AROA:s","invokedBy":"ec2.amazonaws.com","userName":"u","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/R"}}}}""";

        var record = Assert.Single(ReadAll(LogFileBytes.Gzip(LogFileBytes.Document([json]))).Records);

        Assert.Equal("1.10", record.EventVersion);
        Assert.Equal("e-1", record.EventId);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 8, 15, 42, TimeSpan.Zero), record.EventTime);
        Assert.Equal("ConsoleLogin", record.EventName);
        Assert.Equal("signin.amazonaws.com", record.EventSource);
        Assert.Equal("us-east-1", record.AwsRegion);
        Assert.Equal("111122223333", record.RecipientAccountId);
        Assert.Equal("198.51.100.23", record.SourceIpAddress);
        Assert.Equal("Mozilla/5.0", record.UserAgent);
        Assert.Equal("X", record.ErrorCode);
        Assert.Equal("Failed authentication", record.ErrorMessage);
        Assert.False(record.ReadOnly);
        Assert.True(record.ManagementEvent);
        Assert.Equal("AwsConsoleSignIn", record.EventType);
        Assert.Equal("Management", record.EventCategory);
        Assert.Equal(
            new UserIdentity("AssumedRole", "arn:aws:sts::111122223333:assumed-role/R/s", "u", "111122223333", "ec2.amazonaws.com", "AROA:s", "ASIAEXAMPLE", "arn:aws:iam::111122223333:role/R"),
            record.UserIdentity);
        Assert.Equal("arn:aws:iam::111122223333:role/R", record.Select(TrailResponder.Core.Json.FieldPath.Parse("$.userIdentity.sessionContext.sessionIssuer.arn"))!.Value.GetString());
    }

    [Fact]
    public void A_record_without_userIdentity_has_no_identity()
    {
        var record = Assert.Single(ReadAll(LogFileBytes.Gzip("{\"Records\":[{\"eventType\":\"AwsCloudTrailInsight\"}]}")).Records);

        Assert.Null(record.UserIdentity);
        Assert.Null(record.EventName);
    }

    [Fact]
    public void A_gzip_cut_in_the_middle_reports_truncation_after_the_records_before_the_cut()
    {
        var texts = Enumerable.Range(0, 2000).Select(i => LogFileBytes.Record(i, padding: 40)).ToList();
        var bytes = LogFileBytes.Gzip(LogFileBytes.Document(texts));

        var (records, error, _) = ReadAll(bytes[..(bytes.Length / 2)]);

        Assert.NotNull(error);
        Assert.Equal(LogFileFault.TruncatedGzip, error.Fault);
        Assert.Contains("test.json.gz", error.Message, StringComparison.Ordinal);
        Assert.Contains("compressed byte", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(records);
        Assert.Equal(texts.Take(records.Count), records.Select(r => Encoding.UTF8.GetString(r.Json.Span)));
    }

    [Fact]
    public void A_gzip_cut_anywhere_is_reported_as_truncated_never_as_bad_json()
    {
        var texts = Enumerable.Range(0, 300).Select(i => LogFileBytes.Record(i, padding: i % 7)).ToList();
        var bytes = LogFileBytes.Gzip(LogFileBytes.Document(texts));
        for (var length = 11; length < bytes.Length; length += 37)
        {
            var (_, error, _) = ReadAll(bytes[..length]);

            Assert.Equal(LogFileFault.TruncatedGzip, error?.Fault);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void A_gzip_missing_only_its_trailer_is_still_reported_truncated(int cut)
    {
        var texts = Enumerable.Range(0, 10).Select(i => LogFileBytes.Record(i)).ToList();
        var bytes = LogFileBytes.Gzip(LogFileBytes.Document(texts));

        var (records, error, _) = ReadAll(bytes[..^cut]);

        Assert.Equal(LogFileFault.TruncatedGzip, error?.Fault);
        Assert.Equal(10, records.Count);
    }

    [Fact]
    public void A_damaged_crc_is_reported_as_corrupt_gzip()
    {
        var bytes = LogFileBytes.Gzip(LogFileBytes.Document([LogFileBytes.Record(1)]));
        bytes[^6] ^= 0xFF;

        var (_, error, _) = ReadAll(bytes);

        Assert.Equal(LogFileFault.CorruptGzip, error?.Fault);
        Assert.Contains("CRC", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damaged_deflate_data_is_reported_and_never_passes_silently()
    {
        var texts = Enumerable.Range(0, 500).Select(i => LogFileBytes.Record(i, padding: i)).ToList();
        var original = LogFileBytes.Gzip(LogFileBytes.Document(texts));
        for (var offset = 20; offset < original.Length - 20; offset += original.Length / 25)
        {
            var bytes = (byte[])original.Clone();
            bytes[offset] ^= 0x55;

            var (_, error, _) = ReadAll(bytes);

            Assert.NotNull(error);
            Assert.Contains(error.Fault, new[] { LogFileFault.CorruptGzip, LogFileFault.InvalidJson, LogFileFault.TruncatedGzip });
        }
    }

    [Fact]
    public void Bytes_that_are_neither_gzip_nor_json_are_named_as_such()
    {
        var (records, error, _) = ReadAll([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);

        Assert.Empty(records);
        Assert.Equal(LogFileFault.NotGzipOrJson, error?.Fault);
        Assert.Contains("0x50", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_reported_empty()
    {
        Assert.Equal(LogFileFault.Empty, ReadAll([]).Error?.Fault);
    }

    [Fact]
    public void Invalid_json_reports_its_line_and_byte_after_returning_earlier_records()
    {
        var text = "{\"Records\":[" + LogFileBytes.Record(1) + ",\n" + LogFileBytes.Record(2) + ",\n{\"eventName\": tru}]}";

        var (records, error, _) = ReadAll(LogFileBytes.Gzip(text));

        Assert.Equal(2, records.Count);
        Assert.Equal(LogFileFault.InvalidJson, error?.Fault);
        Assert.Contains("line 3", error!.Message, StringComparison.Ordinal);
        Assert.Contains("in record 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"records\":[]}", "no Records array")]
    [InlineData("[{\"eventName\":\"x\"}]", "an array, not an object")]
    [InlineData("{\"Records\":{\"a\":1}}", "Records is an object, not an array")]
    [InlineData("{\"Records\":null}", "Records is null")]
    public void A_document_without_a_Records_array_is_reported(string text, string expected)
    {
        var (_, error, _) = ReadAll(LogFileBytes.Gzip(text));

        Assert.Equal(LogFileFault.MissingRecords, error?.Fault);
        Assert.Contains(expected, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_that_is_not_an_object_is_reported_and_the_rest_are_read()
    {
        var text = "{\"Records\":[" + LogFileBytes.Record(1) + ",\"oops\",[1,2]," + LogFileBytes.Record(4) + "]}";

        var (records, error, reader) = ReadAll(LogFileBytes.Gzip(text));

        Assert.Null(error);
        Assert.Equal([0, 3], records.Select(r => r.Index));
        Assert.Equal(2, reader.Problems.Count);
        Assert.All(reader.Problems, p => Assert.Equal(LogFileFault.RecordNotObject, p.Fault));
        Assert.Contains("record 1 is a string", reader.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("record 2 is an array", reader.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_after_the_document_is_an_error()
    {
        var (records, error, _) = ReadAll(LogFileBytes.Gzip("{\"Records\":[" + LogFileBytes.Record(1) + "]} {\"Records\":[]}"));

        Assert.Single(records);
        Assert.Equal(LogFileFault.InvalidJson, error?.Fault);
    }

    [Fact]
    public void Decompression_beyond_the_bound_stops_with_an_error()
    {
        var texts = Enumerable.Range(0, 5000).Select(i => LogFileBytes.Record(i)).ToList();

        var (records, error, _) = ReadAll(LogFileBytes.Gzip(LogFileBytes.Document(texts)), new LogReaderOptions { MaxDecompressedBytes = 1_000_000 });

        Assert.Equal(LogFileFault.TooLarge, error?.Fault);
        Assert.InRange(records.Count, 1, 5000 - 1);
        Assert.Contains("1000000", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_beyond_the_record_bound_stops_with_an_error()
    {
        var texts = new[] { LogFileBytes.Record(1), LogFileBytes.Record(2, padding: 2_000_000) };

        var (records, error, _) = ReadAll(LogFileBytes.Gzip(LogFileBytes.Document(texts)), new LogReaderOptions { MaxRecordBytes = 1_000_000 });

        Assert.Single(records);
        Assert.Equal(LogFileFault.RecordTooLarge, error?.Fault);
        Assert.Contains("record 1", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_json_file_cut_short_is_reported()
    {
        var text = LogFileBytes.Document([LogFileBytes.Record(1), LogFileBytes.Record(2)]);

        var (records, error, _) = ReadAll(Encoding.UTF8.GetBytes(text[..(text.Length - 30)]));

        Assert.Single(records);
        Assert.Equal(LogFileFault.InvalidJson, error?.Fault);
    }

    [Fact]
    public void Borrowed_records_read_the_same_and_a_detached_copy_outlives_the_next_read()
    {
        var texts = Enumerable.Range(0, 3000).Select(i => LogFileBytes.Record(i, padding: i % 50)).ToList();
        var bytes = LogFileBytes.Gzip(LogFileBytes.Document(texts));
        using var reader = new CloudTrailLogReader(new MemoryStream(bytes), "b.json.gz");
        var seen = new List<string>();
        CloudTrailRecord? kept = null;
        while (reader.ReadBorrowed() is { } record)
        {
            seen.Add(Encoding.UTF8.GetString(record.Json.Span));
            if (record.Index == 10)
            {
                kept = record.Detach();
            }
        }

        Assert.Equal(texts, seen);
        Assert.Equal(texts[10], Encoding.UTF8.GetString(kept!.Json.Span));
        Assert.Equal("00000000-0000-0000-0000-000000000010", kept.EventId);
    }

    [Fact]
    public void Record_bytes_carry_the_same_json_index_and_position_as_the_records_read()
    {
        var bytes = LogFileBytes.Gzip(LogFileBytes.Document(Enumerable.Range(0, 200).Select(i => LogFileBytes.Record(i, padding: i % 30))));
        var (records, _, _) = ReadAll(bytes);
        using var reader = new CloudTrailLogReader(new MemoryStream(bytes), "b.json.gz");
        var seen = new List<(string Json, int Index, long Position)>();

        while (reader.ReadBytes() is { } record)
        {
            seen.Add((Encoding.UTF8.GetString(record.Json.Span), record.Index, record.Position));
        }

        Assert.Equal(records.Select(r => (Encoding.UTF8.GetString(r.Json.Span), r.Index, r.Position)), seen);
    }

    [Fact]
    public void Reading_record_bytes_allocates_nothing_per_record()
    {
        // Plain JSON from memory: what remains is the reader's own work, which must not grow with the record count.
        var texts = Enumerable.Range(0, 5000).Select(i => LogFileBytes.Record(i)).ToList();
        var bytes = Encoding.UTF8.GetBytes(LogFileBytes.Document(texts));

        // A first whole pass takes the runtime's one-time costs (a loop's on-stack replacement compiles on the thread
        // that runs it, and allocates), which other tests using the reader at the same time make come at any record.
        using (var warmUp = new CloudTrailLogReader(new MemoryStream(bytes), "plain.json"))
        {
            while (warmUp.ReadBytes() is not null)
            {
            }
        }

        using var reader = new CloudTrailLogReader(new MemoryStream(bytes), "plain.json");
        _ = reader.ReadBytes();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = 1;
        while (reader.ReadBytes() is not null)
        {
            count++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(5000, count);
        Assert.True(allocated < 5000, $"{allocated} bytes allocated reading 4,999 records");
    }

    [Fact]
    public void Millions_of_elements_that_are_not_objects_list_the_first_faults_and_count_the_rest_in_flat_memory()
    {
        // The issue's bomb: 4 KB of gzip, 2 million elements that are not records.
        var bomb = LogFileBytes.GzipRepeated("{\"Records\":[", "1,", 2_000_000, LogFileBytes.Record(7) + "]}");
        using var reader = new CloudTrailLogReader(new MemoryStream(bomb), "bomb.json.gz");
        _ = reader.ProblemCount;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var records = new List<int>();
        while (reader.ReadBytes() is { } record)
        {
            records.Add(record.Index);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal([2_000_000], records);
        Assert.Equal(2_000_000, reader.ProblemCount);
        Assert.Equal(LogReaderOptions.Default.MaxListedProblems, reader.Problems.Count);
        Assert.Equal("record 9 is a number, not an object; it was skipped", reader.Problems[^1].Detail);
        Assert.True(allocated < 4_000_000, $"{allocated} bytes allocated for 2,000,000 faults");
    }

    [Fact]
    public void The_number_of_faults_listed_is_an_option()
    {
        var text = "{\"Records\":[1,2,3," + LogFileBytes.Record(3) + ",[],{}]}";

        var (records, error, reader) = ReadAll(LogFileBytes.Gzip(text), new LogReaderOptions { MaxListedProblems = 2 });

        Assert.Null(error);
        Assert.Equal([3, 5], records.Select(r => r.Index));
        Assert.Equal(["record 0 is a number, not an object; it was skipped", "record 1 is a number, not an object; it was skipped"], reader.Problems.Select(p => p.Detail));
        Assert.Equal(4, reader.ProblemCount);
    }

    [Fact]
    public void A_record_nested_too_deep_is_reported_and_the_next_record_is_read()
    {
        var text = LogFileBytes.Document([LogFileBytes.Nested(600), LogFileBytes.Record(1)]);

        var (records, error, reader) = ReadAll(LogFileBytes.Gzip(text));

        Assert.Null(error);
        Assert.Equal([1], records.Select(r => r.Index));
        var problem = Assert.Single(reader.Problems);
        Assert.Equal(LogFileFault.RecordTooDeep, problem.Fault);
        Assert.Equal("record 0 is nested deeper than 512 levels; it was skipped", problem.Detail);
        Assert.Equal("at decompressed byte 12", problem.Position);
    }

    [Fact]
    public void A_record_of_exactly_512_levels_is_read_and_one_of_513_is_not()
    {
        var text = LogFileBytes.Document([LogFileBytes.Nested(512), LogFileBytes.Nested(513)]);

        var (records, error, reader) = ReadAll(LogFileBytes.Gzip(text));

        Assert.Null(error);
        Assert.Equal([0], records.Select(r => r.Index));
        Assert.Equal(LogFileFault.RecordTooDeep, Assert.Single(reader.Problems).Fault);
        Assert.Equal(JsonValueKind.Array, records[0].Select(TrailResponder.Core.Json.FieldPath.Parse("$.requestParameters"))?.ValueKind);
        Assert.Equal(JsonValueKind.Object, records[0].ToJsonElement().ValueKind);
    }

    [Fact]
    public void Deep_nesting_outside_Records_is_skipped_like_any_other_member()
    {
        var text = "{\"Before\":" + new string('[', 2000) + new string(']', 2000) + ",\"Records\":[" + LogFileBytes.Record(1) + "]}";

        var (records, error, _) = ReadAll(LogFileBytes.Gzip(text));

        Assert.Null(error);
        Assert.Single(records);
    }

    [Theory]
    [InlineData(0x00, 100)]
    [InlineData(0x00, 100_000)]
    [InlineData(0x5A, 37)]
    public void Bytes_after_the_gzip_member_are_a_fault_at_their_offset_after_every_record_was_read(byte fill, int length)
    {
        var texts = Enumerable.Range(0, 500).Select(i => LogFileBytes.Record(i, padding: i % 13)).ToList();
        var member = LogFileBytes.Gzip(LogFileBytes.Document(texts));
        var garbage = new byte[length];
        new Random(length).NextBytes(garbage);
        garbage[0] = fill;
        if (fill == 0)
        {
            Array.Clear(garbage);
        }

        var (records, error, _) = ReadAll([.. member, .. garbage]);

        Assert.Equal(500, records.Count);
        Assert.Equal(LogFileFault.TrailingData, error?.Fault);
        Assert.Equal($"at compressed byte {member.Length}", error!.Position);
        Assert.Contains("test.json.gz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_after_a_member_that_ends_on_a_read_boundary_are_found_at_that_boundary()
    {
        var member = LogFileBytes.PaddedTo(LogFileBytes.Gzip(LogFileBytes.Document(Enumerable.Range(0, 300).Select(i => LogFileBytes.Record(i)))), 8192);

        var (clean, cleanError, _) = ReadAll(member);
        var (records, error, _) = ReadAll([.. member, .. new byte[50]]);

        Assert.Null(cleanError);
        Assert.Equal(300, clean.Count);
        Assert.Equal(300, records.Count);
        Assert.Equal(LogFileFault.TrailingData, error?.Fault);
        Assert.Equal($"at compressed byte {member.Length}", error!.Position);
    }

    [Fact]
    public void Bytes_after_several_members_are_a_fault_too()
    {
        var document = Encoding.UTF8.GetBytes(LogFileBytes.Document([LogFileBytes.Record(1), LogFileBytes.Record(2)]));
        var members = LogFileBytes.Gzip(document[..40]).Concat(LogFileBytes.Gzip(document[40..])).ToArray();

        var (records, error, _) = ReadAll([.. members, 0, 0, 0]);

        Assert.Equal(2, records.Count);
        Assert.Equal(LogFileFault.TrailingData, error?.Fault);
        Assert.StartsWith("from within compressed bytes ", error!.Position, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_after_a_member_that_holds_only_part_of_the_document_end_the_file_there()
    {
        var document = Encoding.UTF8.GetBytes(LogFileBytes.Document([LogFileBytes.Record(1), LogFileBytes.Record(2)]));
        var first = LogFileBytes.Gzip(document[..(document.Length / 2)]);

        var (_, error, _) = ReadAll([.. first, .. new byte[20], .. LogFileBytes.Gzip(document[(document.Length / 2)..])]);

        Assert.Equal(LogFileFault.TrailingData, error?.Fault);
        Assert.Equal($"at compressed byte {first.Length}", error!.Position);
    }
}
