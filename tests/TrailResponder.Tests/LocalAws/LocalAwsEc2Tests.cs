using System.Net;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsEc2Tests
{
    private const string Group = "sg-0a1b2c3d4e5f60789";

    private static (string, string)[] Ec2(string action, params (string, string)[] parameters) =>
        [("Action", action), ("Version", "2016-11-15"), .. parameters];

    private static async Task<LocalAwsEndpoint> EndpointWithWebGroupAsync()
    {
        var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.Ec2.AddSecurityGroup(Group, "web", tags: new Dictionary<string, string> { ["trailresponder:exempt"] = "true" });
        return endpoint;
    }

    [Fact]
    public async Task DescribeSecurityGroupRules_filters_by_group_and_pages_with_NextToken()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        endpoint.Ec2.AddSecurityGroup("sg-other", "other");
        var added = Enumerable.Range(0, 7).Select(i => endpoint.Ec2.AddRule(Group, false, "tcp", 1000 + i, 1000 + i, cidrIpv4: "10.0.0.0/8").RuleId).ToList();
        endpoint.Ec2.AddRule("sg-other", false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var seen = new List<string>();
        string? token = null;
        do
        {
            (string, string)[] paging = token is null ? [("MaxResults", "5")] : [("MaxResults", "5"), ("NextToken", token)];
            var answer = await ec2.PostFormAsync(Ec2("DescribeSecurityGroupRules", [("Filter.1.Name", "group-id"), ("Filter.1.Value.1", Group), .. paging]));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            seen.AddRange(answer.XmlValues("securityGroupRuleId"));
            token = answer.XmlValues("nextToken").SingleOrDefault();
        }
        while (token is not null);

        Assert.Equal(added, seen);
    }

    [Fact]
    public async Task DescribeSecurityGroupRules_by_id_returns_the_rule_and_a_missing_id_is_NotFound()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        var rule = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0", description: "temp debug");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var found = await ec2.PostFormAsync(Ec2("DescribeSecurityGroupRules", ("SecurityGroupRuleId.1", rule.RuleId)));
        var missing = await ec2.PostFormAsync(Ec2("DescribeSecurityGroupRules", ("SecurityGroupRuleId.1", "sgr-00000000000000000")));

        Assert.Equal([rule.RuleId], found.XmlValues("securityGroupRuleId"));
        Assert.Equal(["0.0.0.0/0"], found.XmlValues("cidrIpv4"));
        Assert.Equal(["false"], found.XmlValues("isEgress"));
        Assert.Equal("InvalidSecurityGroupRuleId.NotFound", missing.ErrorCode);
        Assert.Contains("<Response><Errors><Error>", missing.Body, StringComparison.Ordinal);
        Assert.Contains("<RequestID>", missing.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeSecurityGroups_returns_tags_and_an_unknown_GroupId_is_InvalidGroup_NotFound()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        endpoint.Ec2.AddRule(Group, false, "tcp", 443, 443, cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var found = await ec2.PostFormAsync(Ec2("DescribeSecurityGroups", ("GroupId.1", Group)));
        var unknown = await ec2.PostFormAsync(Ec2("DescribeSecurityGroups", ("GroupId.1", Group), ("GroupId.2", "sg-gone")));

        Assert.Equal([Group], found.XmlValues("groupId"));
        Assert.Equal(["trailresponder:exempt"], found.XmlValues("key"));
        Assert.Equal(["true"], found.XmlValues("value"));
        Assert.Equal(["0.0.0.0/0"], found.XmlValues("cidrIp"));
        Assert.Equal("InvalidGroup.NotFound", unknown.ErrorCode);
    }

    [Fact]
    public async Task Revoke_ingress_by_rule_id_removes_it_and_a_second_revoke_is_NotFound()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        var ssh = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        var https = endpoint.Ec2.AddRule(Group, false, "tcp", 443, 443, cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");
        var revoke = Ec2("RevokeSecurityGroupIngress", ("GroupId", Group), ("SecurityGroupRuleId.1", ssh.RuleId));

        var first = await ec2.PostFormAsync(revoke);
        var second = await ec2.PostFormAsync(revoke);

        Assert.Equal(["true"], first.XmlValues("return"));
        Assert.Equal([ssh.RuleId], first.XmlValues("securityGroupRuleId"));
        Assert.Equal([https], endpoint.Ec2.Rules(Group));
        Assert.Equal("InvalidSecurityGroupRuleId.NotFound", second.ErrorCode);
    }

    [Fact]
    public async Task Revoke_by_IpPermissions_removes_the_matching_rule()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        var kept = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "10.0.0.0/8");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var answer = await ec2.PostFormAsync(Ec2("RevokeSecurityGroupIngress", ("GroupId", Group),
            ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "22"), ("IpPermissions.1.ToPort", "22"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal([kept], endpoint.Ec2.Rules(Group));
        var logged = endpoint.Requests.Of("ec2", "RevokeSecurityGroupIngress").Single();
        Assert.Equal("0.0.0.0/0", logged.Parameters.GetProperty("IpPermissions")[0].GetProperty("IpRanges")[0].GetProperty("CidrIp").GetString());
    }

    [Fact]
    public async Task Revoke_of_a_permission_that_does_not_exist_is_InvalidPermission_NotFound_and_revokes_nothing()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        var rule = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var answer = await ec2.PostFormAsync(Ec2("RevokeSecurityGroupIngress", ("GroupId", Group),
            ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", "22"), ("IpPermissions.1.ToPort", "22"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"), ("IpPermissions.1.IpRanges.2.CidrIp", "192.0.2.0/24")));

        Assert.Equal("InvalidPermission.NotFound", answer.ErrorCode);
        Assert.Equal([rule], endpoint.Ec2.Rules(Group));
    }

    [Fact]
    public async Task Revoke_egress_of_all_traffic_and_of_an_unknown_group()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        endpoint.Ec2.AddRule(Group, true, "-1", cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var revoked = await ec2.PostFormAsync(Ec2("RevokeSecurityGroupEgress", ("GroupId", Group), ("IpPermissions.1.IpProtocol", "-1"), ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")));
        var unknownGroup = await ec2.PostFormAsync(Ec2("RevokeSecurityGroupEgress", ("GroupId", "sg-gone"), ("IpPermissions.1.IpProtocol", "-1"), ("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")));

        Assert.Equal(["true"], revoked.XmlValues("isEgress"));
        Assert.Empty(endpoint.Ec2.Rules(Group));
        Assert.Equal("InvalidGroup.NotFound", unknownGroup.ErrorCode);
    }

    [Fact]
    public async Task DryRun_revoke_answers_DryRunOperation_and_changes_nothing()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        var rule = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var answer = await ec2.PostFormAsync(Ec2("RevokeSecurityGroupIngress", ("GroupId", Group), ("SecurityGroupRuleId.1", rule.RuleId), ("DryRun", "true")));

        Assert.Equal("DryRunOperation", answer.ErrorCode);
        Assert.Equal([rule], endpoint.Ec2.Rules(Group));
    }

    private static (string, string)[] Modify(string ruleId, params (string Field, string Value)[] spec) =>
        Ec2("ModifySecurityGroupRules", [("GroupId", Group), ("SecurityGroupRule.1.SecurityGroupRuleId", ruleId),
            .. spec.Select(f => ($"SecurityGroupRule.1.SecurityGroupRule.{f.Field}", f.Value))]);

    [Fact]
    public async Task ModifySecurityGroupRules_changes_a_rule_in_place_keeping_its_id_and_direction()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        var rule = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var answer = await ec2.PostFormAsync(Modify(rule.RuleId, ("IpProtocol", "tcp"), ("FromPort", "22"), ("ToPort", "22"), ("CidrIpv4", "10.3.0.0/16"), ("Description", "office")));

        Assert.Equal(["true"], answer.XmlValues("return"));
        var now = Assert.Single(endpoint.Ec2.Rules(Group));
        Assert.Equal((rule.RuleId, false, "10.3.0.0/16", "office"), (now.RuleId, now.IsEgress, now.CidrIpv4, now.Description));
        var logged = Assert.Single(endpoint.Requests.Of("ec2", "ModifySecurityGroupRules"));
        Assert.Equal("10.3.0.0/16", logged.Parameters.GetProperty("SecurityGroupRules")[0].GetProperty("SecurityGroupRule").GetProperty("CidrIpv4").GetString());
    }

    [Fact]
    public async Task ModifySecurityGroupRules_refuses_an_unknown_rule_a_change_of_rule_type_and_a_duplicate_changing_nothing()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        var rule = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        var other = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "10.3.0.0/16");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var unknown = await ec2.PostFormAsync(Modify("sgr-00000000000000000", ("IpProtocol", "tcp"), ("FromPort", "22"), ("ToPort", "22"), ("CidrIpv4", "10.0.0.0/8")));
        var retyped = await ec2.PostFormAsync(Modify(rule.RuleId, ("IpProtocol", "tcp"), ("FromPort", "22"), ("ToPort", "22"), ("CidrIpv6", "2001:db8::/32")));
        var duplicate = await ec2.PostFormAsync(Modify(rule.RuleId, ("IpProtocol", "tcp"), ("FromPort", "22"), ("ToPort", "22"), ("CidrIpv4", "10.3.0.0/16")));

        Assert.Equal("InvalidSecurityGroupRuleId.NotFound", unknown.ErrorCode);
        Assert.Equal("InvalidParameterValue", retyped.ErrorCode);
        Assert.Equal("InvalidPermission.Duplicate", duplicate.ErrorCode);
        Assert.Equal([rule, other], endpoint.Ec2.Rules(Group));
    }

    [Fact]
    public async Task ModifySecurityGroupRules_with_an_unknown_member_is_refused_by_the_model()
    {
        await using var endpoint = await EndpointWithWebGroupAsync();
        var rule = endpoint.Ec2.AddRule(Group, false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        using var ec2 = new SignedAwsClient(endpoint, "ec2");

        var answer = await ec2.PostFormAsync(Modify(rule.RuleId, ("IpProtocol", "tcp"), ("CidrIp", "10.0.0.0/8")));

        Assert.NotEqual(HttpStatusCode.OK, answer.Status);
        Assert.Equal("0.0.0.0/0", Assert.Single(endpoint.Ec2.Rules(Group)).CidrIpv4);
    }
}
