using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using TrailResponder.LocalAws.Protocol;

namespace TrailResponder.LocalAws.Services;

/// <summary>EC2 security-group operations: DescribeSecurityGroupRules, DescribeSecurityGroups, RevokeSecurityGroupIngress/Egress, ModifySecurityGroupRules.</summary>
internal sealed class Ec2Handler(Ec2Store store, string accountId) : IServiceHandler
{
    private static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public IReadOnlySet<string> Operations { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "DescribeSecurityGroupRules", "DescribeSecurityGroups", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "ModifySecurityGroupRules",
    };

    public ServiceReply Handle(ServiceCall call)
    {
        if (call.Input["DryRun"]?.GetValue<bool>() == true && call.Operation.StartsWith("Describe", StringComparison.Ordinal))
        {
            throw DryRunSucceeded();
        }
        return call.Operation switch
        {
            "DescribeSecurityGroupRules" => DescribeRules(call.Input),
            "DescribeSecurityGroups" => DescribeGroups(call.Input),
            "RevokeSecurityGroupIngress" => Revoke(call.Input, isEgress: false),
            "ModifySecurityGroupRules" => Modify(call.Input),
            _ => Revoke(call.Input, isEgress: true),
        };
    }

    // Describe calls that name ids answer those, in that order, and refuse the whole call if one does not exist.
    private static IEnumerable<T> ByIds<T>(IEnumerable<T> items, IReadOnlyList<string> ids, Func<T, string> idOf, Func<string, AwsErrorException> notFound)
    {
        if (ids.Count == 0)
        {
            return items;
        }

        var all = items.ToDictionary(idOf, StringComparer.Ordinal);
        var missing = ids.FirstOrDefault(id => !all.ContainsKey(id));
        return missing is null ? ids.Select(id => all[id]) : throw notFound(missing);
    }

