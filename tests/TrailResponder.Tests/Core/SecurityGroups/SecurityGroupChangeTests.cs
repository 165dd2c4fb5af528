using TrailResponder.Core.SecurityGroups;
using static TrailResponder.Tests.Core.SecurityGroups.SecurityGroupRecords;

namespace TrailResponder.Tests.Core.SecurityGroups;

public class SecurityGroupChangeTests
{
    [Fact]
    public void Rules_come_from_the_response_rule_set_with_their_ids_and_direction()
    {
        var change = FixtureChange("authorize-ingress-ssh-world.json");

        Assert.Equal(SecurityGroupChangeKind.AuthorizeIngress, change.Kind);
        Assert.Equal("sg-0a1b2c3d4e5f60718", change.GroupId);
        var rule = Assert.Single(change.Rules);
        Assert.Equal("sgr-0f1e2d3c4b5a69788", rule.RuleId);
        Assert.False(rule.IsEgress);
        Assert.Equal(SecurityGroupProtocol.Tcp, rule.Protocol);
        Assert.Equal(22, rule.FromPort);
        Assert.Equal(22, rule.ToPort);
        Assert.Equal(SecurityGroupRuleSourceKind.Ipv4Cidr, rule.Source.Kind);
        Assert.True(rule.Source.IsWorldOpen);
        Assert.Equal("temp ssh", rule.Description);
    }

