using System.Text.Json;
using TrailResponder.Core.Patterns;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// A CloudTrail record read as a security-group change: which call, by whom, on which group, adding which rules.
/// </summary>
/// <remarks>
/// Only successful Authorize* and ModifySecurityGroupRules records have their rules read; for every other record
/// (failed calls, revocations, other services) only the header is read, so that shapes the responder never acts on
/// cannot make it fail.
/// </remarks>
public sealed record SecurityGroupChange
{
    /// <summary>The event source EC2 records use.</summary>
    public const string Ec2EventSource = "ec2.amazonaws.com";

    /// <summary><c>eventSource</c>.</summary>
    public string? EventSource { get; init; }

    /// <summary><c>eventName</c>.</summary>
    public string? EventName { get; init; }

    /// <summary>The call, classified.</summary>
    public required SecurityGroupChangeKind Kind { get; init; }

    /// <summary><c>errorCode</c>: set when the call failed and changed nothing.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The group changed, when the record names it by id.</summary>
    public string? GroupId { get; init; }

    /// <summary>The group's name, for default-VPC callers that name the group instead of giving its id.</summary>
    public string? GroupName { get; init; }

    /// <summary>
    /// The rules added or modified, one per peer. Taken from <c>responseElements.securityGroupRuleSet</c> when present
    /// (each then has its rule id and direction), else expanded from the request.
    /// </summary>
    public IReadOnlyList<SecurityGroupRule> Rules { get; init; } = [];

    /// <summary>Who, when and where.</summary>
    public required SecurityGroupEventOrigin Origin { get; init; }

    /// <summary>Reads a CloudTrail record, bare or as the <c>detail</c> of an EventBridge "AWS API Call via CloudTrail" event.</summary>
    /// <exception cref="SecurityGroupEventFormatException">A field the responder needs has the wrong shape; the message names it.</exception>
    public static SecurityGroupChange Parse(JsonElement recordOrEnvelope) => SecurityGroupRecordReader.Read(recordOrEnvelope);

    /// <summary>The records the responder acts on, as a filter pattern: successful rule additions and modifications.</summary>
    /// <remarks>Used as the LogProcessor's watch pattern, so finding them costs no extra pass over a log file.</remarks>
    public static FilterPattern RecordPattern { get; } = FilterPattern.Parse(
        "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = ModifySecurityGroupRules)) && ($.errorCode NOT EXISTS) }");
}
