using System.Text.Json;

namespace TrailResponder.SampleTrail;

/// <summary>Everything that varies between records; the factory fills in ids, time and the fixed envelope.</summary>
internal sealed record EventSpec
{
    public required CallerIdentity? Caller { get; init; }

    public required string EventSource { get; init; }

    public required string EventName { get; init; }

    /// <summary>Null means the factory's region; global services set <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    public required string SourceIpAddress { get; init; }

    public required string UserAgent { get; init; }

    /// <summary>Null writes <c>"requestParameters": null</c>.</summary>
    public Action<Utf8JsonWriter>? RequestParameters { get; init; }

    /// <summary>Null writes <c>"responseElements": null</c>.</summary>
    public Action<Utf8JsonWriter>? ResponseElements { get; init; }

    public Action<Utf8JsonWriter>? AdditionalEventData { get; init; }

    public Action<Utf8JsonWriter>? ServiceEventDetails { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public required bool ReadOnly { get; init; }

    public string EventType { get; init; } = "AwsApiCall";

    public bool ManagementEvent { get; init; } = true;

    public string EventCategory { get; init; } = "Management";

    public IReadOnlyList<ResourceReference>? Resources { get; init; }

    /// <summary>Host name for <c>tlsDetails</c>; null for service-internal calls, which have none.</summary>
    public string? TlsHost { get; init; }

    public bool HasRequestId { get; init; } = true;

    /// <summary>EC2 echoes the request id inside its response; a preset id lets both agree.</summary>
    public string? RequestId { get; init; }

    public string? ApiVersion { get; init; }

    public string? VpcEndpointId { get; init; }

    /// <summary>Null lets the factory choose between the versions current trails write.</summary>
    public string? EventVersion { get; init; }
}

/// <summary>One entry of a record's <c>resources</c> array.</summary>
internal sealed record ResourceReference(string Arn, string? AccountId, string Type);