    [Fact]
    public void Origin_carries_who_when_and_where_for_notifications()
    {
        var origin = FixtureChange("authorize-ingress-ssh-world.json").Origin;

        Assert.Equal("AssumedRole", origin.PrincipalType);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/DeveloperRole/dev-session", origin.PrincipalArn);
        Assert.Equal("arn:aws:iam::111122223333:role/DeveloperRole", origin.SessionIssuerArn);
        Assert.Equal("ASIAEXAMPLEKEY000001", origin.AccessKeyId);
        Assert.Equal("203.0.113.45", origin.SourceIpAddress);
        Assert.StartsWith("aws-cli/2.15.0", origin.UserAgent, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 9, 2, 37, TimeSpan.Zero), origin.EventTime);
        Assert.Equal("b7d0c3e2-1a4f-4f8e-9c2d-5e6f7a8b9c0d", origin.EventId);
        Assert.Equal("eu-west-1", origin.Region);
        Assert.Equal("111122223333", origin.AccountId);
    }

    [Fact]
    public void An_eventbridge_envelope_is_unwrapped_and_lends_its_account_when_the_record_has_none()
    {
        var change = FixtureChange("eventbridge-authorize-ingress.json");

        Assert.Equal("AuthorizeSecurityGroupIngress", change.EventName);
        Assert.Equal("sg-0a1b2c3d4e5f60789", change.GroupId);
        Assert.Equal(4, change.Rules.Count);
        Assert.Equal("111122223333", change.Origin.AccountId);
        Assert.Equal("arn:aws:iam::111122223333:user/jdoe", change.Origin.PrincipalArn);
        Assert.Null(change.Origin.SessionIssuerArn);
    }

    [Fact]
    public void Without_a_rule_set_each_cidr_of_a_permission_becomes_its_own_rule_without_an_id()
    {
        var change = FixtureChange("authorize-ingress-without-rule-ids.json");

        Assert.Equal(3, change.Rules.Count);
        Assert.All(change.Rules, r => Assert.Null(r.RuleId));
        Assert.All(change.Rules, r => Assert.Equal(3389, r.FromPort));
        Assert.All(change.Rules, r => Assert.Equal("sg-0123456789abcdef0", r.GroupId));
        Assert.Equal(["0.0.0.0/0", "192.168.0.0/16", "::/0"], change.Rules.Select(r => r.Source.Value));
    }

    [Fact]
    public void Empty_collections_written_as_empty_objects_add_no_rules()
    {
        var change = Authorize("""{ "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {}, "ipv6Ranges": {}, "prefixListIds": {}, "groups": {} }""");

        Assert.Empty(change.Rules);
    }

    [Fact]
    public void Prefix_lists_and_group_references_become_rules_that_are_never_world_open()
    {
        var change = Authorize("""
            { "ipProtocol": "-1",
              "ipRanges": {}, "ipv6Ranges": {},
              "prefixListIds": { "items": [ { "prefixListId": "pl-0123abcd" } ] },
              "groups": { "items": [ { "groupId": "sg-0aaaaaaaaaaaaaaaa", "userId": "444455556666" } ] } }
            """);

        Assert.Collection(
            change.Rules,
            r => Assert.Equal((SecurityGroupRuleSourceKind.PrefixList, "pl-0123abcd", false), (r.Source.Kind, r.Source.Value, r.Source.IsWorldOpen)),
            r => Assert.Equal((SecurityGroupRuleSourceKind.SecurityGroup, "sg-0aaaaaaaaaaaaaaaa", "444455556666", false), (r.Source.Kind, r.Source.Value, r.Source.UserId, r.Source.IsWorldOpen)));
    }

    [Fact]
    public void The_legacy_flat_form_is_read_with_its_group_name()
    {
        var change = FixtureChange("authorize-ingress-legacy-flat.json");

        Assert.Null(change.GroupId);
        Assert.Equal("default", change.GroupName);
        var rule = Assert.Single(change.Rules);
        Assert.Equal((SecurityGroupProtocol.Tcp, 8080, 8080, "0.0.0.0/0"), (rule.Protocol, rule.FromPort, rule.ToPort, rule.Source.Value));
    }

    [Fact]
    public void Modify_with_one_rule_as_an_object_is_read_without_a_direction()
    {
        var change = FixtureChange("modify-rules-object.json");

        Assert.Equal(SecurityGroupChangeKind.ModifyRules, change.Kind);
        Assert.Equal("sg-0a1b2c3d4e5f60718", change.GroupId);
        var rule = Assert.Single(change.Rules);
        Assert.Equal("sgr-0f1e2d3c4b5a69788", rule.RuleId);
        Assert.Null(rule.IsEgress);
        Assert.Equal((SecurityGroupProtocol.Tcp, 3389, 3389, "0.0.0.0/0", "rdp"), (rule.Protocol, rule.FromPort, rule.ToPort, rule.Source.Value, rule.Description));
    }

    [Fact]
    public void Modify_with_several_rules_as_an_array_reads_each_and_protocol_numbers_as_names()
    {
        var change = FixtureChange("modify-rules-array.json");

        Assert.Equal(["sgr-0000000000000000a", "sgr-0000000000000000b", "sgr-0000000000000000c"], change.Rules.Select(r => r.RuleId));
        Assert.Equal(SecurityGroupProtocol.Tcp, change.Rules[0].Protocol);
        Assert.Equal(SecurityGroupRuleSourceKind.Ipv6Cidr, change.Rules[0].Source.Kind);
    }

    [Fact]
    public void Failed_calls_are_not_read_beyond_the_header_so_odd_requests_cannot_break_them()
    {
        var change = SecurityGroupChange.Parse(Json("""
            { "eventSource": "ec2.amazonaws.com", "eventName": "AuthorizeSecurityGroupIngress", "errorCode": "Client.UnauthorizedOperation",
              "requestParameters": { "ipPermissions": "not a list" }, "responseElements": null }
            """));

        Assert.Equal("Client.UnauthorizedOperation", change.ErrorCode);
        Assert.Empty(change.Rules);
    }

    [Theory]
    [InlineData("authorize-ingress-failed.json")]
    [InlineData("revoke-ingress-by-responder.json")]
    public void Records_not_acted_on_still_name_their_group_for_notices(string fixture)
    {
        var change = FixtureChange(fixture);

        Assert.Equal("sg-0a1b2c3d4e5f60718", change.GroupId);
        Assert.Empty(change.Rules);
    }

    [Fact]
    public void Records_of_other_services_are_read_for_their_header_only()
    {
        var change = SecurityGroupChange.Parse(Json("""{ "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "requestParameters": null }"""));

        Assert.Equal(SecurityGroupChangeKind.Other, change.Kind);
        Assert.Empty(change.Rules);
    }

    [Theory]
    [InlineData("""{ "ipProtocol": "tcp", "fromPort": "twenty", "toPort": 22, "ipRanges": { "items": [ { "cidrIp": "0.0.0.0/0" } ] } }""", "requestParameters.ipPermissions.items[0].fromPort")]
    [InlineData("""{ "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": { "items": [ { "cidrIp": "0.0.0.0/33" } ] } }""", "requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp")]
    [InlineData("""{ "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipv6Ranges": { "items": [ { "cidrIpv6": "10.0.0.0/8" } ] } }""", "requestParameters.ipPermissions.items[0].ipv6Ranges.items[0].cidrIpv6")]
    [InlineData("""{ "ipProtocol": "smtp", "fromPort": 25, "toPort": 25, "ipRanges": { "items": [ { "cidrIp": "0.0.0.0/0" } ] } }""", "requestParameters.ipPermissions.items[0].ipProtocol")]
    [InlineData("""{ "fromPort": 25, "toPort": 25, "ipRanges": { "items": [ { "cidrIp": "0.0.0.0/0" } ] } }""", "requestParameters.ipPermissions.items[0].ipProtocol")]
    [InlineData("""{ "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": { "items": "0.0.0.0/0" } }""", "requestParameters.ipPermissions.items[0].ipRanges.items")]
    public void A_malformed_field_is_named_in_the_error(string permission, string field)
    {
        var error = Assert.Throws<SecurityGroupEventFormatException>(() => Authorize(permission));

        Assert.Equal(field, error.Field);
        Assert.StartsWith(field + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_field_inside_an_envelope_is_named_with_its_detail_path()
    {
        var error = Assert.Throws<SecurityGroupEventFormatException>(() => SecurityGroupChange.Parse(Json("""
            { "detail-type": "AWS API Call via CloudTrail", "source": "aws.ec2",
              "detail": { "eventSource": "ec2.amazonaws.com", "eventName": "AuthorizeSecurityGroupIngress", "eventTime": "yesterday" } }
            """)));

        Assert.Equal("detail.eventTime", error.Field);
    }

    [Theory]
    [InlineData("[1, 2]", "(root)")]
    [InlineData("""{ "Records": [] }""", "Records")]
    [InlineData("""{ "detail-type": "x", "detail": "text" }""", "detail")]
    [InlineData("""{ "eventSource": 5 }""", "eventSource")]
    public void Documents_that_are_not_one_record_are_refused_with_the_field_named(string json, string field)
    {
        var error = Assert.Throws<SecurityGroupEventFormatException>(() => SecurityGroupChange.Parse(Json(json)));

        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("tcp", SecurityGroupProtocolKind.Tcp)]
    [InlineData("TCP", SecurityGroupProtocolKind.Tcp)]
    [InlineData("6", SecurityGroupProtocolKind.Tcp)]
    [InlineData("17", SecurityGroupProtocolKind.Udp)]
    [InlineData("1", SecurityGroupProtocolKind.Icmp)]
    [InlineData("58", SecurityGroupProtocolKind.IcmpV6)]
    [InlineData("icmpv6", SecurityGroupProtocolKind.IcmpV6)]
    [InlineData("-1", SecurityGroupProtocolKind.All)]
    [InlineData("50", SecurityGroupProtocolKind.Other)]
    public void Protocol_names_and_numbers_normalize_to_one_kind(string text, SecurityGroupProtocolKind kind)
    {
        Assert.Equal(kind, SecurityGroupProtocol.Parse(text).Kind);
    }

    [Theory]
    [InlineData("0.0.0.0/0", true, "0.0.0.0/0")]
    [InlineData("10.0.0.0/8", false, "10.0.0.0/8")]
    [InlineData("0.0.0.0/1", false, "0.0.0.0/1")]
    [InlineData("203.0.113.7", false, "203.0.113.7/32")]
    public void Ipv4_cidrs_are_world_open_only_with_prefix_length_zero(string cidr, bool worldOpen, string canonical)
    {
        var source = SecurityGroupRuleSource.Ipv4Cidr(cidr);

        Assert.Equal(worldOpen, source.IsWorldOpen);
        Assert.Equal(canonical, source.Value);
    }

    [Theory]
    [InlineData("::/0", true, "::/0")]
    [InlineData("0:0:0:0:0:0:0:0/0", true, "::/0")]
    [InlineData("2001:DB8::/32", false, "2001:db8::/32")]
    public void Ipv6_cidrs_are_compared_in_canonical_form(string cidr, bool worldOpen, string canonical)
    {
        var source = SecurityGroupRuleSource.Ipv6Cidr(cidr);

        Assert.Equal(worldOpen, source.IsWorldOpen);
        Assert.Equal(canonical, source.Value);
    }
}
