using TrailResponder.Core.Json;

namespace TrailResponder.Core.Logs;

/// <summary>The record fields TrailResponder reads by name, as field paths.</summary>
public static class CloudTrailFields
{
    /// <summary><c>$.eventVersion</c></summary>
    public static readonly FieldPath EventVersion = FieldPath.Of("eventVersion");

    /// <summary><c>$.eventID</c></summary>
    public static readonly FieldPath EventId = FieldPath.Of("eventID");

    /// <summary><c>$.eventTime</c></summary>
    public static readonly FieldPath EventTime = FieldPath.Of("eventTime");

    /// <summary><c>$.eventName</c></summary>
    public static readonly FieldPath EventName = FieldPath.Of("eventName");

    /// <summary><c>$.eventSource</c></summary>
    public static readonly FieldPath EventSource = FieldPath.Of("eventSource");

    /// <summary><c>$.awsRegion</c></summary>
    public static readonly FieldPath AwsRegion = FieldPath.Of("awsRegion");

    /// <summary><c>$.recipientAccountId</c></summary>
    public static readonly FieldPath RecipientAccountId = FieldPath.Of("recipientAccountId");

    /// <summary><c>$.userIdentity</c>: the whole object.</summary>
    public static readonly FieldPath UserIdentity = FieldPath.Of("userIdentity");

    /// <summary><c>$.userIdentity.type</c></summary>
    public static readonly FieldPath UserIdentityType = FieldPath.Of("userIdentity", "type");

    /// <summary><c>$.userIdentity.arn</c></summary>
    public static readonly FieldPath UserIdentityArn = FieldPath.Of("userIdentity", "arn");

    /// <summary><c>$.userIdentity.userName</c></summary>
    public static readonly FieldPath UserIdentityUserName = FieldPath.Of("userIdentity", "userName");

    /// <summary><c>$.userIdentity.accountId</c></summary>
    public static readonly FieldPath UserIdentityAccountId = FieldPath.Of("userIdentity", "accountId");

    /// <summary><c>$.userIdentity.invokedBy</c></summary>
    public static readonly FieldPath UserIdentityInvokedBy = FieldPath.Of("userIdentity", "invokedBy");

    /// <summary><c>$.userIdentity.principalId</c></summary>
    public static readonly FieldPath UserIdentityPrincipalId = FieldPath.Of("userIdentity", "principalId");

    /// <summary><c>$.userIdentity.accessKeyId</c></summary>
    public static readonly FieldPath UserIdentityAccessKeyId = FieldPath.Of("userIdentity", "accessKeyId");

    /// <summary><c>$.userIdentity.sessionContext.sessionIssuer.arn</c>: the role behind an assumed-role session.</summary>
    public static readonly FieldPath SessionIssuerArn = FieldPath.Of("userIdentity", "sessionContext", "sessionIssuer", "arn");

    /// <summary><c>$.sourceIPAddress</c></summary>
    public static readonly FieldPath SourceIpAddress = FieldPath.Of("sourceIPAddress");

    /// <summary><c>$.userAgent</c></summary>
    public static readonly FieldPath UserAgent = FieldPath.Of("userAgent");

    /// <summary><c>$.errorCode</c></summary>
    public static readonly FieldPath ErrorCode = FieldPath.Of("errorCode");

    /// <summary><c>$.errorMessage</c></summary>
    public static readonly FieldPath ErrorMessage = FieldPath.Of("errorMessage");

    /// <summary><c>$.readOnly</c></summary>
    public static readonly FieldPath ReadOnly = FieldPath.Of("readOnly");

    /// <summary><c>$.eventType</c></summary>
    public static readonly FieldPath EventType = FieldPath.Of("eventType");

    /// <summary><c>$.eventCategory</c></summary>
    public static readonly FieldPath EventCategory = FieldPath.Of("eventCategory");

    /// <summary><c>$.managementEvent</c></summary>
    public static readonly FieldPath ManagementEvent = FieldPath.Of("managementEvent");

    /// <summary><c>$.resources</c>: the resources CloudTrail says the event touched.</summary>
    public static readonly FieldPath Resources = FieldPath.Of("resources");

    /// <summary><c>$.requestParameters</c></summary>
    public static readonly FieldPath RequestParameters = FieldPath.Of("requestParameters");

    /// <summary><c>$.insightDetails.eventName</c>: the API an Insights event is about.</summary>
    public static readonly FieldPath InsightEventName = FieldPath.Of("insightDetails", "eventName");

    /// <summary><c>$.insightDetails.eventSource</c>: the service of the API an Insights event is about.</summary>
    public static readonly FieldPath InsightEventSource = FieldPath.Of("insightDetails", "eventSource");

    /// <summary>Every path above.</summary>
    public static readonly IReadOnlyList<FieldPath> All =
    [
        EventVersion, EventId, EventTime, EventName, EventSource, AwsRegion, RecipientAccountId, UserIdentity,
        UserIdentityType, UserIdentityArn, UserIdentityUserName, UserIdentityAccountId, UserIdentityInvokedBy,
        UserIdentityPrincipalId, UserIdentityAccessKeyId, SessionIssuerArn, SourceIpAddress, UserAgent, ErrorCode,
        ErrorMessage, ReadOnly, EventType, EventCategory, ManagementEvent, Resources, RequestParameters, InsightEventName,
        InsightEventSource,
    ];
}
