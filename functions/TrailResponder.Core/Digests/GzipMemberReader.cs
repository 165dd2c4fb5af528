using System.Buffers.Binary;
using System.IO.Compression;
using TrailResponder.Core.Streams;

namespace TrailResponder.Core.Digests;

/// <summary>How reading the first gzip member of an object ended.</summary>
public enum GzipReadStatus
{
    /// <summary>The member was decompressed completely (and, when asked, nothing followed it).</summary>
    Complete,

    /// <summary>The bytes are not gzip, or the compressed data is corrupt: CloudTrail's "invalid format".</summary>
    InvalidFormat,

    /// <summary>Bytes follow the end of the first member, or the stream is cut short (the two look alike from the trailer).</summary>
    UnexpectedTrailingData,

    /// <summary>The decompressed size passed the configured limit; reading stopped there.</summary>
    LimitExceeded,
}

/// <summary>The outcome of <see cref="GzipMemberReader.ReadFirstMemberAsync"/>: status, decompressed length and a reason.</summary>
public sealed record GzipReadResult(GzipReadStatus Status, long DecompressedLength, string Reason);

/// <summary>Streams the decompressed bytes of the first gzip member of a stream, with a size limit and an optional trailer check.</summary>
/// <remarks>
/// The AWS CLI inflates only the first gzip member. .NET's GZipStream silently inflates every concatenated member and
/// ignores trailing garbage, and DeflateStream does not report a truncated stream, so the gzip header is parsed here, the
/// deflate data is inflated raw (which stops at the end of the first member) and, for log files, the object's last eight
/// bytes must be the CRC-32 and length of what was inflated: otherwise something follows the member or it was cut short.
/// </remarks>
public static class GzipMemberReader
{
    private const int BufferSize = 81920;

    /// <summary>
    /// Inflates the first gzip member of <paramref name="compressed"/>, handing each decompressed chunk to <paramref name="sink"/>
    /// (the chunk is only valid during the call).
    /// </summary>
    /// <param name="compressed">The object's bytes; read to the end when <paramref name="requireSingleMember"/> is set.</param>
    /// <param name="sink">Receives the decompressed bytes in order.</param>
    /// <param name="maxDecompressedBytes">Stop with <see cref="GzipReadStatus.LimitExceeded"/> past this many decompressed bytes.</param>
    /// <param name="requireSingleMember">Check the gzip trailer and report data after the first member.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<GzipReadResult> ReadFirstMemberAsync(
        Stream compressed,
        Action<ReadOnlyMemory<byte>> sink,
        long maxDecompressedBytes,
        bool requireSingleMember,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        ArgumentNullException.ThrowIfNull(sink);

        var source = new TailTrackingStream(new BufferedStream(compressed, BufferSize));
        var headerProblem = await ReadHeaderAsync(source, cancellationToken).ConfigureAwait(false);
        if (headerProblem is not null)
        {
            return new GzipReadResult(GzipReadStatus.InvalidFormat, 0, $"invalid format ({headerProblem})");
        }

        var headerLength = source.BytesRead;
        var buffer = new byte[BufferSize];
        long total = 0;
        var crc = Crc32.Initial;
        try
        {
            using var deflate = new DeflateStream(source, CompressionMode.Decompress, leaveOpen: true);
            int read;
            while ((read = await deflate.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > maxDecompressedBytes)
                {
                    return new GzipReadResult(GzipReadStatus.LimitExceeded, total, $"decompressed size exceeds the limit of {maxDecompressedBytes} bytes");
                }

                if (requireSingleMember)
                {
                    crc = Crc32.Append(crc, buffer.AsSpan(0, read));
                }

                sink(buffer.AsMemory(0, read));
            }
        }
        catch (InvalidDataException ex)
        {
            return new GzipReadResult(GzipReadStatus.InvalidFormat, total, $"invalid format ({ex.Message})");
        }

