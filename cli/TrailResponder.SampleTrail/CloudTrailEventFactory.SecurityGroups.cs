using System.Text.Json;

namespace TrailResponder.SampleTrail;

public sealed partial class CloudTrailEventFactory
{
    /// <summary><c>AuthorizeSecurityGroupIngress</c> succeeding, with one <c>sgr-</c> rule per source: triggers CIS-4.10.</summary>
    public string AuthorizeSecurityGroupIngress(string groupId, params IReadOnlyList<SecurityGroupPermission> permissions) =>
        SecurityGroupRuleCall("AuthorizeSecurityGroupIngress", groupId, permissions, egress: false, authorize: true);

    /// <summary><c>AuthorizeSecurityGroupEgress</c> succeeding: triggers CIS-4.10.</summary>
    public string AuthorizeSecurityGroupEgress(string groupId, params IReadOnlyList<SecurityGroupPermission> permissions) =>
        SecurityGroupRuleCall("AuthorizeSecurityGroupEgress", groupId, permissions, egress: true, authorize: true);

    /// <summary><c>RevokeSecurityGroupIngress</c> succeeding: triggers CIS-4.10.</summary>
    public string RevokeSecurityGroupIngress(string groupId, params IReadOnlyList<SecurityGroupPermission> permissions) =>
        SecurityGroupRuleCall("RevokeSecurityGroupIngress", groupId, permissions, egress: false, authorize: false);

    /// <summary><c>RevokeSecurityGroupEgress</c> succeeding: triggers CIS-4.10.</summary>
    public string RevokeSecurityGroupEgress(string groupId, params IReadOnlyList<SecurityGroupPermission> permissions) =>
        SecurityGroupRuleCall("RevokeSecurityGroupEgress", groupId, permissions, egress: true, authorize: false);

    /// <summary>
    /// <c>AuthorizeSecurityGroupIngress</c> failing with <paramref name="errorCode"/> and <c>responseElements: null</c>:
    /// triggers CIS-4.10, and CIS-4.1 too when the code ends in <c>UnauthorizedOperation</c>.
    /// </summary>
    public string FailedAuthorizeSecurityGroupIngress(string groupId, SecurityGroupPermission permission, string errorCode = "Client.InvalidPermission.Duplicate")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentNullException.ThrowIfNull(permission);
        var message = errorCode.EndsWith("UnauthorizedOperation", StringComparison.Ordinal)
            ? "You are not authorized to perform this operation. Encoded authorization failure message: " + random.Alphanumeric(220)
            : $"the specified rule \"peer: {FirstSource(permission)}, {permission.IpProtocol.ToUpperInvariant()}, from port: {permission.FromPort}, to port: {permission.ToPort}, ALLOW\" already exists";
        return Render(Call(principals.AssumedRole(), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", readOnly: false) with
        {
            ErrorCode = errorCode,
            ErrorMessage = message,
            RequestParameters = w => WriteIpPermissionsRequest(w, groupId, [permission]),
            ApiVersion = null,
        });
    }

    /// <summary>
    /// <c>ModifySecurityGroupRules</c> replacing one rule, in its PascalCase wrappers. No CIS pattern names this
    /// event; it matters to the responder because it can widen an existing rule.
    /// </summary>
    public string ModifySecurityGroupRules(string groupId, string securityGroupRuleId, SecurityGroupPermission permission)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(securityGroupRuleId);
        ArgumentNullException.ThrowIfNull(permission);
        var requestId = random.Uuid();
        return Render(Call(principals.AssumedRole(), "ec2.amazonaws.com", "ModifySecurityGroupRules", readOnly: false) with
        {
            RequestId = requestId,
            RequestParameters = w =>
            {
                w.WriteStartObject("ModifySecurityGroupRulesRequest");
                w.WriteString("GroupId", groupId);
                w.WriteStartObject("SecurityGroupRule");
                w.WriteString("SecurityGroupRuleId", securityGroupRuleId);
                w.WriteStartObject("SecurityGroupRule");
                w.WriteString("IpProtocol", permission.IpProtocol);
                w.WriteNumber("FromPort", permission.FromPort ?? -1);
                w.WriteNumber("ToPort", permission.ToPort ?? -1);
                WritePascalCaseTarget(w, permission);
                if (permission.Description is not null)
                {
                    w.WriteString("Description", permission.Description);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            },
            ResponseElements = w =>
            {
                w.WriteStartObject("ModifySecurityGroupRulesResponse");
                w.WriteString("xmlns", "http://ec2.amazonaws.com/doc/2016-11-15/");
                w.WriteString("requestId", requestId);
                w.WriteBoolean("return", true);
                w.WriteEndObject();
            },
        });
    }

