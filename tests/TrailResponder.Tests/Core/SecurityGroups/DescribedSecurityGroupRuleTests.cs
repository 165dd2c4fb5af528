using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Tests.Core.SecurityGroups;

public class DescribedSecurityGroupRuleTests
{
    [Fact]
    public void Describe_fields_build_a_rule_with_its_peer_parsed_once()
    {
        var rule = DescribedSecurityGroupRule.Create("sgr-0123456789abcdef0", "sg-0a1b2c3d4e5f60789", isEgress: false, "6", 22, 22, cidrIpv6: "0::/0", description: "temp debug");

        Assert.Equal(SecurityGroupProtocol.Tcp, rule.Protocol);
        Assert.Equal("::/0", rule.CidrIpv6);
        Assert.Null(rule.CidrIpv4);
        Assert.True(rule.Source.IsWorldOpen);
    }

    [Fact]
    public void A_referenced_group_keeps_its_owner()
    {
        var rule = DescribedSecurityGroupRule.Create("sgr-1", "sg-1", isEgress: true, "-1", -1, -1, referencedGroupId: "sg-2", referencedUserId: "444455556666");

        Assert.Equal("sg-2", rule.ReferencedGroupId);
        Assert.Equal("444455556666", rule.Source.UserId);
        Assert.False(rule.Source.IsWorldOpen);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("0.0.0.0/0", "pl-1")]
    public void Not_exactly_one_peer_is_refused(string? cidrIpv4, string? prefixListId)
    {
        Assert.Throws<FormatException>(() => DescribedSecurityGroupRule.Create("sgr-1", "sg-1", isEgress: false, "tcp", 22, 22, cidrIpv4: cidrIpv4, prefixListId: prefixListId));
    }

    [Fact]
    public void A_rule_matches_the_request_that_created_it_but_not_the_other_direction_or_ports()
    {
        var described = DescribedSecurityGroupRule.Create("sgr-1", "sg-1", isEgress: false, "tcp", 22, 22, cidrIpv4: "0.0.0.0/0");
        var requested = new SecurityGroupRule { GroupId = "sg-1", Protocol = SecurityGroupProtocol.Parse("6"), FromPort = 22, ToPort = 22, Source = SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0") };

        Assert.True(described.Matches(requested, isEgress: false));
        Assert.False(described.Matches(requested, isEgress: true));
        Assert.False(described.Matches(requested with { ToPort = 23 }, isEgress: false));
        Assert.False(described.Matches(requested with { GroupId = "sg-2" }, isEgress: false));
        Assert.False(described.Matches(requested with { Source = SecurityGroupRuleSource.Ipv4Cidr("10.0.0.0/8") }, isEgress: false));
    }
}
