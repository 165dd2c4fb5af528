namespace TrailResponder.Core.Streams;

/// <summary>Passes reads through until more than a bound has been read, then throws: for inputs that must stay small.</summary>
/// <remarks>The functions read their events through it, so an event larger than Lambda allows cannot exhaust memory.</remarks>
public sealed class BoundedReadStream(Stream inner, long limit, string what) : ReadOnlyStream
{
    private long _read;

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw new FormatException($"{what} is larger than {limit} bytes.") : read;
    }
}
