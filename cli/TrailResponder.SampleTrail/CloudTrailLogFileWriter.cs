using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrailResponder.SampleTrail;

/// <summary>
/// Writes CloudTrail log files (<c>{"Records":[...]}</c>) record by record, flushing as it goes, so a file of any
/// size costs the memory of one record plus a small buffer.
/// </summary>
public static class CloudTrailLogFileWriter
{
    // Large enough that gzip sees long runs, small enough that memory stays flat.
    private const int FlushThresholdBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes the records into one log file on <paramref name="destination"/> (left open) and returns how many were
    /// written. With <paramref name="validateRecords"/> each record must be one complete JSON value; turn it off only
    /// for records known to be well formed, such as the factory's.
    /// </summary>
    public static int Write(Stream destination, IEnumerable<string> records, LogFileCompression compression = LogFileCompression.Gzip, bool validateRecords = true)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(records);

        var body = compression == LogFileCompression.Gzip
            ? new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true)
            : destination;
        try
        {
            using var writer = new Utf8JsonWriter(body, WriterOptions);
            writer.WriteStartObject();
            writer.WriteStartArray("Records");
            var count = 0;
            foreach (var record in records)
            {
                writer.WriteRawValue(record, skipInputValidation: !validateRecords);
                count++;
                if (writer.BytesPending >= FlushThresholdBytes)
                {
                    writer.Flush();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            return count;
        }
        finally
        {
            if (!ReferenceEquals(body, destination))
            {
                body.Dispose();
            }
        }
    }

    /// <summary>
    /// Writes a log file of <paramref name="recordCount"/> records from <see cref="CloudTrailEventFactory.MixedRecord"/>
    /// (mostly benign, about 1% notable), all in the hour after <paramref name="baseTime"/>.
    /// </summary>
    public static int WriteMixedRecords(
        Stream destination,
        int recordCount,
        int seed,
        LogFileCompression compression = LogFileCompression.Gzip,
        DateTimeOffset? baseTime = null,
        string region = CloudTrailEventFactory.GlobalServiceRegion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recordCount);
        var factory = new CloudTrailEventFactory(seed, baseTime ?? DefaultBaseTime, TimeSpan.FromHours(1), CloudTrailEventFactory.DefaultAccountId, region);
        return Write(destination, factory.MixedRecords().Take(recordCount), compression, validateRecords: false);
    }

    /// <summary>
    /// Writes mixed records until the uncompressed JSON of the records reaches <paramref name="minimumUncompressedBytes"/>
    /// (for the 1 GB benchmark file) and returns how many records that took.
    /// </summary>
    public static int WriteMixedRecordsOfSize(
        Stream destination,
        long minimumUncompressedBytes,
        int seed,
        LogFileCompression compression = LogFileCompression.Gzip,
        DateTimeOffset? baseTime = null,
        string region = CloudTrailEventFactory.GlobalServiceRegion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumUncompressedBytes);
        var factory = new CloudTrailEventFactory(seed, baseTime ?? DefaultBaseTime, TimeSpan.FromHours(1), CloudTrailEventFactory.DefaultAccountId, region);
        return Write(destination, UntilSize(factory.MixedRecords(), minimumUncompressedBytes), compression, validateRecords: false);
    }

    /// <summary>A fixed time, so bulk files do not depend on the clock.</summary>
    public static DateTimeOffset DefaultBaseTime { get; } = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static IEnumerable<string> UntilSize(IEnumerable<string> records, long minimumBytes)
    {
        long written = 0;
        foreach (var record in records)
        {
            if (written >= minimumBytes)
            {
                yield break;
            }

            written += Encoding.UTF8.GetByteCount(record) + 1;
            yield return record;
        }
    }
}
