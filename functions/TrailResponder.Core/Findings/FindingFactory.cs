using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Findings;

/// <summary>Turns a rule match into a <see cref="Finding"/>.</summary>
public static class FindingFactory
{
    /// <summary>The finding for <paramref name="rule"/> matching <paramref name="record"/>.</summary>
    public static Finding Create(DetectionRule rule, CloudTrailRecord record)
    {
        var identity = record.UserIdentity;
        return new Finding
        {
            Rule = rule,
            FindingId = FindingIdFor(rule.Id, record),
            EventId = record.EventId,
            EventTime = record.EventTimeText,
            // Insights records name the API they are about only inside insightDetails.
            EventName = record.EventName ?? record.InsightEventName,
            EventSource = record.EventSource ?? record.InsightEventSource,
            AwsRegion = record.AwsRegion,
            AccountId = record.RecipientAccountId ?? identity?.AccountId,
            Principal = identity is null
                ? null
                : new FindingPrincipal(identity.Arn, identity.Type, identity.UserName, identity.AccountId, identity.AccessKeyId),
            SourceIpAddress = record.SourceIpAddress,
            UserAgent = record.UserAgent,
            ErrorCode = record.ErrorCode,
            ErrorMessage = record.ErrorMessage,
            Resources = EventResources.Of(record),
            LogFile = record.Source,
        };
    }

    /// <summary>
    /// <c>{ruleId}/{eventID}</c>; a record without an eventID is identified by the SHA-256 of its bytes instead,
    /// which is just as stable across re-processing.
    /// </summary>
    public static string FindingIdFor(string ruleId, CloudTrailRecord record) =>
        record.EventId is { Length: > 0 } eventId
            ? $"{ruleId}/{eventId}"
            : $"{ruleId}/sha256:{Convert.ToHexStringLower(SHA256.HashData(record.Json.Span))}";
}

/// <summary>The resources a CloudTrail record names: its <c>resources</c> list and well-known request parameters.</summary>
public static class EventResources
{
    // Request parameters that name a resource, with the resource type they name. Most management events have no
    // resources list, so without these a finding about PutBucketPolicy would not say which bucket.
    private static readonly (string Parameter, string? EventSource, string Type, Func<string, string> Id)[] Parameters =
    [
        ("bucketName", "s3.amazonaws.com", "AWS::S3::Bucket", name => $"arn:aws:s3:::{name}"),
        ("groupId", "ec2.amazonaws.com", "AWS::EC2::SecurityGroup", id => id),
        ("userName", "iam.amazonaws.com", "AWS::IAM::User", name => name),
        ("roleName", "iam.amazonaws.com", "AWS::IAM::Role", name => name),
        ("groupName", "iam.amazonaws.com", "AWS::IAM::Group", name => name),
        ("policyArn", "iam.amazonaws.com", "AWS::IAM::Policy", arn => arn),
        ("keyId", "kms.amazonaws.com", "AWS::KMS::Key", id => id),
        ("name", "cloudtrail.amazonaws.com", "AWS::CloudTrail::Trail", name => name),
        ("vpcId", "ec2.amazonaws.com", "AWS::EC2::VPC", id => id),
        ("networkAclId", "ec2.amazonaws.com", "AWS::EC2::NetworkAcl", id => id),
        ("routeTableId", "ec2.amazonaws.com", "AWS::EC2::RouteTable", id => id),
        ("internetGatewayId", "ec2.amazonaws.com", "AWS::EC2::InternetGateway", id => id),
        ("customerGatewayId", "ec2.amazonaws.com", "AWS::EC2::CustomerGateway", id => id),
        ("detectorId", "guardduty.amazonaws.com", "AWS::GuardDuty::Detector", id => id),
        ("configurationRecorderName", "config.amazonaws.com", "AWS::Config::ConfigurationRecorder", name => name),
    ];

    /// <summary>Every resource the record names, without duplicates, in a stable order.</summary>
    public static IReadOnlyList<FindingResource> Of(CloudTrailRecord record)
    {
        var found = new List<FindingResource>();
        if (record.Select(CloudTrailFields.Resources) is { ValueKind: JsonValueKind.Array } resources)
        {
            foreach (var resource in resources.EnumerateArray())
            {
                if (resource.ValueKind == JsonValueKind.Object
                    && resource.TryGetProperty("ARN", out var arn) && arn.ValueKind == JsonValueKind.String)
                {
                    var type = resource.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "Other";
                    found.Add(new FindingResource(type, arn.GetString()!));
                }
            }
        }

        if (record.Select(CloudTrailFields.RequestParameters) is { ValueKind: JsonValueKind.Object } parameters)
        {
            var source = record.EventSource;
            foreach (var (parameter, eventSource, type, id) in Parameters)
            {
                if (source == eventSource && parameters.TryGetProperty(parameter, out var value) && value.ValueKind == JsonValueKind.String
                    && value.GetString() is { Length: > 0 } text)
                {
                    found.Add(new FindingResource(type, id(text)));
                }
            }

            if (parameters.TryGetProperty("ModifySecurityGroupRulesRequest", out var modify) && modify.ValueKind == JsonValueKind.Object
                && modify.TryGetProperty("GroupId", out var group) && group.ValueKind == JsonValueKind.String)
            {
                found.Add(new FindingResource("AWS::EC2::SecurityGroup", group.GetString()!));
            }
        }

        return found.Distinct().ToArray();
    }
}