    private string SecurityGroupRuleCall(string eventName, string groupId, IReadOnlyList<SecurityGroupPermission> permissions, bool egress, bool authorize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentNullException.ThrowIfNull(permissions);
        if (permissions.Count == 0)
        {
            throw new ArgumentException("At least one permission is needed.", nameof(permissions));
        }

        var requestId = random.Uuid();
        var ruleIds = new List<string>();
        foreach (var permission in permissions)
        {
            for (var i = 0; i < SourceCount(permission); i++)
            {
                ruleIds.Add("sgr-0" + random.Hex(16));
            }
        }

        return Render(Call(principals.AssumedRole(), "ec2.amazonaws.com", eventName, readOnly: false) with
        {
            RequestId = requestId,
            RequestParameters = w => WriteIpPermissionsRequest(w, groupId, permissions),
            ResponseElements = w =>
            {
                w.WriteString("requestId", requestId);
                w.WriteBoolean("_return", true);
                if (authorize)
                {
                    WriteCreatedRules(w, groupId, permissions, ruleIds, egress);
                }
            },
        });
    }

    private void WriteIpPermissionsRequest(Utf8JsonWriter w, string groupId, IReadOnlyList<SecurityGroupPermission> permissions)
    {
        w.WriteString("groupId", groupId);
        w.WriteStartObject("ipPermissions");
        w.WriteStartArray("items");
        foreach (var permission in permissions)
        {
            w.WriteStartObject();
            w.WriteString("ipProtocol", permission.IpProtocol);
            if (permission.FromPort is { } from)
            {
                w.WriteNumber("fromPort", from);
            }

            if (permission.ToPort is { } to)
            {
                w.WriteNumber("toPort", to);
            }

            WriteItems(w, "groups", permission.ReferencedGroupIds, "groupId", permission.Description, AccountId);
            WriteItems(w, "ipRanges", permission.Ipv4Cidrs, "cidrIp", permission.Description, null);
            WriteItems(w, "ipv6Ranges", permission.Ipv6Cidrs, "cidrIpv6", permission.Description, null);
            WriteItems(w, "prefixListIds", permission.PrefixListIds, "prefixListId", permission.Description, null);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>EC2 writes an empty collection as <c>{}</c> and a non-empty one as <c>{"items":[...]}</c>.</summary>
    private static void WriteItems(Utf8JsonWriter w, string name, IReadOnlyList<string> values, string valueName, string? description, string? userId)
    {
        w.WriteStartObject(name);
        if (values.Count > 0)
        {
            w.WriteStartArray("items");
            foreach (var value in values)
            {
                w.WriteStartObject();
                w.WriteString(valueName, value);
                CallerIdentity.WriteIfPresent(w, "userId", userId);
                CallerIdentity.WriteIfPresent(w, "description", description);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private void WriteCreatedRules(Utf8JsonWriter w, string groupId, IReadOnlyList<SecurityGroupPermission> permissions, List<string> ruleIds, bool egress)
    {
        var next = 0;
        w.WriteStartObject("securityGroupRuleSet");
        w.WriteStartArray("items");
        foreach (var permission in permissions)
        {
            foreach (var (kind, value) in Sources(permission))
            {
                w.WriteStartObject();
                w.WriteString("groupOwnerId", AccountId);
                w.WriteString("groupId", groupId);
                w.WriteString("securityGroupRuleId", ruleIds[next++]);
                w.WriteBoolean("isEgress", egress);
                w.WriteString("ipProtocol", permission.IpProtocol);
                w.WriteNumber("fromPort", permission.FromPort ?? -1);
                w.WriteNumber("toPort", permission.ToPort ?? -1);
                if (kind == "referencedGroupInfo")
                {
                    w.WriteStartObject("referencedGroupInfo");
                    w.WriteString("groupId", value);
                    w.WriteString("userId", AccountId);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString(kind, value);
                }

                CallerIdentity.WriteIfPresent(w, "description", permission.Description);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePascalCaseTarget(Utf8JsonWriter w, SecurityGroupPermission permission)
    {
        var (kind, value) = Sources(permission).FirstOrDefault();
        var name = kind switch
        {
            "cidrIpv4" => "CidrIpv4",
            "cidrIpv6" => "CidrIpv6",
            "prefixListId" => "PrefixListId",
            "referencedGroupInfo" => "ReferencedGroupId",
            _ => throw new ArgumentException("A modified rule needs exactly one source.", nameof(permission)),
        };
        w.WriteString(name, value);
    }

    private static int SourceCount(SecurityGroupPermission p) =>
        p.Ipv4Cidrs.Count + p.Ipv6Cidrs.Count + p.PrefixListIds.Count + p.ReferencedGroupIds.Count;

    private static string FirstSource(SecurityGroupPermission p) => Sources(p).Select(s => s.Value).FirstOrDefault() ?? "none";

    /// <summary>Each source of a permission becomes its own rule, in the order EC2 reports them.</summary>
    private static IEnumerable<(string Kind, string Value)> Sources(SecurityGroupPermission p) =>
        p.Ipv4Cidrs.Select(c => ("cidrIpv4", c))
            .Concat(p.Ipv6Cidrs.Select(c => ("cidrIpv6", c)))
            .Concat(p.PrefixListIds.Select(c => ("prefixListId", c)))
            .Concat(p.ReferencedGroupIds.Select(c => ("referencedGroupInfo", c)));
}
