namespace TrailResponder.Core.Logs;

/// <summary>One record's JSON bytes as a <see cref="CloudTrailLogReader"/> holds them, and its place in the file.</summary>
/// <remarks>The bytes belong to the reader's buffer: they are valid until its next read.</remarks>
public readonly record struct RecordBytes(ReadOnlyMemory<byte> Json, int Index, long Position)
{
    /// <summary>The record over these bytes, still borrowed from the reader's buffer.</summary>
    public CloudTrailRecord Borrow(string source) => new(Json, source, Index, Position);

    /// <summary>The record with its own copy of the bytes.</summary>
    public CloudTrailRecord Copy(string source) => new(Json.ToArray(), source, Index, Position);
}
