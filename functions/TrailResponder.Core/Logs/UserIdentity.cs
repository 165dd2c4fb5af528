namespace TrailResponder.Core.Logs;

/// <summary>Who made the request: the common members of a record's <c>userIdentity</c>.</summary>
public sealed record UserIdentity(
    string? Type,
    string? Arn,
    string? UserName,
    string? AccountId,
    string? InvokedBy,
    string? PrincipalId,
    string? AccessKeyId,
    string? SessionIssuerArn);
