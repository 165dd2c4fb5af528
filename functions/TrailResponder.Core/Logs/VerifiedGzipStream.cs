using System.IO.Compression;
using TrailResponder.Core.Streams;

namespace TrailResponder.Core.Logs;

/// <summary>
/// Decompresses gzip (one or more members) and turns a file that was cut short into an error instead of a
/// silent early end.
/// </summary>
/// <remarks>
/// The framework's GZipStream verifies each member's CRC-32 and length when the trailer is there, but when the
/// input simply stops it reports a normal end of data, so a truncated delivery would look complete. We append
/// eight 0xFF bytes after the real input: a complete file ignores them (they cannot start a new member), while a
/// truncated one consumes them as deflate data or as its missing trailer and fails. A failure that happens after
/// the real input ran out is therefore truncation; one before it is damage. The sentinel cannot pass for a missing
/// trailer, because that would need the length field's top byte to be 0xFF, i.e. a member of at least 0xFF000000
/// bytes, which the default decompression bound rules out.
/// </remarks>
internal sealed class VerifiedGzipStream : ReadOnlyStream
{
    private readonly SentinelEndedStream _input;
    private readonly GZipStream _gzip;
    private readonly string _source;

    public VerifiedGzipStream(Stream compressed, string source)
    {
        _input = new SentinelEndedStream(compressed);
        _gzip = new GZipStream(_input, CompressionMode.Decompress);
        _source = source;
    }

    /// <summary>Compressed bytes consumed so far (the sentinel not counted).</summary>
    public long CompressedPosition => _input.RealBytesRead;

    /// <summary>Decompressed bytes returned so far.</summary>
    public long DecompressedLength { get; private set; }

    /// <summary>
    /// Whether the input's last four bytes (a gzip trailer's length field) equal the decompressed length modulo 2^32.
    /// </summary>
    /// <remarks>
    /// Exact for single-member files. When zlib swallows the sentinel as deflate data and ends quietly, this tells a
    /// cut-short file from a malformed document; it only ever relabels an error, never creates one, so a valid
    /// multi-member file (whose last trailer counts only its last member) is not harmed.
    /// </remarks>
    public bool TrailerLengthMatches => _input.RealBytesRead >= 18 && _input.LastFourBytes == (uint)DecompressedLength;

    /// <summary>Whether every byte of the real input has been handed to the decompressor.</summary>
    public bool InputEnded => _input.SentinelReached;

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = _gzip.Read(buffer);
            DecompressedLength += read;
            return read;
        }
        catch (InvalidDataException e)
        {
            throw Fault(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            DecompressedLength += read;
            return read;
        }
        catch (InvalidDataException e)
        {
            throw Fault(e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private LogFileException Fault(InvalidDataException e)
    {
        var position = $"at compressed byte {_input.RealBytesRead}";
        return _input.SentinelReached
            ? new LogFileException(_source, LogFileFault.TruncatedGzip, "the gzip data ends before it is complete: the file was cut short", position, e)
            : new LogFileException(_source, LogFileFault.CorruptGzip, "the gzip data is damaged (bad deflate data, CRC or length)", position, e);
    }

    /// <summary>The wrapped stream's bytes, then eight 0xFF bytes, then the end.</summary>
    private sealed class SentinelEndedStream(Stream inner) : ReadOnlyStream
    {
        private const int SentinelLength = 8;
        private int _sentinelGiven;
        private bool _innerEnded;

        public long RealBytesRead { get; private set; }

        /// <summary>The last four real bytes read, little-endian (a gzip trailer's length field when complete).</summary>
        public uint LastFourBytes { get; private set; }

        public bool SentinelReached => _sentinelGiven > 0;

        public override int Read(Span<byte> buffer) => _innerEnded ? GiveSentinel(buffer) : Counted(inner.Read(buffer), buffer);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _innerEnded ? GiveSentinel(buffer.Span) : Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Span);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Counted(int read, Span<byte> buffer)
        {
            if (read > 0)
            {
                RealBytesRead += read;
                foreach (var b in buffer[Math.Max(0, read - 4)..read])
                {
                    LastFourBytes = (LastFourBytes >> 8) | ((uint)b << 24);
                }

                return read;
            }

            _innerEnded = true;
            return GiveSentinel(buffer);
        }

        private int GiveSentinel(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, SentinelLength - _sentinelGiven);
            buffer[..count].Fill(0xFF);
            _sentinelGiven += count;
            return count;
        }
    }
}
