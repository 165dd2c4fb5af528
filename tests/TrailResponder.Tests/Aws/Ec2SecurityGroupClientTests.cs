using System.Net;
using TrailResponder.Aws;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Tests.Aws;

public class Ec2SecurityGroupClientTests
{
    private const string GroupId = "sg-0a1b2c3d4e5f60789";
    private const string Ns = "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";

    private static HttpResponseMessage Ec2Error(string code, string message) =>
        CapturingTransport.Xml(HttpStatusCode.BadRequest, $"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>c0ffee00</RequestID></Response>");

    private static HttpResponseMessage RevokeOk(string action) =>
        CapturingTransport.Xml(HttpStatusCode.OK, $"<{action}Response {Ns}><requestId>r</requestId><return>true</return></{action}Response>");

    private static HttpResponseMessage RulesPage(string items, string? nextToken) =>
        CapturingTransport.Xml(HttpStatusCode.OK, $"<DescribeSecurityGroupRulesResponse {Ns}><requestId>r-1</requestId><securityGroupRuleSet>{items}</securityGroupRuleSet>{(nextToken is null ? "" : $"<nextToken>{nextToken}</nextToken>")}</DescribeSecurityGroupRulesResponse>");

    private static string RuleItem(string id, string peer, bool egress = false, string protocol = "tcp", string ports = "<fromPort>22</fromPort><toPort>22</toPort>") =>
        $"<item><securityGroupRuleId>{id}</securityGroupRuleId><groupId>{GroupId}</groupId><groupOwnerId>111122223333</groupOwnerId><isEgress>{(egress ? "true" : "false")}</isEgress><ipProtocol>{protocol}</ipProtocol>{ports}{peer}<tagSet/></item>";

