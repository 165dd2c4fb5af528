using System.Buffers;
using System.Globalization;
using System.Text.Json;
using TrailResponder.Core.Streams;

namespace TrailResponder.Core.Logs;

/// <summary>
/// Streams the records of one CloudTrail log file (gzip or plain JSON), one at a time.
/// </summary>
/// <remarks>
/// Memory is bounded by the largest record, not the file: the reader keeps a window of decompressed bytes, finds
/// each element of <c>Records</c> with Utf8JsonReader (resuming its saved state across refills), and copies out
/// one record at a time. A fault that ends the file throws <see cref="LogFileException"/> after the records before
/// it were returned; an element of <c>Records</c> that is not an object, or a record nested too deeply, is counted in
/// <see cref="ProblemCount"/> (the first few kept in <see cref="Problems"/>) and skipped, so the records after it are
/// not lost and a file of millions of bad elements costs no more memory than a file of ten.
/// </remarks>
public sealed class CloudTrailLogReader : IDisposable
{
    /// <summary>The deepest nesting a record may have, the record object itself being level 1.</summary>
    /// <remarks>The rules read a record with this bound (FieldLayout), so a record the reader returns is one they can read.</remarks>
    public const int MaxRecordDepth = 512;

    private const int InitialBufferBytes = 256 * 1024;

