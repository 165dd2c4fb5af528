using System.Buffers;
using System.Globalization;
using System.Text.Json;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Delivery;

/// <summary>Turns a <see cref="Finding"/> into a valid ASFF finding (see aws-wire.md §3).</summary>
/// <remarks>
/// CreatedAt is the event's time, so importing the same finding again keeps it while UpdatedAt moves forward:
/// Security Hub applies an import only when its UpdatedAt is later than the stored one. Record values are untrusted: the
/// record's region and account are used in ARNs only when they have a region's or an account's shape, Title and
/// Description show hidden characters as escapes (<see cref="NotificationText"/>), and ProductFields keep the exact values.
/// </remarks>
public sealed class AsffFindingBuilder(AsffContext context, TimeProvider? clock = null)
{
    private const int MaxTitle = 256;
    private const int MaxDescription = 1024;
    private const int MaxRecommendation = 512;
    private const int MaxProductFieldValue = 2048;
    private const int MaxResources = 32;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Where findings are imported (the partition and region of console links).</summary>
    public AsffContext Context => context;

    /// <summary>The ASFF finding for one rule match.</summary>
    public AsffFinding Build(Finding finding)
    {
        var now = AsffFields.Timestamp(_clock.GetUtcNow());
        var observed = ObservedAt(finding.EventTime) ?? now;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            AsffFields.WriteIdentity(json, context, finding.FindingId, finding.Rule.Id, Account(finding));
            WriteTypes(json, "Types", finding.Rule);
            json.WriteString("FirstObservedAt", observed);
            json.WriteString("LastObservedAt", observed);
            json.WriteString("CreatedAt", observed);
            json.WriteString("UpdatedAt", now);
            AsffFields.WriteSeverity(json, finding.Severity);
            json.WriteStartObject("FindingProviderFields");
            AsffFields.WriteSeverity(json, finding.Severity);
            WriteTypes(json, "Types", finding.Rule);
            json.WriteEndObject();
            json.WriteString("Title", AsffFields.Clip(NotificationText.SingleLine($"{finding.Rule.Title}: {finding.EventName ?? "event"} by {Who(finding)}"), MaxTitle));
            json.WriteString("Description", AsffFields.Clip(NotificationText.SingleLine(Description(finding)), MaxDescription));
            WriteRemediation(json, finding.Rule);
            if (ConsoleLinks.CloudTrailEvent(context.Partition, finding.AwsRegion, finding.EventId) is { } link)
            {
                json.WriteString("SourceUrl", link);
            }

            WriteProductFields(json, finding);
            json.WriteStartObject("Workflow");
            json.WriteString("Status", "NEW");
            json.WriteEndObject();
            json.WriteString("RecordState", "ACTIVE");
            WriteResources(json, finding);
            json.WriteEndObject();
        }

