using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TrailResponder.SampleTrail;

/// <summary>
/// Builds realistic CloudTrail records, one JSON object per call. Every random choice comes from one
/// <c>new Random(seed)</c>, so the same seed, base time and call sequence give byte-identical output.
/// </summary>
/// <remarks>
/// Event times fall in <c>[baseTime, baseTime + window)</c> at second precision. Events of global services (IAM,
/// STS, sign-in, Organizations) are recorded in <c>us-east-1</c> whatever the factory's region, as CloudTrail does.
/// </remarks>
public sealed partial class CloudTrailEventFactory
{
    /// <summary>The account used when none is given.</summary>
    public const string DefaultAccountId = "111122223333";

    /// <summary>The region where CloudTrail records global-service events.</summary>
    public const string GlobalServiceRegion = "us-east-1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Real records do not escape '+', '<' or '&' in user agents and policies; HTML safety is irrelevant here.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly DeterministicRandom random;
    private readonly SampleAccountPrincipals principals;
    private readonly ArrayBufferWriter<byte> buffer = new(4096);
    private readonly Utf8JsonWriter writer;
    private readonly int windowSeconds;

    /// <summary>Creates a factory whose events fall in the hour after <paramref name="baseTime"/>.</summary>
    public CloudTrailEventFactory(int seed, DateTimeOffset baseTime)
        : this(seed, baseTime, TimeSpan.FromHours(1))
    {
    }

    /// <summary>Creates a factory for one account and region whose events fall in <c>[baseTime, baseTime + window)</c>.</summary>
    public CloudTrailEventFactory(int seed, DateTimeOffset baseTime, TimeSpan window, string accountId = DefaultAccountId, string region = GlobalServiceRegion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromSeconds(1));
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        random = new DeterministicRandom(seed);
        principals = new SampleAccountPrincipals(accountId, random);
        writer = new Utf8JsonWriter(buffer, WriterOptions);
        BaseTime = new DateTimeOffset(baseTime.UtcTicks - (baseTime.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        windowSeconds = (int)Math.Min(int.MaxValue, (long)window.TotalSeconds);
        AccountId = accountId;
        Region = region;
    }

    /// <summary>The earliest event time, truncated to the second.</summary>
    public DateTimeOffset BaseTime { get; }

    /// <summary>The account that receives the events (<c>recipientAccountId</c>).</summary>
    public string AccountId { get; }

    /// <summary>The region of regional events.</summary>
    public string Region { get; }

    /// <summary>Whether this factory's region is where global-service events are recorded.</summary>
    public bool RecordsGlobalServiceEvents => Region == GlobalServiceRegion;

    /// <summary>What the last call produced, so the trail generator can file a record without parsing it again.</summary>
    internal RecordSummary? LastRecord { get; private set; }

    /// <summary>The factory's random source, so choices made around its records (where planted ones go) follow the same seed.</summary>
    internal DeterministicRandom Randomness => random;

    private string Render(EventSpec spec)
    {
        var eventTime = BaseTime.AddSeconds(random.Next(windowSeconds));
        var region = spec.Region ?? Region;
        var eventId = random.Uuid();
        var requestId = spec.RequestId ?? (spec.HasRequestId ? random.Uuid() : null);

        buffer.ResetWrittenCount();
        writer.Reset();
        writer.WriteStartObject();
        writer.WriteString("eventVersion", spec.EventVersion ?? (random.Chance(35) ? "1.10" : "1.09"));
        spec.Caller?.Write(writer, eventTime);
        writer.WriteString("eventTime", CloudTrailTime.Format(eventTime));
        writer.WriteString("eventSource", spec.EventSource);
        writer.WriteString("eventName", spec.EventName);
        writer.WriteString("awsRegion", region);
        writer.WriteString("sourceIPAddress", spec.SourceIpAddress);
        writer.WriteString("userAgent", spec.UserAgent);
        CallerIdentity.WriteIfPresent(writer, "errorCode", spec.ErrorCode);
        CallerIdentity.WriteIfPresent(writer, "errorMessage", spec.ErrorMessage);
        WriteObjectOrNull("requestParameters", spec.RequestParameters);
        WriteObjectOrNull("responseElements", spec.ResponseElements);
        if (spec.AdditionalEventData is not null)
        {
            WriteObjectOrNull("additionalEventData", spec.AdditionalEventData);
        }

        CallerIdentity.WriteIfPresent(writer, "requestID", requestId);
        writer.WriteString("eventID", eventId);
        writer.WriteBoolean("readOnly", spec.ReadOnly);
        WriteResources(spec.Resources);
        writer.WriteString("eventType", spec.EventType);
        CallerIdentity.WriteIfPresent(writer, "apiVersion", spec.ApiVersion);
        writer.WriteBoolean("managementEvent", spec.ManagementEvent);
        writer.WriteString("recipientAccountId", AccountId);
        if (spec.ServiceEventDetails is not null)
        {
            WriteObjectOrNull("serviceEventDetails", spec.ServiceEventDetails);
        }

        CallerIdentity.WriteIfPresent(writer, "vpcEndpointId", spec.VpcEndpointId);
        writer.WriteString("eventCategory", spec.EventCategory);
        if (spec.TlsHost is not null)
        {
            var tls13 = random.Chance(60);
            writer.WriteStartObject("tlsDetails");
            writer.WriteString("tlsVersion", tls13 ? "TLSv1.3" : "TLSv1.2");
            writer.WriteString("cipherSuite", tls13 ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256");
            writer.WriteString("clientProvidedHostHeader", spec.TlsHost);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.Flush();

        LastRecord = new RecordSummary(eventId, spec.EventName, eventTime, region);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Renders a record written entirely by the caller (Insights records have no common envelope).</summary>
    private string RenderCustom(string eventName, string region, Action<Utf8JsonWriter, DateTimeOffset, string> body)
    {
        var eventTime = BaseTime.AddSeconds(random.Next(windowSeconds));
        var eventId = random.Uuid();
        buffer.ResetWrittenCount();
        writer.Reset();
        writer.WriteStartObject();
        body(writer, eventTime, eventId);
        writer.WriteEndObject();
        writer.Flush();
        LastRecord = new RecordSummary(eventId, eventName, eventTime, region);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteObjectOrNull(string name, Action<Utf8JsonWriter>? properties)
    {
        if (properties is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        properties(writer);
        writer.WriteEndObject();
    }

    private void WriteResources(IReadOnlyList<ResourceReference>? resources)
    {
        if (resources is null)
        {
            return;
        }

        writer.WriteStartArray("resources");
        foreach (var resource in resources)
        {
            writer.WriteStartObject();
            CallerIdentity.WriteIfPresent(writer, "accountId", resource.AccountId);
            writer.WriteString("type", resource.Type);
            writer.WriteString("ARN", resource.Arn);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

/// <summary>The identifying facts of a rendered record.</summary>
internal sealed record RecordSummary(string EventId, string EventName, DateTimeOffset EventTime, string AwsRegion);
