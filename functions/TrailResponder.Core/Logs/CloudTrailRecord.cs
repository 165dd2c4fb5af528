using System.Globalization;
using System.Text.Json;
using TrailResponder.Core.Json;

namespace TrailResponder.Core.Logs;

/// <summary>
/// One CloudTrail event record: its exact JSON bytes, where it came from, and its common fields typed.
/// </summary>
/// <remarks>
/// The record keeps its own copy of its bytes and decodes the typed fields lazily on first use, so reading and
/// evaluating rules costs one copy per record and nothing more until a record is reported.
/// </remarks>
public sealed class CloudTrailRecord
{
    private static readonly FieldLayout KnownLayout = new(CloudTrailFields.All);

    // Any record the reader returns parses here: the default depth of 64 would throw on a deep but legal record.
    private static readonly JsonDocumentOptions AsRead = new() { MaxDepth = CloudTrailLogReader.MaxRecordDepth };
    private JsonSlot[]? _known;

    /// <summary>Wraps the bytes of one record object.</summary>
    public CloudTrailRecord(ReadOnlyMemory<byte> json, string source, int index, long position)
    {
        Json = json;
        Source = source;
        Index = index;
        Position = position;
    }

    /// <summary>The record's UTF-8 JSON, exactly as in the log file.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The file path or <c>bucket/key</c> the record was read from.</summary>
    public string Source { get; }

    /// <summary>Zero-based position of the record in the file's <c>Records</c> array.</summary>
    public int Index { get; }

    /// <summary>Byte offset of the record in the decompressed file.</summary>
    public long Position { get; }

    /// <summary><c>eventVersion</c></summary>
    public string? EventVersion => Text(CloudTrailFields.EventVersion);

    /// <summary><c>eventID</c></summary>
    public string? EventId => Text(CloudTrailFields.EventId);

    /// <summary><c>eventTime</c> parsed as UTC; null when absent or not a timestamp.</summary>
    public DateTimeOffset? EventTime =>
        DateTimeOffset.TryParse(Text(CloudTrailFields.EventTime), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary><c>eventTime</c> exactly as written.</summary>
    public string? EventTimeText => Text(CloudTrailFields.EventTime);

    /// <summary><c>eventName</c></summary>
    public string? EventName => Text(CloudTrailFields.EventName);

    /// <summary>For an Insights record, <c>insightDetails.eventName</c>: the API whose rate was unusual.</summary>
    public string? InsightEventName => Text(CloudTrailFields.InsightEventName);

    /// <summary>For an Insights record, <c>insightDetails.eventSource</c>.</summary>
    public string? InsightEventSource => Text(CloudTrailFields.InsightEventSource);

    /// <summary><c>eventSource</c></summary>
    public string? EventSource => Text(CloudTrailFields.EventSource);

    /// <summary><c>awsRegion</c></summary>
    public string? AwsRegion => Text(CloudTrailFields.AwsRegion);

    /// <summary><c>recipientAccountId</c></summary>
    public string? RecipientAccountId => Text(CloudTrailFields.RecipientAccountId);

    /// <summary><c>userIdentity</c>'s common members; null when the record has no userIdentity (Insights events).</summary>
    public UserIdentity? UserIdentity => Slot(CloudTrailFields.UserIdentity).Kind == JsonValueKind.Object
        ? new UserIdentity(
            Text(CloudTrailFields.UserIdentityType),
            Text(CloudTrailFields.UserIdentityArn),
            Text(CloudTrailFields.UserIdentityUserName),
            Text(CloudTrailFields.UserIdentityAccountId),
            Text(CloudTrailFields.UserIdentityInvokedBy),
            Text(CloudTrailFields.UserIdentityPrincipalId),
            Text(CloudTrailFields.UserIdentityAccessKeyId),
            Text(CloudTrailFields.SessionIssuerArn))
        : null;

    /// <summary><c>sourceIPAddress</c> (not always an IP: AWS services appear by name).</summary>
    public string? SourceIpAddress => Text(CloudTrailFields.SourceIpAddress);

    /// <summary><c>userAgent</c></summary>
    public string? UserAgent => Text(CloudTrailFields.UserAgent);

    /// <summary><c>errorCode</c>; null for calls that succeeded.</summary>
    public string? ErrorCode => Text(CloudTrailFields.ErrorCode);

    /// <summary><c>errorMessage</c></summary>
    public string? ErrorMessage => Text(CloudTrailFields.ErrorMessage);

    /// <summary><c>readOnly</c>, accepting a JSON boolean or the strings "true"/"false".</summary>
    public bool? ReadOnly => Boolean(CloudTrailFields.ReadOnly);

    /// <summary><c>eventType</c></summary>
    public string? EventType => Text(CloudTrailFields.EventType);

    /// <summary><c>eventCategory</c></summary>
    public string? EventCategory => Text(CloudTrailFields.EventCategory);

    /// <summary><c>managementEvent</c>, accepting a JSON boolean or the strings "true"/"false".</summary>
    public bool? ManagementEvent => Boolean(CloudTrailFields.ManagementEvent);

    /// <summary>The raw JSON of the value at <paramref name="path"/>, or null when the path is absent.</summary>
    /// <remarks>For fields outside the common set this parses the record on demand: meant for reporting, not hot loops.</remarks>
    public JsonElement? Select(FieldPath path)
    {
        // The common fields (resources, requestParameters: what every finding reports) reuse the typed fields' slots.
        var slot = KnownLayout.Contains(path) ? Slot(path) : SlotOutsideKnown(path);
        if (!slot.Exists)
        {
            return null;
        }

        using var document = JsonDocument.Parse(Json.Slice(slot.Kind == JsonValueKind.String ? slot.Start - 1 : slot.Start, slot.Kind == JsonValueKind.String ? slot.Length + 2 : slot.Length), AsRead);
        return document.RootElement.Clone();
    }

    private JsonSlot SlotOutsideKnown(FieldPath path)
    {
        var layout = new FieldLayout([path]);
        var slots = new JsonSlot[layout.SlotCount];
        layout.Extract(Json.Span, slots);
        return slots[layout.SlotOf(path)];
    }

    /// <summary>A copy that owns its bytes: keeps a record read with <see cref="CloudTrailLogReader.ReadBorrowed"/> or <see cref="RecordBytes.Borrow"/>.</summary>
    public CloudTrailRecord Detach() => new(Json.ToArray(), Source, Index, Position);

    /// <summary>The whole record as a JsonElement (parses it).</summary>
    public JsonElement ToJsonElement()
    {
        using var document = JsonDocument.Parse(Json, AsRead);
        return document.RootElement.Clone();
    }

    /// <summary>Where one of the common fields sits in <see cref="Json"/>.</summary>
    public JsonSlot Slot(FieldPath knownField)
    {
        if (_known is null)
        {
            var slots = new JsonSlot[KnownLayout.SlotCount];
            KnownLayout.Extract(Json.Span, slots);
            _known = slots;
        }

        return _known[KnownLayout.SlotOf(knownField)];
    }

    private string? Text(FieldPath field) => Slot(field).GetText(Json.Span);

    private bool? Boolean(FieldPath field)
    {
        var slot = Slot(field);
        return slot.Kind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => bool.TryParse(slot.GetString(Json.Span), out var value) ? value : null,
            _ => null,
        };
    }
}
