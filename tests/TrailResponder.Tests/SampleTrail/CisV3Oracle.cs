using System.Text.Json;

namespace TrailResponder.Tests.SampleTrail;

/// <summary>
/// The CIS v3.0.0 monitoring patterns 4.1-4.15 (filter-patterns.md Part B) hand-translated into C#, with the project's
/// rule that a comparison on a missing field is false. Independent of the generator, so it can check the generator's
/// hand-worked expectations.
/// </summary>
internal static class CisV3Oracle
{
    private static readonly string[] Rule44 = Names("DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy PutGroupPolicy PutRolePolicy PutUserPolicy CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion AttachRolePolicy DetachRolePolicy AttachUserPolicy DetachUserPolicy AttachGroupPolicy DetachGroupPolicy");
    private static readonly string[] Rule45 = Names("CreateTrail UpdateTrail DeleteTrail StartLogging StopLogging");
    private static readonly string[] Rule47 = Names("DisableKey ScheduleKeyDeletion");
    private static readonly string[] Rule48 = Names("PutBucketAcl PutBucketPolicy PutBucketCors PutBucketLifecycle PutBucketReplication DeleteBucketPolicy DeleteBucketCors DeleteBucketLifecycle DeleteBucketReplication");
    private static readonly string[] Rule49 = Names("StopConfigurationRecorder DeleteDeliveryChannel PutDeliveryChannel PutConfigurationRecorder");
    private static readonly string[] Rule410 = Names("AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress RevokeSecurityGroupEgress CreateSecurityGroup DeleteSecurityGroup");
    private static readonly string[] Rule411 = Names("CreateNetworkAcl CreateNetworkAclEntry DeleteNetworkAcl DeleteNetworkAclEntry ReplaceNetworkAclEntry ReplaceNetworkAclAssociation");
    private static readonly string[] Rule412 = Names("CreateCustomerGateway DeleteCustomerGateway AttachInternetGateway CreateInternetGateway DeleteInternetGateway DetachInternetGateway");
    private static readonly string[] Rule413 = Names("CreateRoute CreateRouteTable ReplaceRoute ReplaceRouteTableAssociation DeleteRouteTable DeleteRoute DisassociateRouteTable");
    private static readonly string[] Rule414 = Names("CreateVpc DeleteVpc ModifyVpcAttribute AcceptVpcPeeringConnection CreateVpcPeeringConnection DeleteVpcPeeringConnection RejectVpcPeeringConnection AttachClassicLinkVpc DetachClassicLinkVpc DisableVpcClassicLink EnableVpcClassicLink");
    private static readonly string[] Rule415 = Names("AcceptHandshake AttachPolicy CreateAccount CreateOrganizationalUnit CreatePolicy DeclineHandshake DeleteOrganization DeleteOrganizationalUnit DeletePolicy DetachPolicy DisablePolicyType EnablePolicyType InviteAccountToOrganization LeaveOrganization MoveAccount RemoveAccountFromOrganization UpdatePolicy UpdateOrganizationalUnit");

    /// <summary>The rule ids the record matches, in rule order.</summary>
    public static IReadOnlyList<string> Match(string recordJson)
    {
        using var document = JsonDocument.Parse(recordJson);
        return Match(document.RootElement);
    }

    public static IReadOnlyList<string> Match(JsonElement record)
    {
        var eventName = Text(record, "eventName");
        var eventSource = Text(record, "eventSource");
        var errorCode = Text(record, "errorCode");
        var matches = new List<string>();

        // A || (B && C && D): by precedence the exclusions bind only to the AccessDenied branch.
        var sourceIp = Text(record, "sourceIPAddress");
        if ((errorCode?.EndsWith("UnauthorizedOperation", StringComparison.Ordinal) ?? false)
            || ((errorCode?.StartsWith("AccessDenied", StringComparison.Ordinal) ?? false)
                && sourceIp is not null && sourceIp != "delivery.logs.amazonaws.com"
                && eventName is not null && eventName != "HeadBucket"))
        {
            matches.Add("CIS-4.1");
        }

        var mfaUsed = Text(record, "additionalEventData", "MFAUsed");
        if (eventName == "ConsoleLogin" && mfaUsed is not null && mfaUsed != "Yes")
        {
            matches.Add("CIS-4.2");
        }

        var eventType = Text(record, "eventType");
        if (Text(record, "userIdentity", "type") == "Root" && !Exists(record, "userIdentity", "invokedBy") && eventType is not null && eventType != "AwsServiceEvent")
        {
            matches.Add("CIS-4.3");
        }

        AddIf(matches, "CIS-4.4", In(Rule44, eventName));
        AddIf(matches, "CIS-4.5", In(Rule45, eventName));
        AddIf(matches, "CIS-4.6", eventName == "ConsoleLogin" && Text(record, "errorMessage") == "Failed authentication");
        AddIf(matches, "CIS-4.7", eventSource == "kms.amazonaws.com" && In(Rule47, eventName));
        AddIf(matches, "CIS-4.8", eventSource == "s3.amazonaws.com" && In(Rule48, eventName));
        AddIf(matches, "CIS-4.9", eventSource == "config.amazonaws.com" && In(Rule49, eventName));
        AddIf(matches, "CIS-4.10", In(Rule410, eventName));
        AddIf(matches, "CIS-4.11", In(Rule411, eventName));
        AddIf(matches, "CIS-4.12", In(Rule412, eventName));
        AddIf(matches, "CIS-4.13", In(Rule413, eventName));
        AddIf(matches, "CIS-4.14", In(Rule414, eventName));
        AddIf(matches, "CIS-4.15", eventSource == "organizations.amazonaws.com" && In(Rule415, eventName));
        return matches;
    }

    private static void AddIf(List<string> matches, string ruleId, bool matched)
    {
        if (matched)
        {
            matches.Add(ruleId);
        }
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private static bool Exists(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return false;
            }
        }

        return true;
    }

    private static bool In(string[] names, string? name) => name is not null && Array.IndexOf(names, name) >= 0;

    private static string[] Names(string spaceSeparated) => spaceSeparated.Split(' ');
}