    [Fact]
    public async Task Describe_rules_filters_by_group_and_follows_next_tokens_through_every_page()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(
            () => RulesPage(RuleItem("sgr-1", "<cidrIpv4>0.0.0.0/0</cidrIpv4><description>temp debug</description>"), "eyJ2IjoxfQ=="),
            () => RulesPage(
                RuleItem("sgr-2", "<referencedGroupInfo><groupId>sg-9</groupId><userId>444455556666</userId></referencedGroupInfo>", egress: true, protocol: "-1", ports: "<fromPort>-1</fromPort><toPort>-1</toPort>")
                + RuleItem("sgr-3", "<cidrIpv6>::/0</cidrIpv6>")
                + RuleItem("sgr-4", "<prefixListId>pl-1</prefixListId>"),
                null)));

        var rules = await rig.Clients.SecurityGroups().DescribeRulesAsync(GroupId, CancellationToken.None);

        Assert.Equal(["sgr-1", "sgr-2", "sgr-3", "sgr-4"], rules.Select(r => r.RuleId));
        Assert.Equal(2, rig.Requests.Count);
        var first = rig.Requests[0];
        Assert.Equal(new Uri("https://ec2.eu-west-1.amazonaws.com/"), first.Uri);
        Assert.Equal(
            [
                new("Action", "DescribeSecurityGroupRules"),
                new("Version", "2016-11-15"),
                new("Filter.1.Name", "group-id"),
                new("Filter.1.Value.1", GroupId),
                new("MaxResults", "1000"),
            ],
            first.Form);
        Assert.Equal("eyJ2IjoxfQ==", rig.Requests[1].FormValue("NextToken"));
        SnsNotificationPublisherTests.AssertSigned(first, "eu-west-1", "ec2");

        Assert.Equal("0.0.0.0/0", rules[0].CidrIpv4);
        Assert.Equal("temp debug", rules[0].Description);
        Assert.Equal(22, rules[0].FromPort);
        Assert.False(rules[0].IsEgress);
        Assert.Equal("111122223333", rules[0].GroupOwnerId);
        Assert.True(rules[1].IsEgress);
        Assert.Equal("sg-9", rules[1].ReferencedGroupId);
        Assert.Equal(SecurityGroupProtocolKind.All, rules[1].Protocol.Kind);
        Assert.Equal("::/0", rules[2].CidrIpv6);
        Assert.Equal("pl-1", rules[3].PrefixListId);
    }

    [Fact]
    public async Task Describe_rules_of_a_missing_group_is_empty()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Ec2Error("InvalidGroup.NotFound", $"The security group '{GroupId}' does not exist")));

        Assert.Empty(await rig.Clients.SecurityGroups().DescribeRulesAsync(GroupId, CancellationToken.None));
    }

    [Fact]
    public async Task Describe_tags_reads_the_groups_tag_set()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => CapturingTransport.Xml(HttpStatusCode.OK,
            $"<DescribeSecurityGroupsResponse {Ns}><requestId>r-2</requestId><securityGroupInfo><item><ownerId>111122223333</ownerId><groupId>{GroupId}</groupId><groupName>web</groupName>"
            + "<ipPermissions><item><ipProtocol>tcp</ipProtocol><tagSet><item><key>not-a-group-tag</key><value>x</value></item></tagSet></item></ipPermissions>"
            + "<tagSet><item><key>trailresponder:exempt</key><value>true</value></item><item><key>Owner</key><value></value></item></tagSet></item></securityGroupInfo></DescribeSecurityGroupsResponse>")));

        var tags = await rig.Clients.SecurityGroups().DescribeTagsAsync(GroupId, CancellationToken.None);

        Assert.Equal(new Dictionary<string, string> { ["trailresponder:exempt"] = "true", ["Owner"] = string.Empty }, tags);
        Assert.Equal(
            [new("Action", "DescribeSecurityGroups"), new("Version", "2016-11-15"), new("GroupId.1", GroupId)],
            Assert.Single(rig.Requests).Form);
    }

    [Fact]
    public async Task Describe_tags_of_a_missing_group_is_null()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Ec2Error("InvalidGroup.NotFound", "gone")));

        Assert.Null(await rig.Clients.SecurityGroups().DescribeTagsAsync(GroupId, CancellationToken.None));
        Assert.Single(rig.Requests);
    }

    [Theory]
    [InlineData(false, "RevokeSecurityGroupIngress")]
    [InlineData(true, "RevokeSecurityGroupEgress")]
    public async Task Revoke_sends_the_rule_ids_to_the_call_for_the_direction(bool isEgress, string action)
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => RevokeOk(action)));

        var outcome = await rig.Clients.SecurityGroups().RevokeRulesAsync(GroupId, isEgress, ["sgr-0123456789abcdef0", "sgr-0fedcba9876543210"], CancellationToken.None);

        Assert.Equal(["sgr-0123456789abcdef0", "sgr-0fedcba9876543210"], outcome.Revoked);
        Assert.Empty(outcome.AlreadyGone);
        Assert.Equal(
            [
                new("Action", action),
                new("Version", "2016-11-15"),
                new("GroupId", GroupId),
                new("SecurityGroupRuleId.1", "sgr-0123456789abcdef0"),
                new("SecurityGroupRuleId.2", "sgr-0fedcba9876543210"),
            ],
            Assert.Single(rig.Requests).Form);
    }

    [Fact]
    public async Task Ids_the_not_found_error_names_are_already_gone_and_the_others_are_revoked_on_a_second_call()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(
            () => Ec2Error("InvalidSecurityGroupRuleId.NotFound", "The security group rule ID 'sgr-0fedcba9876543210' does not exist"),
            () => RevokeOk("RevokeSecurityGroupIngress")));

        var outcome = await rig.Clients.SecurityGroups().RevokeRulesAsync(GroupId, false, ["sgr-0123456789abcdef0", "sgr-0fedcba9876543210"], CancellationToken.None);

        Assert.Equal(["sgr-0123456789abcdef0"], outcome.Revoked);
        Assert.Equal(["sgr-0fedcba9876543210"], outcome.AlreadyGone);
        Assert.Equal(2, rig.Requests.Count);
        Assert.Null(rig.Requests[1].FormValue("SecurityGroupRuleId.2"));
        Assert.Equal("sgr-0123456789abcdef0", rig.Requests[1].FormValue("SecurityGroupRuleId.1"));
        Assert.Empty(rig.Delays);
    }

    [Fact]
    public async Task When_every_id_is_gone_nothing_is_revoked_and_nothing_throws()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(
            () => Ec2Error("InvalidSecurityGroupRuleId.NotFound", "The security group rule IDs 'sgr-a1, sgr-b2' do not exist")));

        var outcome = await rig.Clients.SecurityGroups().RevokeRulesAsync(GroupId, true, ["sgr-a1", "sgr-b2"], CancellationToken.None);

        Assert.Empty(outcome.Revoked);
        Assert.Equal(["sgr-a1", "sgr-b2"], outcome.AlreadyGone);
        Assert.Single(rig.Requests);
    }

    [Fact]
    public async Task A_not_found_error_naming_no_id_is_resolved_by_describing_the_groups_current_rules()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(
            () => Ec2Error("InvalidPermission.NotFound", "The specified rule does not exist in this security group."),
            () => RulesPage(RuleItem("sgr-keep", "<cidrIpv4>0.0.0.0/0</cidrIpv4>"), null),
            () => RevokeOk("RevokeSecurityGroupIngress")));

        var outcome = await rig.Clients.SecurityGroups().RevokeRulesAsync(GroupId, false, ["sgr-keep", "sgr-gone"], CancellationToken.None);

        Assert.Equal(["sgr-keep"], outcome.Revoked);
        Assert.Equal(["sgr-gone"], outcome.AlreadyGone);
        Assert.Equal(["RevokeSecurityGroupIngress", "DescribeSecurityGroupRules", "RevokeSecurityGroupIngress"], rig.Requests.Select(r => r.FormValue("Action")));
    }

    [Fact]
    public async Task A_deleted_group_means_every_rule_is_already_gone()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Ec2Error("InvalidGroup.NotFound", $"The security group '{GroupId}' does not exist")));

        var outcome = await rig.Clients.SecurityGroups().RevokeRulesAsync(GroupId, false, ["sgr-1", "sgr-2"], CancellationToken.None);

        Assert.Empty(outcome.Revoked);
        Assert.Equal(["sgr-1", "sgr-2"], outcome.AlreadyGone);
    }

    [Fact]
    public async Task Other_errors_throw_with_the_ec2_code_message_and_request_id()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(() => Ec2Error("UnauthorizedOperation", "You are not authorized to perform this operation.")));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Clients.SecurityGroups().RevokeRulesAsync(GroupId, false, ["sgr-1"], CancellationToken.None));

        Assert.Equal("ec2", error.Service);
        Assert.Equal("RevokeSecurityGroupIngress", error.Operation);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
        Assert.Equal("UnauthorizedOperation", error.ErrorCode);
        Assert.Equal("You are not authorized to perform this operation.", error.ErrorMessage);
        Assert.Equal("c0ffee00", error.RequestId);
        Assert.Single(rig.Requests);
    }

    [Fact]
    public async Task Ec2_throttling_is_retried()
    {
        using var rig = new AwsTestRig(CapturingTransport.Answering(
            () => CapturingTransport.Xml(HttpStatusCode.ServiceUnavailable, "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>"),
            () => RevokeOk("RevokeSecurityGroupIngress")));

        var outcome = await rig.Clients.SecurityGroups().RevokeRulesAsync(GroupId, false, ["sgr-1"], CancellationToken.None);

        Assert.Equal(["sgr-1"], outcome.Revoked);
        Assert.Equal(2, rig.Requests.Count);
    }
}