    // EC2 reports a DryRun that would have succeeded as an error, so callers can tell it from a real change.
    private static AwsErrorException DryRunSucceeded() => new(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");

    private ServiceReply DescribeRules(JsonObject input)
    {
        var rules = ByIds(
            store.AllRules,
            Strings(input["SecurityGroupRuleIds"]),
            r => r.RuleId,
            missing => new AwsErrorException(400, "InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{missing}' does not exist"));
        foreach (var (name, values) in Filters(input))
        {
            Func<SecurityGroupRule, bool> matches = name switch
            {
                "group-id" => r => values.Contains(r.GroupId),
                "security-group-rule-id" => r => values.Contains(r.RuleId),
                "tag-key" => r => r.Tags.Keys.Any(values.Contains),
                _ when name.StartsWith("tag:", StringComparison.Ordinal) => r => r.Tags.TryGetValue(name[4..], out var v) && values.Contains(v),
                _ => throw InvalidFilter(name),
            };
            rules = rules.Where(matches);
        }
        var (page, nextToken) = Page([.. rules], input);
        return Reply("DescribeSecurityGroupRulesResponse",
            new XElement(Ns + "securityGroupRuleSet", page.Select(RuleItem)),
            nextToken is null ? null : new XElement(Ns + "nextToken", nextToken));
    }

    private ServiceReply DescribeGroups(JsonObject input)
    {
        var groups = ByIds(
            store.Groups,
            Strings(input["GroupIds"]),
            g => g.GroupId,
            missing => new AwsErrorException(400, "InvalidGroup.NotFound", $"The security group '{missing}' does not exist"));
        var names = Strings(input["GroupNames"]);
        if (names.Count > 0)
        {
            var missing = names.FirstOrDefault(n => !groups.Any(g => g.GroupName == n));
            if (missing is not null)
            {
                throw new AwsErrorException(400, "InvalidGroup.NotFound", $"The security group '{missing}' does not exist in default VPC");
            }
            groups = groups.Where(g => names.Contains(g.GroupName));
        }
        foreach (var (name, values) in Filters(input))
        {
            Func<SecurityGroup, bool> matches = name switch
            {
                "group-id" => g => values.Contains(g.GroupId),
                "group-name" => g => values.Contains(g.GroupName),
                "vpc-id" => g => values.Contains(g.VpcId),
                "description" => g => values.Contains(g.Description),
                "tag-key" => g => g.Tags.Keys.Any(values.Contains),
                _ when name.StartsWith("tag:", StringComparison.Ordinal) => g => g.Tags.TryGetValue(name[4..], out var v) && values.Contains(v),
                _ => throw InvalidFilter(name),
            };
            groups = groups.Where(matches);
        }
        var (page, nextToken) = Page([.. groups], input);
        var rules = store.AllRules;
        return Reply("DescribeSecurityGroupsResponse",
            new XElement(Ns + "securityGroupInfo", page.Select(g => new XElement(Ns + "item",
                new XElement(Ns + "ownerId", g.OwnerId),
                new XElement(Ns + "groupId", g.GroupId),
                new XElement(Ns + "groupName", g.GroupName),
                new XElement(Ns + "groupDescription", g.Description),
                new XElement(Ns + "vpcId", g.VpcId),
                new XElement(Ns + "ipPermissions", rules.Where(r => r.GroupId == g.GroupId && !r.IsEgress).Select(PermissionItem)),
                new XElement(Ns + "ipPermissionsEgress", rules.Where(r => r.GroupId == g.GroupId && r.IsEgress).Select(PermissionItem)),
                TagSet(g.Tags)))),
            nextToken is null ? null : new XElement(Ns + "nextToken", nextToken));
    }

    private ServiceReply Revoke(JsonObject input, bool isEgress)
    {
        var operation = isEgress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress";
        var groupId = input["GroupId"]?.GetValue<string>();
        if (groupId is null && input["GroupName"]?.GetValue<string>() is { } groupName)
        {
            groupId = store.Groups.FirstOrDefault(g => g.GroupName == groupName)?.GroupId
                ?? throw new AwsErrorException(400, "InvalidGroup.NotFound", $"The security group '{groupName}' does not exist in default VPC");
        }
        if (groupId is null)
        {
            throw new AwsErrorException(400, "MissingParameter", "The request must contain the parameter groupName or groupId");
        }
        if (!store.Groups.Any(g => g.GroupId == groupId))
        {
            throw new AwsErrorException(400, "InvalidGroup.NotFound", $"The security group '{groupId}' does not exist");
        }

        var ruleIds = Strings(input["SecurityGroupRuleIds"]);
        var permissions = Permissions(input);
        if (ruleIds.Count > 0 && permissions.Count > 0)
        {
            throw new AwsErrorException(400, "InvalidParameterCombination", "You may specify either security group rule IDs or IP permissions, but not both.");
        }
        if (ruleIds.Count == 0 && permissions.Count == 0)
        {
            throw new AwsErrorException(400, "MissingParameter", "Either SecurityGroupRuleIds or IpPermissions must be specified.");
        }
        if (input["DryRun"]?.GetValue<bool>() == true)
        {
            throw DryRunSucceeded();
        }

        var revoked = store.Revoke(groupId, isEgress, candidates =>
        {
            if (ruleIds.Count > 0)
            {
                var missing = ruleIds.FirstOrDefault(id => candidates.All(r => r.RuleId != id));
                return missing is null
                    ? [.. candidates.Where(r => ruleIds.Contains(r.RuleId))]
                    : throw new AwsErrorException(400, "InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{missing}' does not exist");
            }
            var chosen = new List<SecurityGroupRule>();
            foreach (var wanted in permissions)
            {
                var match = candidates.FirstOrDefault(r => Matches(r, wanted))
                    ?? throw new AwsErrorException(400, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
                chosen.Add(match);
            }
            return chosen.Distinct().ToList();
        });

        return Reply(operation + "Response",
            new XElement(Ns + "return", "true"),
            new XElement(Ns + "revokedSecurityGroupRuleSet", revoked.Select(r => new XElement(Ns + "item",
                new XElement(Ns + "securityGroupRuleId", r.RuleId),
                new XElement(Ns + "groupId", r.GroupId),
                new XElement(Ns + "isEgress", r.IsEgress ? "true" : "false"),
                new XElement(Ns + "ipProtocol", r.IpProtocol),
                new XElement(Ns + "fromPort", r.FromPort ?? -1),
                new XElement(Ns + "toPort", r.ToPort ?? -1),
                Optional("cidrIpv4", r.CidrIpv4),
                Optional("cidrIpv6", r.CidrIpv6),
                Optional("prefixListId", r.PrefixListId),
                Optional("referencedGroupId", r.ReferencedGroupId),
                Optional("description", r.Description)))));
    }

    // What a person fixing a rule in place does (the console's "Edit inbound rules"): same id and direction, new contents.
    private ServiceReply Modify(JsonObject input)
    {
        var groupId = input["GroupId"]!.GetValue<string>();
        if (!store.Groups.Any(g => g.GroupId == groupId))
        {
            throw new AwsErrorException(400, "InvalidGroup.NotFound", $"The security group '{groupId}' does not exist");
        }
        if (input["DryRun"]?.GetValue<bool>() == true)
        {
            throw DryRunSucceeded();
        }

        store.Modify(groupId, rules =>
        {
            var replacements = new List<SecurityGroupRule>();
            foreach (var update in input["SecurityGroupRules"]!.AsArray())
            {
                var ruleId = update!["SecurityGroupRuleId"]?.GetValue<string>()
                    ?? throw new AwsErrorException(400, "MissingParameter", "The request must contain the parameter SecurityGroupRule.N.SecurityGroupRuleId");
                var rule = rules.FirstOrDefault(r => r.RuleId == ruleId)
                    ?? throw new AwsErrorException(400, "InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{ruleId}' does not exist");
                var spec = update["SecurityGroupRule"]?.AsObject()
                    ?? throw new AwsErrorException(400, "MissingParameter", "The request must contain the parameter SecurityGroupRule.N.SecurityGroupRule");
                var changed = rule with
                {
                    IpProtocol = spec["IpProtocol"]?.GetValue<string>() ?? rule.IpProtocol,
                    FromPort = (int?)spec["FromPort"]?.GetValue<long>(),
                    ToPort = (int?)spec["ToPort"]?.GetValue<long>(),
                    CidrIpv4 = spec["CidrIpv4"]?.GetValue<string>(),
                    CidrIpv6 = spec["CidrIpv6"]?.GetValue<string>(),
                    PrefixListId = spec["PrefixListId"]?.GetValue<string>(),
                    ReferencedGroupId = spec["ReferencedGroupId"]?.GetValue<string>(),
                    Description = spec["Description"]?.GetValue<string>(),
                };

                // The model's documentation: exactly one peer, and a rule keeps its type (an IPv4 range stays an IPv4 range).
                var peers = new[] { changed.CidrIpv4, changed.CidrIpv6, changed.PrefixListId, changed.ReferencedGroupId };
                if (peers.Count(p => p is not null) != 1)
                {
                    throw new AwsErrorException(400, "InvalidParameterCombination", "Specify exactly one of CidrIpv4, CidrIpv6, PrefixListId, ReferencedGroupId.");
                }
                var before = new[] { rule.CidrIpv4, rule.CidrIpv6, rule.PrefixListId, rule.ReferencedGroupId };
                if (Array.FindIndex(peers, p => p is not null) != Array.FindIndex(before, p => p is not null))
                {
                    throw new AwsErrorException(400, "InvalidParameterValue", $"The type of security group rule '{ruleId}' cannot be changed.");
                }
                if (rules.Any(r => r.RuleId != ruleId && r.IsEgress == changed.IsEgress && Matches(r, Wanted(changed))))
                {
                    throw new AwsErrorException(400, "InvalidPermission.Duplicate", "the specified rule already exists");
                }
                replacements.Add(changed);
            }
            return replacements;
        });

        return Reply("ModifySecurityGroupRulesResponse", new XElement(Ns + "return", "true"));
    }

    private static WantedRule Wanted(SecurityGroupRule rule) =>
        new(rule.IpProtocol, rule.FromPort, rule.ToPort, rule.CidrIpv4, rule.CidrIpv6, rule.PrefixListId, rule.ReferencedGroupId);

    /// <summary>One wanted (protocol, ports, single source) tuple from an IpPermission; every source of a permission becomes its own tuple.</summary>
    private sealed record WantedRule(string IpProtocol, int? FromPort, int? ToPort, string? CidrIpv4, string? CidrIpv6, string? PrefixListId, string? ReferencedGroupId);

    private static List<WantedRule> Permissions(JsonObject input)
    {
        var wanted = new List<WantedRule>();
        foreach (var permission in input["IpPermissions"]?.AsArray() ?? [])
        {
            var protocol = permission!["IpProtocol"]?.GetValue<string>() ?? "-1";
            var from = (int?)permission["FromPort"]?.GetValue<long>();
            var to = (int?)permission["ToPort"]?.GetValue<long>();
            var sources = new List<WantedRule>();
            sources.AddRange((permission["IpRanges"]?.AsArray() ?? []).Select(r => new WantedRule(protocol, from, to, r!["CidrIp"]?.GetValue<string>(), null, null, null)));
            sources.AddRange((permission["Ipv6Ranges"]?.AsArray() ?? []).Select(r => new WantedRule(protocol, from, to, null, r!["CidrIpv6"]?.GetValue<string>(), null, null)));
            sources.AddRange((permission["PrefixListIds"]?.AsArray() ?? []).Select(r => new WantedRule(protocol, from, to, null, null, r!["PrefixListId"]?.GetValue<string>(), null)));
            sources.AddRange((permission["UserIdGroupPairs"]?.AsArray() ?? []).Select(r => new WantedRule(protocol, from, to, null, null, null, r!["GroupId"]?.GetValue<string>())));
            if (sources.Count == 0)
            {
                throw new AwsErrorException(400, "InvalidPermission.Malformed", "An IP permission must name at least one source or destination.");
            }
            wanted.AddRange(sources);
        }
        // The legacy flat parameters describe one permission (ingress, default VPC).
        if (input["CidrIp"]?.GetValue<string>() is { } cidr)
        {
            wanted.Add(new WantedRule(input["IpProtocol"]?.GetValue<string>() ?? "-1", (int?)input["FromPort"]?.GetValue<long>(), (int?)input["ToPort"]?.GetValue<long>(), cidr, null, null, null));
        }
        return wanted;
    }

    private static bool Matches(SecurityGroupRule rule, WantedRule wanted)
    {
        var protocol = NormalizeProtocol(rule.IpProtocol);
        if (protocol != NormalizeProtocol(wanted.IpProtocol))
        {
            return false;
        }
        // Ports mean nothing for "all protocols"; elsewhere an omitted port equals -1.
        if (protocol != "-1" && ((rule.FromPort ?? -1) != (wanted.FromPort ?? -1) || (rule.ToPort ?? -1) != (wanted.ToPort ?? -1)))
        {
            return false;
        }
        return rule.CidrIpv4 == wanted.CidrIpv4 && rule.CidrIpv6 == wanted.CidrIpv6 && rule.PrefixListId == wanted.PrefixListId && rule.ReferencedGroupId == wanted.ReferencedGroupId;
    }

    private static string NormalizeProtocol(string protocol) => protocol.ToLowerInvariant() switch
    {
        "tcp" => "6",
        "udp" => "17",
        "icmp" => "1",
        "icmpv6" => "58",
        "all" => "-1",
        var other => other,
    };

    private XElement RuleItem(SecurityGroupRule r) => new(Ns + "item",
        new XElement(Ns + "securityGroupRuleId", r.RuleId),
        new XElement(Ns + "groupId", r.GroupId),
        new XElement(Ns + "groupOwnerId", accountId),
        new XElement(Ns + "isEgress", r.IsEgress ? "true" : "false"),
        new XElement(Ns + "ipProtocol", r.IpProtocol),
        new XElement(Ns + "fromPort", r.FromPort ?? -1),
        new XElement(Ns + "toPort", r.ToPort ?? -1),
        Optional("cidrIpv4", r.CidrIpv4),
        Optional("cidrIpv6", r.CidrIpv6),
        Optional("prefixListId", r.PrefixListId),
        r.ReferencedGroupId is null ? null : new XElement(Ns + "referencedGroupInfo", new XElement(Ns + "groupId", r.ReferencedGroupId)),
        Optional("description", r.Description),
        TagSet(r.Tags));

    // Describe groups reports each rule as its own IpPermission item; AWS may merge sources of equal protocol/ports.
    private static XElement PermissionItem(SecurityGroupRule r) => new(Ns + "item",
        new XElement(Ns + "ipProtocol", r.IpProtocol),
        r.IpProtocol == "-1" ? null : new XElement(Ns + "fromPort", r.FromPort ?? -1),
        r.IpProtocol == "-1" ? null : new XElement(Ns + "toPort", r.ToPort ?? -1),
        new XElement(Ns + "groups", r.ReferencedGroupId is null ? null : new XElement(Ns + "item", new XElement(Ns + "groupId", r.ReferencedGroupId), Optional("description", r.Description))),
        new XElement(Ns + "ipRanges", r.CidrIpv4 is null ? null : new XElement(Ns + "item", new XElement(Ns + "cidrIp", r.CidrIpv4), Optional("description", r.Description))),
        new XElement(Ns + "ipv6Ranges", r.CidrIpv6 is null ? null : new XElement(Ns + "item", new XElement(Ns + "cidrIpv6", r.CidrIpv6), Optional("description", r.Description))),
        new XElement(Ns + "prefixListIds", r.PrefixListId is null ? null : new XElement(Ns + "item", new XElement(Ns + "prefixListId", r.PrefixListId), Optional("description", r.Description))));

    private static XElement TagSet(IReadOnlyDictionary<string, string> tags) =>
        new(Ns + "tagSet", tags.Select(t => new XElement(Ns + "item", new XElement(Ns + "key", t.Key), new XElement(Ns + "value", t.Value))));

    private static XElement? Optional(string name, string? value) => value is null ? null : new XElement(Ns + name, value);

    private static ServiceReply Reply(string root, params object?[] content) =>
        ServiceReply.Xml(new XElement(Ns + root, new XElement(Ns + "requestId", Guid.NewGuid().ToString()), content));

    private static List<string> Strings(JsonNode? list) => [.. (list?.AsArray() ?? []).Select(n => n!.GetValue<string>())];

    private static IEnumerable<(string Name, HashSet<string> Values)> Filters(JsonObject input) =>
        (input["Filters"]?.AsArray() ?? []).Select(f => (
            f!["Name"]?.GetValue<string>() ?? throw new AwsErrorException(400, "MissingParameter", "The request must contain the parameter Filter.N.Name"),
            Strings(f["Values"]).ToHashSet(StringComparer.Ordinal)));

    private static AwsErrorException InvalidFilter(string name) => new(400, "InvalidParameterValue", $"The filter '{name}' is invalid");

    private static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, JsonObject input)
    {
        var start = 0;
        if (input["NextToken"]?.GetValue<string>() is { } token)
        {
            try
            {
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new AwsErrorException(400, "InvalidPaginationToken", $"The pagination token '{token}' is invalid.");
            }
        }
        var size = (int)(input["MaxResults"]?.GetValue<long>() ?? 1000);
        var page = items.Skip(start).Take(size).ToList();
        var next = start + page.Count < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture))) : null;
        return (page, next);
    }
}
