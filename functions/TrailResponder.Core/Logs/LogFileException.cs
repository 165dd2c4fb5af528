namespace TrailResponder.Core.Logs;

/// <summary>A log file could not be read to its end; names the file, the fault and where it happened.</summary>
public sealed class LogFileException : Exception
{
    /// <summary>Creates the error; <paramref name="detail"/> says what was wrong, the rest says where.</summary>
    public LogFileException(string source, LogFileFault fault, string detail, string position, Exception? inner = null)
        : base($"{source}: {detail} ({position})", inner)
    {
        Source = source;
        Fault = fault;
        Detail = detail;
        Position = position;
    }

    /// <summary>The file path or bucket/key that was being read.</summary>
    public new string Source { get; }

    /// <summary>What kind of fault it is.</summary>
    public LogFileFault Fault { get; }

    /// <summary>What was wrong, without the file name.</summary>
    public string Detail { get; }

    /// <summary>Where: a byte offset in the compressed or decompressed data, and a record number when known.</summary>
    public string Position { get; }
}
