namespace TrailResponder.Core.Logs;

/// <summary>Why a log file could not be read to its end.</summary>
public enum LogFileFault
{
    /// <summary>The file has no bytes.</summary>
    Empty,

    /// <summary>The bytes are neither gzip (no 1f 8b header) nor JSON.</summary>
    NotGzipOrJson,

    /// <summary>The gzip data ends before its trailer: the file was cut short.</summary>
    TruncatedGzip,

    /// <summary>The gzip data is damaged: bad header, bad deflate data, or a CRC or size mismatch.</summary>
    CorruptGzip,

    /// <summary>The JSON is malformed, or ends before the document is complete.</summary>
    InvalidJson,

    /// <summary>The top-level JSON value is not an object with a <c>Records</c> array.</summary>
    MissingRecords,

    /// <summary>An element of <c>Records</c> is not a JSON object (reported, then skipped).</summary>
    RecordNotObject,

    /// <summary>A record is nested deeper than <see cref="CloudTrailLogReader.MaxRecordDepth"/> levels (reported, then skipped).</summary>
    RecordTooDeep,

    /// <summary>Bytes that are not a gzip member follow the last complete member; every record before them was read.</summary>
    TrailingData,

    /// <summary>The decompressed size exceeds the configured bound.</summary>
    TooLarge,

    /// <summary>One record exceeds the configured bound for a single record.</summary>
    RecordTooLarge,
}