    // No depth limit while finding the records: a too-deep record must be skipped, not end the file. Depth stays
    // bounded all the same, by the bytes one value may occupy in the buffer (MaxRecordBytes).
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = int.MaxValue };

    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly LogReaderOptions _options;
    private readonly List<LogFileException> _problems = [];
    private Stream? _content;
    private VerifiedGzipStream? _gzip;
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _contentEnded;
    private JsonReaderState _state = new(ReaderOptions);
    private Phase _phase;
    private bool _sawRecords;
    private int _elementIndex;

    /// <summary>Reads from <paramref name="input"/>; <paramref name="source"/> names the file in every message.</summary>
    public CloudTrailLogReader(Stream input, string source, LogReaderOptions? options = null, bool leaveOpen = false)
    {
        _input = input;
        Source = source;
        _options = options ?? LogReaderOptions.Default;
        _leaveOpen = leaveOpen;
    }

    private enum Phase
    {
        Document,
        TopLevel,
        Records,
        AfterDocument,
        Done,
    }

    private enum Step
    {
        Record,
        NeedMore,
        End,
    }

    /// <summary>The file path or <c>bucket/key</c> being read.</summary>
    public string Source { get; }

    /// <summary>
    /// The first faults that did not stop the file (elements of <c>Records</c> that were not objects, records nested too
    /// deeply), at most <see cref="LogReaderOptions.MaxListedProblems"/>; <see cref="ProblemCount"/> counts them all.
    /// </summary>
    public IReadOnlyList<LogFileException> Problems => _problems;

    /// <summary>Every fault that did not stop the file, including those beyond <see cref="Problems"/>.</summary>
    public int ProblemCount { get; private set; }

    /// <summary>Records returned so far.</summary>
    public int RecordsRead { get; private set; }

    /// <summary>Whether the file is gzip-compressed (known after the first read).</summary>
    public bool IsGzip => _gzip is not null;

    /// <summary>Decompressed JSON bytes read so far.</summary>
    public long DecompressedBytes => _bufferOffset + _end;

    /// <summary>Bytes read from the input so far (equal to <see cref="DecompressedBytes"/> for plain JSON).</summary>
    public long CompressedBytes => _gzip?.CompressedPosition ?? DecompressedBytes;

    /// <summary>Reads every record of a file; faults are thrown as <see cref="LogFileException"/> once reached.</summary>
    public static IEnumerable<CloudTrailRecord> ReadAll(Stream input, string source, LogReaderOptions? options = null)
    {
        using var reader = new CloudTrailLogReader(input, source, options);
        while (reader.Read() is { } record)
        {
            yield return record;
        }
    }

    /// <summary>The next record, or null at the end of the file.</summary>
    /// <exception cref="LogFileException">The file is damaged at this point; earlier records were returned.</exception>
    public CloudTrailRecord? Read() => ReadBytes()?.Copy(Source);

    /// <summary>The next record, or null at the end of the file.</summary>
    /// <exception cref="LogFileException">The file is damaged at this point; earlier records were returned.</exception>
    public async ValueTask<CloudTrailRecord?> ReadAsync(CancellationToken cancellationToken = default) =>
        (await ReadBytesAsync(cancellationToken).ConfigureAwait(false))?.Copy(Source);

    /// <summary>
    /// The next record without copying it: its bytes stay in the reader's buffer and are valid only until the next read.
    /// Keep a record beyond that with <see cref="CloudTrailRecord.Detach"/>.
    /// </summary>
    public CloudTrailRecord? ReadBorrowed() => ReadBytes()?.Borrow(Source);

    /// <summary>The asynchronous <see cref="ReadBorrowed"/>.</summary>
    public async ValueTask<CloudTrailRecord?> ReadBorrowedAsync(CancellationToken cancellationToken = default) =>
        (await ReadBytesAsync(cancellationToken).ConfigureAwait(false))?.Borrow(Source);

    /// <summary>
    /// The next record's bytes in the reader's buffer, valid only until the next read; null at the end of the file.
    /// </summary>
    /// <remarks>
    /// The hot path of scanning: nothing is allocated per record, so memory stays flat however large the file, and a
    /// <see cref="CloudTrailRecord"/> is made only for the few records a rule matches.
    /// </remarks>
    public RecordBytes? ReadBytes()
    {
        // Not a blocking wait on the async loop: that costs a state machine per record where the compiler makes it a
        // class (debug builds). Opening and refilling, once per buffer, may share the async code.
        if (_content is null)
        {
            OpenAsync(sync: true, CancellationToken.None).GetAwaiter().GetResult();
        }

        while (true)
        {
            switch (ParseNext(out var record))
            {
                case Step.Record:
                    return record;
                case Step.End:
                    return null;
                default:
                    FillAsync(sync: true, CancellationToken.None).GetAwaiter().GetResult();
                    break;
            }
        }
    }

    /// <summary>The asynchronous <see cref="ReadBytes"/>.</summary>
    public async ValueTask<RecordBytes?> ReadBytesAsync(CancellationToken cancellationToken = default)
    {
        if (_content is null)
        {
            await OpenAsync(sync: false, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            switch (ParseNext(out var record))
            {
                case Step.Record:
                    return record;
                case Step.End:
                    return null;
                default:
                    await FillAsync(sync: false, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        if (_content is not null)
        {
            _content.Dispose();
        }
        else if (!_leaveOpen)
        {
            _input.Dispose();
        }
    }

    // 'sync' chooses blocking reads, so synchronous callers never block on async I/O.
    private async ValueTask OpenAsync(bool sync, CancellationToken cancellationToken)
    {
        var magic = new byte[2];
        var got = 0;
        while (got < 2)
        {
            var read = sync
                ? _input.Read(magic, got, 2 - got)
                : await _input.ReadAsync(magic.AsMemory(got), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            got += read;
        }

        if (got == 0)
        {
            throw new LogFileException(Source, LogFileFault.Empty, "the file is empty", "at byte 0");
        }

        var prefix = magic[..got];
        var input = _leaveOpen ? new NonClosingStream(_input) : _input;
        if (got == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            _gzip = new VerifiedGzipStream(new PrefixedReadStream(prefix, input), Source);
            _content = _gzip;
        }
        else if (LooksLikeJsonStart(magic[0]))
        {
            _content = new PrefixedReadStream(prefix, input);
        }
        else
        {
            throw new LogFileException(
                Source,
                LogFileFault.NotGzipOrJson,
                string.Create(CultureInfo.InvariantCulture, $"neither gzip (no 1f 8b header) nor JSON: the file starts with byte 0x{magic[0]:x2}"),
                "at byte 0");
        }

        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    }

    private static bool LooksLikeJsonStart(byte first) => first is (byte)'{' or (byte)'[' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF;

    private async ValueTask FillAsync(bool sync, CancellationToken cancellationToken)
    {
        // Once per buffer, not per record: parsing a buffer of tiny records or bad elements takes milliseconds, and a
        // caller's deadline must be able to stop a file that is all tiny records.
        cancellationToken.ThrowIfCancellationRequested();
        if (_contentEnded)
        {
            throw EndedEarly(null) ?? Fault(LogFileFault.InvalidJson, "the data ends before the JSON document is complete", null);
        }

        if (_end == _buffer.Length)
        {
            MakeRoom();
        }

        var read = sync
            ? _content!.Read(_buffer, _end, _buffer.Length - _end)
            : await _content!.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _contentEnded = true;
            return;
        }

        _end += read;
        if (DecompressedBytes > _options.MaxDecompressedBytes)
        {
            throw Fault(
                LogFileFault.TooLarge,
                string.Create(CultureInfo.InvariantCulture, $"the decompressed data exceeds the bound of {_options.MaxDecompressedBytes} bytes"),
                null);
        }
    }

    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _bufferOffset += _start;
            _start = 0;
            _end = pending;
            return;
        }

        // The whole window is one unfinished value: grow, within the per-record bound.
        if (pending >= _options.MaxRecordBytes)
        {
            throw Fault(
                LogFileFault.RecordTooLarge,
                string.Create(CultureInfo.InvariantCulture, $"record {_elementIndex} is larger than the bound of {_options.MaxRecordBytes} bytes"),
                null);
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, (long)_options.MaxRecordBytes + InitialBufferBytes));
        Buffer.BlockCopy(_buffer, 0, larger, 0, pending);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private Step ParseNext(out RecordBytes record)
    {
        record = default;

        // Utf8JsonReader rejects a byte-order mark, which some tools write: step over it before the first token.
        if (_phase == Phase.Document && _bufferOffset == 0 && _start == 0 && _end > 0 && _buffer[0] == 0xEF)
        {
            if (_end < 3 && !_contentEnded)
            {
                return Step.NeedMore;
            }

            if (_end >= 3 && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3;
            }
        }
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _contentEnded, _state);
        try
        {
            while (true)
            {
                switch (_phase)
                {
                    case Phase.Document:
                        if (!reader.Read())
                        {
                            return Step.NeedMore;
                        }

                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw Fault(LogFileFault.MissingRecords, $"the JSON is {Describe(reader.TokenType)}, not an object with a Records array", reader);
                        }

                        Commit(ref reader);
                        _phase = Phase.TopLevel;
                        break;

                    case Phase.TopLevel:
                        if (!reader.Read())
                        {
                            return Step.NeedMore;
                        }

                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            if (!_sawRecords)
                            {
                                throw Fault(LogFileFault.MissingRecords, "the JSON object has no Records array", reader);
                            }

                            Commit(ref reader);
                            _phase = Phase.AfterDocument;
                            break;
                        }

                        var isRecords = reader.ValueTextEquals("Records"u8);
                        if (!reader.Read())
                        {
                            return Step.NeedMore;
                        }

                        if (isRecords)
                        {
                            if (reader.TokenType != JsonTokenType.StartArray)
                            {
                                throw Fault(LogFileFault.MissingRecords, $"Records is {Describe(reader.TokenType)}, not an array", reader);
                            }

                            _sawRecords = true;
                            Commit(ref reader);
                            _phase = Phase.Records;
                            break;
                        }

                        if (!reader.TrySkip())
                        {
                            return Step.NeedMore;
                        }

                        Commit(ref reader);
                        break;

                    case Phase.Records:
                        if (!reader.Read())
                        {
                            return Step.NeedMore;
                        }

                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            Commit(ref reader);
                            _phase = Phase.TopLevel;
                            break;
                        }

                        var kind = reader.TokenType;
                        var start = (int)reader.TokenStartIndex;
                        if (!reader.TrySkip())
                        {
                            return Step.NeedMore;
                        }

                        var index = _elementIndex++;
                        var position = _bufferOffset + _start + start;
                        if (kind != JsonTokenType.StartObject)
                        {
                            Skipped(LogFileFault.RecordNotObject, index, kind, position);
                            Commit(ref reader);
                            break;
                        }

                        // Offsets are relative to _start, which Commit moves, so slice before committing. The buffer's
                        // bytes stay put until the next read refills it, which is how long a borrowed record lives.
                        var json = _buffer.AsMemory(_start + start, (int)reader.BytesConsumed - start);
                        if (NestedTooDeep(json.Span))
                        {
                            Skipped(LogFileFault.RecordTooDeep, index, kind, position);
                            Commit(ref reader);
                            break;
                        }

                        record = new RecordBytes(json, index, position);
                        Commit(ref reader);
                        RecordsRead++;
                        return Step.Record;

                    case Phase.AfterDocument:
                        if (reader.Read())
                        {
                            throw Fault(LogFileFault.InvalidJson, "unexpected content after the top-level JSON object", reader);
                        }

                        if (!_contentEnded)
                        {
                            return Step.NeedMore;
                        }

                        _phase = Phase.Done;
                        return Step.End;

                    default:
                        return Step.End;
                }
            }
        }
        catch (JsonException e) when (EndedEarly(e) is { } truncated)
        {
            throw truncated;
        }
        catch (JsonException e)
        {
            var where = _phase == Phase.Records ? $" in record {_elementIndex}" : string.Empty;
            throw new LogFileException(
                Source,
                LogFileFault.InvalidJson,
                "invalid JSON" + where + ": " + FirstSentence(e.Message),
                string.Create(CultureInfo.InvariantCulture, $"at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1} of the decompressed JSON"),
                e);
        }
    }

    // Counted always, described only up to the bound: nothing is allocated for the faults beyond the first few.
    private void Skipped(LogFileFault fault, int index, JsonTokenType kind, long position)
    {
        ProblemCount++;
        if (_problems.Count >= _options.MaxListedProblems)
        {
            return;
        }

        var detail = fault == LogFileFault.RecordTooDeep
            ? $"record {index} is nested deeper than {MaxRecordDepth} levels; it was skipped"
            : $"record {index} is {Describe(kind)}, not an object; it was skipped";
        _problems.Add(new LogFileException(Source, fault, detail, string.Create(CultureInfo.InvariantCulture, $"at decompressed byte {position}")));
    }

    // Each level needs an opening bracket, so a record with few brackets (nearly all of them) is cleared by a vectorized
    // count; only one with many is walked token by token.
    private static bool NestedTooDeep(ReadOnlySpan<byte> json)
    {
        if (json.Length < 2 * MaxRecordDepth || json.Count((byte)'{') + json.Count((byte)'[') <= MaxRecordDepth)
        {
            return false;
        }

        // The bytes were read once already, so they are well-formed: only the depth is in question.
        var reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxRecordDepth)
            {
                return true;
            }
        }

        return false;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _contentEnded, _state);
    }

    // The JSON broke after the compressed input ran out, and the trailer does not match: the file was cut short.
    private LogFileException? EndedEarly(Exception? inner) => _gzip is { InputEnded: true, TrailerLengthMatches: false }
        ? new LogFileException(
            Source,
            LogFileFault.TruncatedGzip,
            "the gzip data ends before it is complete: the file was cut short",
            string.Create(CultureInfo.InvariantCulture, $"at compressed byte {_gzip.CompressedPosition}"),
            inner)
        : null;

    private LogFileException Fault(LogFileFault fault, string detail, Utf8JsonReader reader) =>
        new(Source, fault, detail, string.Create(CultureInfo.InvariantCulture, $"at decompressed byte {_bufferOffset + _start + reader.TokenStartIndex}"));

    private LogFileException Fault(LogFileFault fault, string detail, Exception? inner) =>
        new(Source, fault, detail, string.Create(CultureInfo.InvariantCulture, $"at decompressed byte {DecompressedBytes}"), inner);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Passes reads through but leaves the wrapped stream open when disposed.</summary>
    private sealed class NonClosingStream(Stream inner) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);
    }
}
