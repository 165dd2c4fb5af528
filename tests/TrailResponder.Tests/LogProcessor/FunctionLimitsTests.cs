using System.Text;
using System.Text.Json;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Streams;
using TrailResponder.LogProcessor;
using TrailResponder.SampleTrail;
using TrailResponder.Tests.Core.Delivery;
using TrailResponder.Tests.Core.Logs;
using TrailResponder.Tests.Core.Storage;

namespace TrailResponder.Tests.LogProcessor;

/// <summary>The LogProcessor's bounds on hostile or huge files: its deadline and its per-file fault reporting.</summary>
public class FunctionLimitsTests
{
    // The bucket and key of the sample events, as in FunctionTests.
    private const string Bucket = FunctionTests.Bucket;
    private const string Key = FunctionTests.Key;
    private const string SecondKey = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/02/111122223333_CloudTrail_us-east-1_20260302T0910Z_R8yZa0BcDeFg2345.json.gz";

    private readonly InMemoryTrailStore _store = new();
    private readonly RecordingImporter _importer = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly StringWriter _log = new();
    private readonly SteppedClock _clock = new();

    // The deadline is 90 s into a 100 s timeout; reading a file moves the clock past it once 64 KB have been read.
    private Function CreateFunction(ITrailObjectStore store)
    {
        var settings = LogProcessorSettings.FromEnvironment(new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "us-east-1",
            ["ACCOUNT_ID"] = "111122223333",
            ["FINDINGS_TOPIC_ARN"] = "arn:aws:sns:us-east-1:111122223333:findings",
            ["FUNCTION_TIMEOUT_SECONDS"] = "100",
        });
        return new Function(new LogProcessorServices(settings, _ => store, _importer, _publisher, null, _log, _clock));
    }

    private static byte[] LargeLogFile()
    {
        var factory = new CloudTrailEventFactory(29, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var output = new MemoryStream();
        CloudTrailLogFileWriter.Write(output, Enumerable.Range(0, 8000).Select(_ => factory.ManagementRead()).ToArray());
        return output.ToArray();
    }

    private static MemoryStream Notification(params string[] keys) => new(Encoding.UTF8.GetBytes(
        "{\"Records\":[" + string.Join(",", keys.Select(key => $$$$"""{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"{{{{Bucket}}}}"},"object":{"key":"{{{{key}}}}"}}}""")) + "]}"));

    private static Stream Event(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "events", name));

    [Fact]
    public async Task The_deadline_stops_reading_reports_the_file_not_finished_and_fails_the_invocation_with_the_reason()
    {
        _store.Put(Key, LargeLogFile());
        _store.Put(SecondKey, LargeLogFile());

        var error = await Assert.ThrowsAsync<LogProcessingException>(() => CreateFunction(new SlowStore(_store, _clock)).HandleAsync(Notification(Key, SecondKey)));

        Assert.StartsWith("2 of 2 objects could not be processed; Lambda will retry: ", error.Message, StringComparison.Ordinal);
        const string Deadline = "the invocation's deadline (90 s, 10 s before the function's 100 s timeout) was reached";
        var stopped = System.Text.RegularExpressions.Regex.Match(error.Message, $"s3://{Bucket}/{Key}: not finished: reading stopped after (\\d+) records \\(\\d+ bytes of JSON\\): {System.Text.RegularExpressions.Regex.Escape(Deadline)}");
        Assert.True(stopped.Success, error.Message);
        Assert.InRange(int.Parse(stopped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 7999);
        Assert.Contains($"s3://{Bucket}/{SecondKey}: not started: {Deadline}", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _log.ToString().Split('\n').Count(line => line.Contains("\"message\":\"object not finished\"", StringComparison.Ordinal)));
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task Batch_operations_get_a_temporary_failure_with_the_reason_when_the_deadline_stops_a_file()
    {
        _store.Put(Key, LargeLogFile());

        var answer = JsonDocument.Parse(await CreateFunction(new SlowStore(_store, _clock)).HandleAsync(Event("logprocessor-s3-batch-operations.json"))).RootElement;

        var result = Assert.Single(answer.GetProperty("results").EnumerateArray());
        Assert.Equal("TemporaryFailure", result.GetProperty("resultCode").GetString());
        Assert.StartsWith("not finished: reading stopped after ", result.GetProperty("resultString").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("the invocation's deadline (90 s, 10 s before the function's 100 s timeout) was reached", result.GetProperty("resultString").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_read_before_the_deadline_is_processed_as_usual()
    {
        _store.Put(Key, LargeLogFile());

        var answer = JsonDocument.Parse(await CreateFunction(_store).HandleAsync(Notification(Key))).RootElement;

        Assert.Equal(1, answer.GetProperty("processed").GetInt32());
        Assert.Equal(8000, answer.GetProperty("records").GetInt32());
    }

    [Fact]
    public async Task Millions_of_elements_that_are_not_records_log_the_first_ten_and_one_line_with_the_count_of_the_rest()
    {
        _store.Put(Key, LogFileBytes.GzipRepeated("{\"Records\":[", "1,", 2_000_000, "2]}"));

        var answer = JsonDocument.Parse(await CreateFunction(_store).HandleAsync(Notification(Key))).RootElement;

        Assert.Equal(1, answer.GetProperty("processed").GetInt32());
        var lines = _log.ToString().Split('\n');
        Assert.Equal(10, lines.Count(line => line.Contains("\"message\":\"record skipped\"", StringComparison.Ordinal)));
        var more = Assert.Single(lines, line => line.Contains("\"message\":\"more records skipped\"", StringComparison.Ordinal));
        Assert.Contains("\"count\":1999991", more, StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains("\"message\":\"log file processed\"", StringComparison.Ordinal) && line.Contains("\"skippedRecords\":2000001", StringComparison.Ordinal));
    }

    /// <summary>Serves the store's objects through a stream that moves the clock past the deadline once 64 KB have been read.</summary>
    private sealed class SlowStore(InMemoryTrailStore inner, SteppedClock clock) : ITrailObjectStore
    {
        public string Location => inner.Location;

        public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public IAsyncEnumerable<string> ListFoldersAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListFoldersAsync(prefix, cancellationToken);

        public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
            new SlowStream(await inner.OpenReadAsync(key, cancellationToken), clock);

        public Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string key, CancellationToken cancellationToken = default) => inner.GetMetadataAsync(key, cancellationToken);
    }

    private sealed class SlowStream(Stream inner, SteppedClock clock) : ReadOnlyStream
    {
        private long _read;

        public override int Read(Span<byte> buffer) => Passed(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Passed(await inner.ReadAsync(buffer, cancellationToken));

        private int Passed(int read)
        {
            var before = _read;
            _read += read;
            if (before < 65_536 && _read >= 65_536)
            {
                clock.Advance(TimeSpan.FromSeconds(95));
            }

            return read;
        }
    }
}