        return new AsffFinding(finding.FindingId, buffer.WrittenMemory.ToArray());
    }

    private static string? ObservedAt(string? eventTime) =>
        DateTimeOffset.TryParse(eventTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? AsffFields.Timestamp(time)
            : null;

    private static void WriteTypes(Utf8JsonWriter json, string name, DetectionRule rule)
    {
        json.WriteStartArray(name);
        foreach (var type in rule.FindingTypes.Count > 0 ? rule.FindingTypes : ["Unusual Behaviors/User"])
        {
            json.WriteStringValue(type);
        }

        json.WriteEndArray();
    }

    private static void WriteProductFields(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject("ProductFields");
        Field(json, "ProviderName", "TrailResponder");
        Field(json, "trailresponder/RuleId", finding.Rule.Id);
        Field(json, "trailresponder/EventId", finding.EventId);
        Field(json, "trailresponder/EventName", finding.EventName);
        Field(json, "trailresponder/EventSource", finding.EventSource);
        Field(json, "trailresponder/EventTime", finding.EventTime);
        Field(json, "trailresponder/LogFile", finding.LogFile);
        Field(json, "trailresponder/PrincipalArn", finding.Principal?.Arn);
        Field(json, "trailresponder/AccessKeyId", finding.Principal?.AccessKeyId);
        Field(json, "trailresponder/SourceIpAddress", finding.SourceIpAddress);
        Field(json, "trailresponder/ErrorCode", finding.ErrorCode);
        Field(json, "trailresponder/AttackTechniques", string.Join(", ", finding.Rule.AttackTechniques));
        Field(json, "trailresponder/AttackTactics", string.Join(", ", finding.Rule.AttackTactics));
        Field(json, "trailresponder/RuleSource", finding.Rule.Source);
        json.WriteEndObject();
    }

    // The rule's advice, then what its author knows of harmless matches and where to read more; the first web
    // reference is also the recommendation's link.
    private static void WriteRemediation(Utf8JsonWriter json, DetectionRule rule)
    {
        json.WriteStartObject("Remediation");
        json.WriteStartObject("Recommendation");
        json.WriteString("Text", AsffFields.Clip(RuleNotes.Recommendation(rule), MaxRecommendation));
        if (RuleNotes.WebReference(rule) is { } url)
        {
            json.WriteString("Url", url);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Field(Utf8JsonWriter json, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            json.WriteString(key, AsffFields.Clip(value, MaxProductFieldValue));
        }
    }

    private void WriteResources(Utf8JsonWriter json, Finding finding)
    {
        var account = Account(finding);
        var region = AwsNames.IsRegion(finding.AwsRegion) ? finding.AwsRegion! : context.Region;
        var resources = finding.Resources
            .Select(r => AsffResource(r, region, account))
            .Distinct()
            .Take(MaxResources - 1)
            .ToList();
        if (resources.Count == 0)
        {
            resources.Add(("AwsAccount", $"AWS::::Account:{account}", null));
        }

        if (finding.Principal?.Arn is { Length: > 0 } principal)
        {
            resources.Add((AsffFields.PrincipalType(principal), principal, "Actor"));
        }

        json.WriteStartArray("Resources");
        foreach (var (type, resourceId, role) in resources)
        {
            json.WriteStartObject();
            json.WriteString("Type", type);
            json.WriteString("Id", resourceId);
            json.WriteString("Partition", context.Partition);
            json.WriteString("Region", region);
            if (role is not null)
            {
                json.WriteString("ResourceRole", role);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    // CloudTrail names resources by CloudFormation type and often by plain id; ASFF wants its own types and ARNs.
    private (string Type, string Id, string? Role) AsffResource(FindingResource resource, string region, string account) => resource.Type switch
    {
        "AWS::S3::Bucket" => ("AwsS3Bucket", resource.Id, null),
        "AWS::S3::Object" => ("AwsS3Object", resource.Id, null),
        "AWS::EC2::SecurityGroup" => ("AwsEc2SecurityGroup", Arn(resource.Id, $"arn:{context.Partition}:ec2:{region}:{account}:security-group/"), null),
        "AWS::EC2::VPC" => ("AwsEc2Vpc", Arn(resource.Id, $"arn:{context.Partition}:ec2:{region}:{account}:vpc/"), null),
        "AWS::EC2::NetworkAcl" => ("AwsEc2NetworkAcl", Arn(resource.Id, $"arn:{context.Partition}:ec2:{region}:{account}:network-acl/"), null),
        "AWS::EC2::RouteTable" => ("AwsEc2RouteTable", Arn(resource.Id, $"arn:{context.Partition}:ec2:{region}:{account}:route-table/"), null),
        "AWS::IAM::User" => ("AwsIamUser", Arn(resource.Id, $"arn:{context.Partition}:iam::{account}:user/"), null),
        "AWS::IAM::Role" => ("AwsIamRole", Arn(resource.Id, $"arn:{context.Partition}:iam::{account}:role/"), null),
        "AWS::IAM::Group" => ("AwsIamGroup", Arn(resource.Id, $"arn:{context.Partition}:iam::{account}:group/"), null),
        "AWS::IAM::Policy" => ("AwsIamPolicy", resource.Id, null),
        "AWS::KMS::Key" => ("AwsKmsKey", Arn(resource.Id, $"arn:{context.Partition}:kms:{region}:{account}:key/"), null),
        "AWS::CloudTrail::Trail" => ("AwsCloudTrailTrail", Arn(resource.Id, $"arn:{context.Partition}:cloudtrail:{region}:{account}:trail/"), null),
        _ => ("Other", resource.Id, null),
    };

    private string Account(Finding finding) => AwsNames.IsAccountId(finding.AccountId) ? finding.AccountId! : context.AccountId;

    private static string Arn(string id, string prefix) => id.StartsWith("arn:", StringComparison.Ordinal) ? id : prefix + id;

    private static string Description(Finding finding)
    {
        var where = $"{finding.AwsRegion ?? "an unknown region"} of account {finding.AccountId ?? "unknown"}";
        var from = finding.SourceIpAddress is null ? string.Empty : $" from {finding.SourceIpAddress}";
        var error = finding.ErrorCode is null ? string.Empty : $" It failed with {finding.ErrorCode}.";
        return $"{NonEmpty(finding.Rule.Description, finding.Rule.Title)} {finding.EventSource}:{finding.EventName} by {Who(finding)}{from} at {finding.EventTime} in {where}.{error}";
    }

    private static string Who(Finding finding) =>
        finding.Principal?.Arn ?? finding.Principal?.UserName ?? finding.Principal?.Type ?? "an unknown principal";

    private static string NonEmpty(string text, string fallback) => string.IsNullOrWhiteSpace(text) ? fallback : text;
}
