using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Findings;

/// <summary>Who made the request a finding is about.</summary>
public sealed record FindingPrincipal(string? Arn, string? Type, string? UserName, string? AccountId, string? AccessKeyId);

/// <summary>A resource an event names: a CloudFormation-style type and an ARN or id.</summary>
public sealed record FindingResource(string Type, string Id);

/// <summary>One rule matching one CloudTrail record.</summary>
public sealed record Finding
{
    /// <summary>The rule that matched.</summary>
    public required DetectionRule Rule { get; init; }

    /// <summary>The severity after any override: the rule's severity.</summary>
    public Severity Severity => Rule.Severity;

    /// <summary>Deterministic: the same rule and event always give the same id, so re-processing never duplicates.</summary>
    public required string FindingId { get; init; }

    /// <summary>The record's <c>eventID</c>.</summary>
    public required string? EventId { get; init; }

    /// <summary>The record's <c>eventTime</c>, exactly as written.</summary>
    public required string? EventTime { get; init; }

    /// <summary>The record's <c>eventName</c>.</summary>
    public required string? EventName { get; init; }

    /// <summary>The record's <c>eventSource</c>.</summary>
    public required string? EventSource { get; init; }

    /// <summary>The record's <c>awsRegion</c>.</summary>
    public required string? AwsRegion { get; init; }

    /// <summary>The account the event was delivered to (<c>recipientAccountId</c>, else the principal's account).</summary>
    public required string? AccountId { get; init; }

    /// <summary>Who made the request; null for records without userIdentity.</summary>
    public required FindingPrincipal? Principal { get; init; }

    /// <summary>The record's <c>sourceIPAddress</c>.</summary>
    public required string? SourceIpAddress { get; init; }

    /// <summary>The record's <c>userAgent</c>.</summary>
    public required string? UserAgent { get; init; }

    /// <summary>The record's <c>errorCode</c>; null when the call succeeded.</summary>
    public required string? ErrorCode { get; init; }

    /// <summary>The record's <c>errorMessage</c>.</summary>
    public required string? ErrorMessage { get; init; }

    /// <summary>The resources the event names.</summary>
    public required IReadOnlyList<FindingResource> Resources { get; init; }

    /// <summary>Where the record came from: <c>bucket/key</c> or a file path.</summary>
    public required string LogFile { get; init; }
}
