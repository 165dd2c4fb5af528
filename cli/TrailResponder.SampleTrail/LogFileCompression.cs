namespace TrailResponder.SampleTrail;

/// <summary>How a log file's JSON is stored.</summary>
public enum LogFileCompression
{
    /// <summary>gzip, as CloudTrail delivers (<c>.json.gz</c>).</summary>
    Gzip,

    /// <summary>Plain UTF-8 JSON, for inspection and for measuring the parser without decompression.</summary>
    None,
}
