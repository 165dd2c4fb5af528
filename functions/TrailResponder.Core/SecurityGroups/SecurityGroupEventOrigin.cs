namespace TrailResponder.Core.SecurityGroups;

/// <summary>Who made a security-group call, from where, when and in which account and region: what a notification tells.</summary>
public sealed record SecurityGroupEventOrigin
{
    /// <summary><c>userIdentity.type</c> (<c>IAMUser</c>, <c>AssumedRole</c>, <c>Root</c>, ...).</summary>
    public string? PrincipalType { get; init; }

    /// <summary><c>userIdentity.arn</c>: for assumed roles the session ARN (<c>arn:aws:sts::...:assumed-role/Role/session</c>).</summary>
    public string? PrincipalArn { get; init; }

    /// <summary><c>userIdentity.sessionContext.sessionIssuer.arn</c>: for assumed roles the role ARN.</summary>
    public string? SessionIssuerArn { get; init; }

    /// <summary><c>userIdentity.accessKeyId</c>.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary><c>sourceIPAddress</c>: an IP, or a service name for calls AWS made.</summary>
    public string? SourceIpAddress { get; init; }

    /// <summary><c>userAgent</c>.</summary>
    public string? UserAgent { get; init; }

    /// <summary><c>eventTime</c>.</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary><c>eventID</c>, CloudTrail's unique id for the record.</summary>
    public string? EventId { get; init; }

    /// <summary><c>awsRegion</c> (or the envelope's region).</summary>
    public string? Region { get; init; }

    /// <summary>The account whose group changed: <c>recipientAccountId</c>, else the envelope's account, else the caller's.</summary>
    public string? AccountId { get; init; }
}
