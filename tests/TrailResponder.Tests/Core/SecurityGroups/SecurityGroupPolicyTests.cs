using TrailResponder.Core.SecurityGroups;
using static TrailResponder.Tests.Core.SecurityGroups.SecurityGroupRecords;

namespace TrailResponder.Tests.Core.SecurityGroups;

public class SecurityGroupPolicyTests
{
    private static readonly SecurityGroupPolicy Default = new(SecurityGroupPolicyOptions.Default);

    [Theory]
    [InlineData("tcp", 22, 22, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("tcp", 22, 22, "cidrIpv6", "::/0", true)]
    [InlineData("tcp", 80, 80, "cidrIp", "0.0.0.0/0", false)]
    [InlineData("tcp", 443, 443, "cidrIpv6", "::/0", false)]
    [InlineData("tcp", 79, 81, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("tcp", 80, 443, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("tcp", 0, 65535, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("6", 22, 22, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("6", 443, 443, "cidrIp", "0.0.0.0/0", false)]
    [InlineData("udp", 53, 53, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("17", 443, 443, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("-1", null, null, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("-1", -1, -1, "cidrIpv6", "::/0", true)]
    [InlineData("50", null, null, "cidrIp", "0.0.0.0/0", true)]
    [InlineData("icmp", -1, -1, "cidrIp", "0.0.0.0/0", false)]
    [InlineData("icmp", 8, -1, "cidrIp", "0.0.0.0/0", false)]
    [InlineData("1", -1, -1, "cidrIp", "0.0.0.0/0", false)]
    [InlineData("icmpv6", -1, -1, "cidrIpv6", "::/0", false)]
    [InlineData("58", 128, 0, "cidrIpv6", "::/0", false)]
    [InlineData("tcp", 22, 22, "cidrIp", "10.0.0.0/8", false)]
    [InlineData("tcp", 22, 22, "cidrIp", "0.0.0.0/1", false)]
    [InlineData("tcp", 22, 22, "cidrIpv6", "2001:db8::/32", false)]
    [InlineData("-1", null, null, "cidrIp", "10.0.0.0/8", false)]
    [InlineData("-1", null, null, "prefixListId", "pl-0123abcd", false)]
    [InlineData("tcp", 22, 22, "prefixListId", "pl-0123abcd", false)]
    [InlineData("-1", null, null, "groupId", "sg-0aaaaaaaaaaaaaaaa", false)]
    [InlineData("tcp", 3389, 3389, "groupId", "sg-0aaaaaaaaaaaaaaaa", false)]
    public void Default_policy_condemns_only_world_open_ingress_beyond_tcp_80_and_443(string protocol, int? from, int? to, string sourceField, string source, bool violates)
    {
        var decision = Default.Decide(Authorize(Permission(protocol, from, to, sourceField, source)));

        Assert.Equal(violates ? SecurityGroupVerdict.Revoke : SecurityGroupVerdict.Allow, decision.Decision);
        Assert.Equal(violates ? 1 : 0, decision.Violations.Count);
    }

    [Theory]
    [InlineData("tcp", 22, 22, "0.0.0.0/0", "tcp 22 open to 0.0.0.0/0; allowed ports are 80, 443")]
    [InlineData("tcp", 79, 81, "0.0.0.0/0", "tcp 79-81 open to 0.0.0.0/0; allowed ports are 80, 443")]
    [InlineData("-1", null, null, "0.0.0.0/0", "all traffic open to 0.0.0.0/0; allowed ports are 80, 443")]
    [InlineData("udp", 53, 53, "0.0.0.0/0", "udp 53 open to 0.0.0.0/0; allowed udp ports are none")]
    [InlineData("50", null, null, "0.0.0.0/0", "protocol 50 open to 0.0.0.0/0; only tcp and udp ports can be allowed")]
    public void Reasons_say_what_is_open_to_whom_and_what_is_allowed(string protocol, int? from, int? to, string cidr, string reason)
    {
        var decision = Default.Decide(Authorize(Permission(protocol, from, to, "cidrIp", cidr)));

        Assert.Equal([reason], decision.Reasons);
    }

    [Fact]
    public void Only_the_violating_rules_of_a_call_are_revoked_even_beside_narrow_all_traffic()
    {
        var decision = Default.Decide(FixtureChange("eventbridge-authorize-ingress.json"));

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.Equal("sg-0a1b2c3d4e5f60789", decision.GroupId);
        Assert.Equal(["sgr-00000000000000001"], decision.RuleIdsToRevoke);
        Assert.Empty(decision.PermissionsToRevoke);
        Assert.Equal(["tcp 22 open to 0.0.0.0/0; allowed ports are 80, 443"], decision.Reasons);
        Assert.False(decision.NeedsDescribedRules);
    }

    [Fact]
    public void A_revoke_decision_without_the_group_tags_asks_for_them()
    {
        var decision = Default.Decide(FixtureChange("authorize-ingress-ssh-world.json"));

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.Equal(["sgr-0f1e2d3c4b5a69788"], decision.RuleIdsToRevoke);
        Assert.True(decision.NeedsGroupTags);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/DeveloperRole/dev-session", decision.Origin.PrincipalArn);
    }

    [Fact]
    public void Without_rule_ids_the_violating_permissions_are_given_to_match_and_described_rules_are_asked_for()
    {
        var decision = Default.Decide(FixtureChange("authorize-ingress-without-rule-ids.json"));

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.Empty(decision.RuleIdsToRevoke);
        Assert.Equal(["0.0.0.0/0", "::/0"], decision.PermissionsToRevoke.Select(p => p.Source.Value));
        Assert.All(decision.PermissionsToRevoke, p => Assert.False(p.IsEgress));
        Assert.True(decision.NeedsDescribedRules);
    }

    [Fact]
    public void Without_rule_ids_described_rules_supply_the_ids_of_exactly_the_violating_rules()
    {
        var facts = new SecurityGroupFacts
        {
            DescribedRules =
            [
                Described("sgr-000000000000000a1", false, "tcp", 3389, 3389, SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0")),
                Described("sgr-000000000000000a2", false, "6", 3389, 3389, SecurityGroupRuleSource.Ipv4Cidr("192.168.0.0/16")),
                Described("sgr-000000000000000a3", false, "6", 3389, 3389, SecurityGroupRuleSource.Ipv6Cidr("0::/0")),
                Described("sgr-000000000000000a4", true, "tcp", 3389, 3389, SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0")),
                Described("sgr-000000000000000a5", false, "tcp", 3390, 3390, SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0")),
            ],
        };

        var decision = Default.Decide(FixtureChange("authorize-ingress-without-rule-ids.json"), facts);

        Assert.Equal(["sgr-000000000000000a1", "sgr-000000000000000a3"], decision.RuleIdsToRevoke);
        Assert.Empty(decision.PermissionsToRevoke);
        Assert.False(decision.NeedsDescribedRules);
    }

    [Fact]
    public void A_violating_permission_no_described_rule_matches_stays_to_be_revoked_by_properties()
    {
        var facts = new SecurityGroupFacts { DescribedRules = [Described("sgr-000000000000000a2", false, "tcp", 3389, 3389, SecurityGroupRuleSource.Ipv4Cidr("192.168.0.0/16"))] };

        var decision = Default.Decide(FixtureChange("authorize-ingress-without-rule-ids.json"), facts);

        Assert.Empty(decision.RuleIdsToRevoke);
        Assert.Equal(2, decision.PermissionsToRevoke.Count);
        Assert.False(decision.NeedsDescribedRules);
    }

    [Fact]
    public void All_traffic_described_with_minus_one_ports_matches_a_request_without_ports()
    {
        var change = Authorize(Permission("-1", null, null, "cidrIp", "0.0.0.0/0"));
        var facts = new SecurityGroupFacts { DescribedRules = [Described("sgr-000000000000000b1", false, "-1", -1, -1, SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0"), "sg-0a1b2c3d4e5f60718")] };

        Assert.Equal(["sgr-000000000000000b1"], Default.Decide(change, facts).RuleIdsToRevoke);
    }

    [Fact]
    public void The_legacy_flat_form_is_judged_and_named_by_group_name()
    {
        var decision = Default.Decide(FixtureChange("authorize-ingress-legacy-flat.json"));

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.Equal("default", decision.GroupName);
        Assert.Equal(["tcp 8080 open to 0.0.0.0/0; allowed ports are 80, 443"], decision.Reasons);
        Assert.Single(decision.PermissionsToRevoke);
    }

    [Fact]
    public void Failed_calls_are_ignored_with_their_error_code()
    {
        var decision = Default.Decide(FixtureChange("authorize-ingress-failed.json"));

        Assert.Equal(SecurityGroupVerdict.Ignore, decision.Decision);
        Assert.Equal(["the call failed (Client.InvalidPermission.Duplicate): nothing was changed"], decision.Reasons);
    }

    [Fact]
    public void Revocations_are_ignored()
    {
        var decision = Default.Decide(FixtureChange("revoke-ingress-by-responder.json"));

        Assert.Equal(SecurityGroupVerdict.Ignore, decision.Decision);
        Assert.Equal(["RevokeSecurityGroupIngress only removes access"], decision.Reasons);
    }

    [Fact]
    public void Calls_by_the_responders_own_role_are_ignored_so_it_never_loops()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { ResponderRoleArn = "arn:aws:iam::111122223333:role/TrailResponder" });
        var change = FixtureChange("authorize-ingress-ssh-world.json") with
        {
            Origin = new SecurityGroupEventOrigin
            {
                PrincipalArn = "arn:aws:sts::111122223333:assumed-role/TrailResponder/responder",
                SessionIssuerArn = "arn:aws:iam::111122223333:role/TrailResponder",
            },
        };

        var decision = policy.Decide(change);

        Assert.Equal(SecurityGroupVerdict.Ignore, decision.Decision);
        Assert.Equal(["made by the responder's own role arn:aws:iam::111122223333:role/TrailResponder"], decision.Reasons);
    }

    [Theory]
    [InlineData("""{ "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin" }""", "event source signin.amazonaws.com is not ec2.amazonaws.com")]
    [InlineData("""{ "eventSource": "ec2.amazonaws.com", "eventName": "RunInstances" }""", "RunInstances is not a security-group rule change")]
    [InlineData("""{ "eventSource": "ec2.amazonaws.com", "eventName": "RevokeSecurityGroupEgress" }""", "RevokeSecurityGroupEgress only removes access")]
    [InlineData("""{ "eventSource": "ec2.amazonaws.com", "eventName": "AuthorizeSecurityGroupIngress", "requestParameters": null, "responseElements": null }""", "the record lists no rules (requestParameters empty or omitted)")]
    public void Events_the_responder_does_not_act_on_are_ignored_with_a_reason(string record, string reason)
    {
        var decision = Default.Decide(SecurityGroupChange.Parse(Json(record)));

        Assert.Equal(SecurityGroupVerdict.Ignore, decision.Decision);
        Assert.Equal([reason], decision.Reasons);
    }

    [Fact]
    public void Modify_without_the_described_rule_is_not_judged_when_only_ingress_would_violate()
    {
        var decision = Default.Decide(FixtureChange("modify-rules-object.json"));

        Assert.Equal(SecurityGroupVerdict.Allow, decision.Decision);
        Assert.Empty(decision.RuleIdsToRevoke);
        Assert.Equal("sgr-0f1e2d3c4b5a69788", Assert.Single(decision.UndeterminedRules).RuleId);
        Assert.True(decision.NeedsDescribedRules);
        Assert.Contains("tcp 3389 open to 0.0.0.0/0", Assert.Single(decision.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Modify_of_a_rule_missing_from_the_described_rules_stays_undetermined_without_asking_again()
    {
        var facts = new SecurityGroupFacts { DescribedRules = [] };

        var decision = Default.Decide(FixtureChange("modify-rules-object.json"), facts);

        Assert.Equal(SecurityGroupVerdict.Allow, decision.Decision);
        Assert.Single(decision.UndeterminedRules);
        Assert.False(decision.NeedsDescribedRules);
    }

    [Fact]
    public void Modify_of_an_ingress_rule_is_revoked_once_the_described_rule_says_ingress()
    {
        var facts = new SecurityGroupFacts { DescribedRules = [Described("sgr-0f1e2d3c4b5a69788", false, "tcp", 3389, 3389, SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0"))] };

        var decision = Default.Decide(FixtureChange("modify-rules-object.json"), facts);

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.Equal(["sgr-0f1e2d3c4b5a69788"], decision.RuleIdsToRevoke);
        Assert.False(Assert.Single(decision.Violations).IsEgress);
        Assert.Empty(decision.UndeterminedRules);
    }

    [Fact]
    public void Modify_of_an_egress_rule_is_allowed_when_egress_is_not_checked()
    {
        var facts = new SecurityGroupFacts { DescribedRules = [Described("sgr-0f1e2d3c4b5a69788", true, "tcp", 3389, 3389, SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0"))] };

        var decision = Default.Decide(FixtureChange("modify-rules-object.json"), facts);

        Assert.Equal(SecurityGroupVerdict.Allow, decision.Decision);
        Assert.Empty(decision.UndeterminedRules);
    }

    [Fact]
    public void Modify_condemned_in_either_direction_is_revoked_but_asks_for_the_direction()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { CheckEgress = true });

        var decision = policy.Decide(FixtureChange("modify-rules-object.json"));

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.Equal(["sgr-0f1e2d3c4b5a69788"], decision.RuleIdsToRevoke);
        Assert.Null(Assert.Single(decision.Violations).IsEgress);
        Assert.True(decision.NeedsDescribedRules);
    }

    [Fact]
    public void Modify_of_several_rules_revokes_only_the_world_open_one_beyond_allowed_ports()
    {
        var facts = new SecurityGroupFacts
        {
            DescribedRules =
            [
                Described("sgr-0000000000000000a", false, "tcp", 22, 22, SecurityGroupRuleSource.Ipv6Cidr("::/0")),
                Described("sgr-0000000000000000b", false, "tcp", 22, 22, SecurityGroupRuleSource.Ipv4Cidr("10.1.0.0/16")),
                Described("sgr-0000000000000000c", false, "tcp", 443, 443, SecurityGroupRuleSource.Ipv4Cidr("0.0.0.0/0")),
            ],
        };

        var decision = Default.Decide(FixtureChange("modify-rules-array.json"), facts);

        Assert.Equal(["sgr-0000000000000000a"], decision.RuleIdsToRevoke);
        Assert.Equal(["tcp 22 open to ::/0; allowed ports are 80, 443"], decision.Reasons);
    }

    [Fact]
    public void Egress_is_not_checked_by_default()
    {
        Assert.Equal(SecurityGroupVerdict.Allow, Default.Decide(FixtureChange("authorize-egress-all-traffic.json")).Decision);
    }

    [Fact]
    public void Egress_is_held_to_the_same_ports_when_checking_is_on()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { CheckEgress = true });

        var decision = policy.Decide(FixtureChange("authorize-egress-all-traffic.json"));

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.Equal(["sgr-0e0e0e0e0e0e0e0e0"], decision.RuleIdsToRevoke);
        Assert.True(Assert.Single(decision.Violations).IsEgress);
        Assert.Equal(["egress all traffic open to 0.0.0.0/0; allowed ports are 80, 443"], decision.Reasons);
    }

    [Fact]
    public void A_forbidden_port_violates_from_the_world_even_when_it_is_also_allowed()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with
        {
            AllowedIngressPorts = [new PortRange(0, 1023)],
            ForbiddenPorts = [new PortRange(22, 22)],
        });

        Assert.Equal(["tcp 20-25 open to 0.0.0.0/0; port 22 is forbidden"], policy.Decide(Authorize(Permission("tcp", 20, 25, "cidrIp", "0.0.0.0/0"))).Reasons);
        Assert.Equal(SecurityGroupVerdict.Allow, policy.Decide(Authorize(Permission("tcp", 80, 80, "cidrIp", "0.0.0.0/0"))).Decision);
        Assert.Equal(SecurityGroupVerdict.Allow, policy.Decide(Authorize(Permission("tcp", 22, 22, "cidrIp", "10.0.0.0/8"))).Decision);
    }

    [Fact]
    public void Allowed_ranges_that_touch_are_joined_so_a_range_across_them_is_allowed()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { AllowedIngressPorts = [new PortRange(8000, 8040), new PortRange(8041, 8080)] });

        Assert.Equal(SecurityGroupVerdict.Allow, policy.Decide(Authorize(Permission("tcp", 8000, 8080, "cidrIp", "0.0.0.0/0"))).Decision);
        Assert.Equal(SecurityGroupVerdict.Revoke, policy.Decide(Authorize(Permission("tcp", 8000, 8081, "cidrIp", "0.0.0.0/0"))).Decision);
    }

    [Fact]
    public void Udp_ports_are_allowed_only_by_their_own_list()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { AllowedIngressUdpPorts = [new PortRange(443, 443)] });

        Assert.Equal(SecurityGroupVerdict.Allow, policy.Decide(Authorize(Permission("udp", 443, 443, "cidrIp", "0.0.0.0/0"))).Decision);
        Assert.Equal(SecurityGroupVerdict.Revoke, policy.Decide(Authorize(Permission("udp", 80, 80, "cidrIp", "0.0.0.0/0"))).Decision);
    }

    [Fact]
    public void World_open_icmp_violates_only_when_the_policy_forbids_it()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { AllowWorldIcmp = false });

        var decision = policy.Decide(Authorize(Permission("icmp", -1, -1, "cidrIp", "0.0.0.0/0")));

        Assert.Equal(["icmp (all types) open to 0.0.0.0/0; the policy does not allow ICMP from the world"], decision.Reasons);
        Assert.Equal(SecurityGroupVerdict.Allow, policy.Decide(Authorize(Permission("icmp", -1, -1, "cidrIp", "10.0.0.0/8"))).Decision);
    }

    [Fact]
    public void An_exempt_group_id_turns_revoke_into_exempt_and_keeps_the_violations_for_notice()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { ExemptGroupIds = ["sg-0a1b2c3d4e5f60718"] });

        var decision = policy.Decide(FixtureChange("authorize-ingress-ssh-world.json"));

        Assert.Equal(SecurityGroupVerdict.Exempt, decision.Decision);
        Assert.Empty(decision.RuleIdsToRevoke);
        Assert.Single(decision.Violations);
        Assert.Equal("exempt: group sg-0a1b2c3d4e5f60718 is listed as exempt", decision.Reasons[^1]);
    }

    [Fact]
    public void The_exempt_tag_exempts_when_the_group_tags_are_known()
    {
        var facts = new SecurityGroupFacts { GroupTags = new Dictionary<string, string> { ["TrailResponder:Exempt"] = "true" } };

        var decision = Default.Decide(FixtureChange("authorize-ingress-ssh-world.json"), facts);

        Assert.Equal(SecurityGroupVerdict.Exempt, decision.Decision);
        Assert.Equal("exempt: group sg-0a1b2c3d4e5f60718 carries the tag TrailResponder:Exempt=true", decision.Reasons[^1]);
    }

    [Theory]
    [InlineData("TrailResponder:Exempt", "false")]
    [InlineData("TrailResponder:Exempt", "True")]
    [InlineData("trailresponder:exempt", "true")]
    [InlineData("Owner", "true")]
    public void Tags_that_do_not_match_exactly_do_not_exempt(string key, string value)
    {
        var facts = new SecurityGroupFacts { GroupTags = new Dictionary<string, string> { [key] = value } };

        var decision = Default.Decide(FixtureChange("authorize-ingress-ssh-world.json"), facts);

        Assert.Equal(SecurityGroupVerdict.Revoke, decision.Decision);
        Assert.False(decision.NeedsGroupTags);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/DeveloperRole")]
    [InlineData("arn:aws:iam::111122223333:role/Developer*")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/DeveloperRole/*")]
    [InlineData("arn:aws:iam::*:role/developerrole")]
    [InlineData("arn:aws:*:*:*/DeveloperRole*")]
    public void An_exempt_principal_pattern_matches_the_caller_or_its_role(string pattern)
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { ExemptPrincipals = [pattern] });

        var decision = policy.Decide(FixtureChange("authorize-ingress-ssh-world.json"));

        Assert.Equal(SecurityGroupVerdict.Exempt, decision.Decision);
        Assert.Contains(pattern, decision.Reasons[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/Deployer")]
    [InlineData("arn:aws:iam::111122223333:role/DeveloperRole2")]
    [InlineData("arn:aws:iam::999999999999:role/*")]
    [InlineData("arn:aws:iam::111122223333:user/*")]
    public void Principal_patterns_that_do_not_match_leave_the_revoke(string pattern)
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { ExemptPrincipals = [pattern] });

        Assert.Equal(SecurityGroupVerdict.Revoke, policy.Decide(FixtureChange("authorize-ingress-ssh-world.json")).Decision);
    }

    [Fact]
    public void Exemptions_matter_only_when_something_violates()
    {
        var policy = new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with { ExemptGroupIds = ["sg-0a1b2c3d4e5f60718"] });

        Assert.Equal(SecurityGroupVerdict.Allow, policy.Decide(Authorize(Permission("tcp", 443, 443, "cidrIp", "0.0.0.0/0"))).Decision);
    }

    [Fact]
    public void Several_permissions_in_one_call_are_judged_one_rule_at_a_time()
    {
        var change = Authorize(string.Join(",",
            Permission("tcp", 22, 22, "cidrIp", "0.0.0.0/0"),
            Permission("-1", null, null, "cidrIp", "10.0.0.0/8"),
            Permission("tcp", 443, 443, "cidrIpv6", "::/0"),
            Permission("udp", 500, 500, "cidrIpv6", "::/0")));

        var decision = Default.Decide(change);

        Assert.Equal(
            ["tcp 22 open to 0.0.0.0/0; allowed ports are 80, 443", "udp 500 open to ::/0; allowed udp ports are none"],
            decision.Reasons);
        Assert.Equal(2, decision.PermissionsToRevoke.Count);
    }

    [Fact]
    public void Invalid_options_built_in_code_are_refused_with_every_problem()
    {
        var error = Assert.Throws<SecurityGroupPolicyException>(() => new SecurityGroupPolicy(SecurityGroupPolicyOptions.Default with
        {
            ExemptGroupIds = ["web"],
            ExemptPrincipals = ["*"],
        }));

        Assert.Equal(2, error.Problems.Count);
    }

    private static DescribedSecurityGroupRule Described(string id, bool egress, string protocol, int from, int to, SecurityGroupRuleSource source, string groupId = "sg-0123456789abcdef0") => new()
    {
        RuleId = id,
        GroupId = groupId,
        IsEgress = egress,
        Protocol = SecurityGroupProtocol.Parse(protocol),
        FromPort = from,
        ToPort = to,
        Source = source,
    };

    // ---- Recheck: each condemned rule judged again as EC2 holds it now.

    private static readonly SecurityGroupDecision SshOpened = Default.Decide(FixtureChange("authorize-ingress-ssh-world.json"));

    private static DescribedSecurityGroupRule Now(string protocol, int from, int to, string? cidrIpv4 = null, string? cidrIpv6 = null, bool isEgress = false, string groupId = "sg-0a1b2c3d4e5f60718") =>
        DescribedSecurityGroupRule.Create("sgr-0f1e2d3c4b5a69788", groupId, isEgress, protocol, from, to, cidrIpv4: cidrIpv4, cidrIpv6: cidrIpv6);

    [Theory]
    [InlineData("tcp", 22, 22, "0.0.0.0/0", null, true)]
    [InlineData("tcp", 0, 65535, "0.0.0.0/0", null, true)]
    [InlineData("-1", -1, -1, "0.0.0.0/0", null, true)]
    [InlineData("tcp", 22, 22, "10.3.0.0/16", null, false)]
    [InlineData("tcp", 443, 443, "0.0.0.0/0", null, false)]
    [InlineData("tcp", 3389, 3389, "192.168.0.0/16", null, false)]
    public void Recheck_judges_the_rule_as_it_is_now_with_the_same_policy(string protocol, int from, int to, string? cidrIpv4, string? cidrIpv6, bool stillViolates)
    {
        var (still, alreadyFixed) = Default.Recheck(SshOpened, [Now(protocol, from, to, cidrIpv4, cidrIpv6)]);

        Assert.Equal(stillViolates ? 1 : 0, still.Count);
        Assert.Equal(stillViolates ? 0 : 1, alreadyFixed.Count);
        var rechecked = Assert.Single(still.Concat(alreadyFixed));
        Assert.Equal("sgr-0f1e2d3c4b5a69788", rechecked.Rule);
        Assert.NotNull(rechecked.Now);
    }

    [Fact]
    public void Recheck_counts_a_rule_no_longer_described_as_already_fixed()
    {
        var (still, alreadyFixed) = Default.Recheck(SshOpened, []);

        Assert.Empty(still);
        Assert.Equal("sgr-0f1e2d3c4b5a69788 (no longer exists)", Assert.Single(alreadyFixed).Describe());
    }

    [Fact]
    public void Recheck_does_not_take_a_rule_of_another_group_for_the_condemned_one()
    {
        var (still, alreadyFixed) = Default.Recheck(SshOpened, [Now("tcp", 22, 22, "0.0.0.0/0", groupId: "sg-0ffffffffffffffff")]);

        Assert.Empty(still);
        Assert.Null(Assert.Single(alreadyFixed).Now);
    }

    [Fact]
    public void Recheck_judges_an_egress_rule_by_the_egress_policy()
    {
        var options = SecurityGroupPolicyOptions.FromEnvironment(new Dictionary<string, string?> { ["CHECK_EGRESS"] = "true" });
        var policy = new SecurityGroupPolicy(options);
        var egressOpened = policy.Decide(FixtureChange("authorize-egress-all-traffic.json"));
        var ruleId = Assert.Single(egressOpened.Violations).RuleId!;
        var now = DescribedSecurityGroupRule.Create(ruleId, egressOpened.GroupId!, true, "-1", -1, -1, cidrIpv4: "0.0.0.0/0");

        Assert.Single(policy.Recheck(egressOpened, [now]).StillViolating);
        Assert.Single(Default.Recheck(egressOpened, [now]).AlreadyFixed);
    }
}