        if (!requireSingleMember)
        {
            return new GzipReadResult(GzipReadStatus.Complete, total, "decompressed");
        }

        await source.DrainAsync(cancellationToken).ConfigureAwait(false);
        if (source.BytesRead - headerLength < 8)
        {
            return new GzipReadResult(GzipReadStatus.InvalidFormat, total, "invalid format (the gzip trailer is missing)");
        }

        var tail = source.Tail;
        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        var storedLength = BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        if (storedLength != unchecked((uint)total))
        {
            return new GzipReadResult(GzipReadStatus.UnexpectedTrailingData, total, "unexpected data after end of compressed stream (or the stream is truncated)");
        }

        return storedCrc == Crc32.Finish(crc)
            ? new GzipReadResult(GzipReadStatus.Complete, total, "decompressed")
            : new GzipReadResult(GzipReadStatus.InvalidFormat, total, "invalid format (the gzip CRC-32 does not match the data)");
    }

    // RFC 1952 §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS, then optional FEXTRA, FNAME, FCOMMENT, FHCRC.
    private static async Task<string?> ReadHeaderAsync(Stream source, CancellationToken cancellationToken)
    {
        var fixedPart = new byte[10];
        if (await source.ReadAtLeastAsync(fixedPart, fixedPart.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < fixedPart.Length)
        {
            return "too short to be gzip";
        }

        if (fixedPart[0] != 0x1f || fixedPart[1] != 0x8b)
        {
            return "not gzip";
        }

        if (fixedPart[2] != 8)
        {
            return $"unknown gzip compression method {fixedPart[2]}";
        }

        var flags = fixedPart[3];
        if ((flags & 0xE0) != 0)
        {
            return "reserved gzip header flags are set";
        }

        var small = new byte[2];
        if ((flags & 0x04) != 0)
        {
            if (await source.ReadAtLeastAsync(small, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < 2)
            {
                return "truncated gzip header";
            }

            var extra = new byte[BinaryPrimitives.ReadUInt16LittleEndian(small)];
            if (await source.ReadAtLeastAsync(extra, extra.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < extra.Length)
            {
                return "truncated gzip header";
            }
        }

        foreach (var zeroTerminatedFlag in new byte[] { 0x08, 0x10 })
        {
            if ((flags & zeroTerminatedFlag) == 0)
            {
                continue;
            }

            int b;
            do
            {
                b = await ReadByteAsync(source, small, cancellationToken).ConfigureAwait(false);
            }
            while (b > 0);

            if (b < 0)
            {
                return "truncated gzip header";
            }
        }

        if ((flags & 0x02) != 0 && await source.ReadAtLeastAsync(small, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) < 2)
        {
            return "truncated gzip header";
        }

        return null;
    }

    private static async Task<int> ReadByteAsync(Stream source, byte[] scratch, CancellationToken cancellationToken) =>
        await source.ReadAsync(scratch.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) == 0 ? -1 : scratch[0];

    /// <summary>Counts the bytes read through it and remembers the last eight: where the gzip trailer of a single member lies.</summary>
    private sealed class TailTrackingStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] tail = new byte[8];
        private int tailLength;

        public long BytesRead { get; private set; }

        public ReadOnlySpan<byte> Tail => tail.AsSpan(0, tailLength);

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[BufferSize];
            while (await ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Remember(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Remember(buffer.Span[..read]);
            return read;
        }

        private void Remember(ReadOnlySpan<byte> chunk)
        {
            BytesRead += chunk.Length;
            if (chunk.Length >= tail.Length)
            {
                chunk[^tail.Length..].CopyTo(tail);
                tailLength = tail.Length;
                return;
            }

            var keep = Math.Min(tailLength, tail.Length - chunk.Length);
            tail.AsSpan(tailLength - keep, keep).CopyTo(tail);
            chunk.CopyTo(tail.AsSpan(keep));
            tailLength = keep + chunk.Length;
        }
    }
}
