using System.Buffers.Binary;
using System.IO.Compression;
using TrailResponder.Core.Streams;

namespace TrailResponder.Core.Logs;

/// <summary>
/// Decompresses gzip (one or more members) and turns a file that was cut short, or one with bytes after its last
/// member, into an error instead of a silent early end.
/// </summary>
/// <remarks>
/// The framework's GZipStream verifies each member's CRC-32 and length when the trailer is there, but when the
/// input simply stops it reports a normal end of data, so a truncated delivery would look complete. We append
/// eight 0xFF bytes after the real input: a complete file ignores them (they cannot start a new member), while a
/// truncated one consumes them as deflate data or as its missing trailer and fails. A failure that happens after
/// the real input ran out is therefore truncation; one before it is damage. The sentinel cannot pass for a missing
/// trailer, because that would need the length field's top byte to be 0xFF, i.e. a member of at least 0xFF000000
/// bytes, which the default decompression bound rules out.
/// <para>
/// GZipStream also stops quietly at bytes after a member that do not start another one (zeros, garbage): it then
/// leaves them unread. A complete file always makes it read on to the sentinel, so ending before the sentinel was
/// reached means trailing data. Where the last member ended inside the last chunk read is found from its trailer:
/// its length field is the decompressed length when the file has one member, as CloudTrail writes them.
/// </para>
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
        int read;
        try
        {
            read = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw Fault(e);
        }

        return Counted(read, buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw Fault(e);
        }

        return Counted(read, buffer.Length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Counted(int read, int requested)
    {
        if (read == 0 && requested > 0 && !_input.SentinelReached)
        {
            throw TrailingData();
        }

        DecompressedLength += read;
        return read;
    }

    private LogFileException TrailingData()
    {
        const string Detail = "bytes that are not gzip follow the last gzip member; the records before them were read";
        return _input.EndOfMember((uint)DecompressedLength) is { } end
            ? new LogFileException(_source, LogFileFault.TrailingData, Detail, $"at compressed byte {end}")
            : new LogFileException(
                _source,
                LogFileFault.TrailingData,
                Detail,
                $"from within compressed bytes {_input.LastChunkStart}-{_input.RealBytesRead}");
    }

    private LogFileException Fault(InvalidDataException e)
    {
        var position = $"at compressed byte {_input.RealBytesRead}";
        return _input.SentinelReached
            ? new LogFileException(_source, LogFileFault.TruncatedGzip, "the gzip data ends before it is complete: the file was cut short", position, e)
            : new LogFileException(_source, LogFileFault.CorruptGzip, "the gzip data is damaged (bad deflate data, CRC or length)", position, e);
    }

    /// <summary>The wrapped stream's bytes, then eight 0xFF bytes, then the end; keeps the last chunk read for <see cref="EndOfMember"/>.</summary>
    private sealed class SentinelEndedStream(Stream inner) : ReadOnlyStream
    {
        private const int SentinelLength = 8;
        private const int TrailerLength = 8;
        private int _sentinelGiven;
        private bool _innerEnded;

        // The last chunk handed to the decompressor, after the eight bytes before it (a trailer can straddle the two).
        private byte[] _window = new byte[TrailerLength + 8192];
        private int _windowLength;

        public long RealBytesRead { get; private set; }

        /// <summary>Where the last chunk handed to the decompressor starts.</summary>
        public long LastChunkStart { get; private set; }

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

        /// <summary>
        /// The compressed offset just after a gzip trailer in the last chunk whose length field is
        /// <paramref name="memberLength"/> and that no further member follows; null when there is none.
        /// </summary>
        /// <remarks>
        /// The decompressor stopped inside the last chunk, so the member ends there (or just before it). A match of the
        /// four length bytes at a wrong place needs 32 bits to agree by chance; the first match is taken.
        /// </remarks>
        public long? EndOfMember(uint memberLength)
        {
            var window = _window.AsSpan(0, _windowLength);
            var chunkOffset = _windowLength - (int)(RealBytesRead - LastChunkStart);
            for (var end = Math.Max(TrailerLength, chunkOffset); end <= window.Length; end++)
            {
                var startsMember = end + 1 < window.Length && window[end] == 0x1F && window[end + 1] == 0x8B;
                if (!startsMember && BinaryPrimitives.ReadUInt32LittleEndian(window[(end - 4)..]) == memberLength)
                {
                    return LastChunkStart + end - chunkOffset;
                }
            }

            return null;
        }

        private int Counted(int read, Span<byte> buffer)
        {
            if (read > 0)
            {
                Remember(buffer[..read]);
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

        // A copy of one compressed chunk (8 KB from GZipStream): small beside inflating it.
        private void Remember(ReadOnlySpan<byte> chunk)
        {
            var keep = Math.Min(TrailerLength, _windowLength);
            if (_window.Length < keep + chunk.Length)
            {
                Array.Resize(ref _window, keep + chunk.Length);
            }

            _window.AsSpan(_windowLength - keep, keep).CopyTo(_window);
            chunk.CopyTo(_window.AsSpan(keep));
            _windowLength = keep + chunk.Length;
            LastChunkStart = RealBytesRead;
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
