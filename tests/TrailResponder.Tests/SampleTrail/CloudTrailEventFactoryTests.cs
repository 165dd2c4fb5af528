using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrailResponder.SampleTrail;

namespace TrailResponder.Tests.SampleTrail;

public partial class CloudTrailEventFactoryTests
{
    private static readonly string[] IdentityTypes =
        ["Root", "IAMUser", "AssumedRole", "FederatedUser", "SAMLUser", "WebIdentityUser", "AWSAccount", "AWSService", "IdentityCenterUser"];

    [Fact]
    public void Same_seed_and_base_time_give_identical_records()
    {
        Assert.Equal(Sequence(7), Sequence(7));
    }

    [Fact]
    public void Different_seeds_give_different_records()
    {
        var first = Sequence(7);
        var second = Sequence(8);

        Assert.NotEqual(first, second);
        Assert.All(first.Zip(second), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Theory]
    [MemberData(nameof(RecordBuilders.Names), MemberType = typeof(RecordBuilders))]
    public void Every_record_kind_is_a_complete_cloudtrail_record(string kind)
    {
        var factory = new CloudTrailEventFactory(11, RecordBuilders.BaseTime);

        using var document = JsonDocument.Parse(RecordBuilders.All[kind](factory));
        var record = document.RootElement;

        Assert.Contains(record.GetProperty("eventVersion").GetString(), new[] { "1.09", "1.10" });
        Assert.Contains(record.GetProperty("userIdentity").GetProperty("type").GetString(), IdentityTypes);
        AssertEventTimeInWindow(record, RecordBuilders.BaseTime, TimeSpan.FromHours(1));
        Assert.EndsWith(".amazonaws.com", record.GetProperty("eventSource").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(record.GetProperty("eventName").GetString()));
        Assert.Matches("^[a-z]{2}-[a-z]+-[0-9]$", record.GetProperty("awsRegion").GetString());
        Assert.False(string.IsNullOrEmpty(record.GetProperty("sourceIPAddress").GetString()));
        Assert.False(string.IsNullOrEmpty(record.GetProperty("userAgent").GetString()));
        Assert.True(record.TryGetProperty("requestParameters", out _));
        Assert.True(record.TryGetProperty("responseElements", out _));
        Assert.True(Guid.TryParseExact(record.GetProperty("eventID").GetString(), "D", out _));
        Assert.Contains(record.GetProperty("readOnly").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Contains(record.GetProperty("eventType").GetString(), new[] { "AwsApiCall", "AwsConsoleSignIn", "AwsServiceEvent" });
        Assert.Contains(record.GetProperty("managementEvent").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal(CloudTrailEventFactory.DefaultAccountId, record.GetProperty("recipientAccountId").GetString());
        Assert.Contains(record.GetProperty("eventCategory").GetString(), new[] { "Management", "Data" });
    }

    [Theory]
    [InlineData(CallerKind.Root, "Root")]
    [InlineData(CallerKind.IamUser, "IAMUser")]
    [InlineData(CallerKind.AssumedRole, "AssumedRole")]
    [InlineData(CallerKind.SsoPermissionSetRole, "AssumedRole")]
    [InlineData(CallerKind.Ec2InstanceRole, "AssumedRole")]
    [InlineData(CallerKind.FederatedUser, "FederatedUser")]
    [InlineData(CallerKind.SamlUser, "SAMLUser")]
    [InlineData(CallerKind.WebIdentityUser, "WebIdentityUser")]
    [InlineData(CallerKind.AwsAccount, "AWSAccount")]
    [InlineData(CallerKind.AwsService, "AWSService")]
    [InlineData(CallerKind.IdentityCenterUser, "IdentityCenterUser")]
    public void Each_caller_kind_writes_its_identity_type(CallerKind kind, string expectedType)
    {
        var identity = Parse(Factory().CallBy(kind)).GetProperty("userIdentity");

        Assert.Equal(expectedType, identity.GetProperty("type").GetString());
    }

    [Fact]
    public void Role_sessions_carry_a_session_context_that_says_where_they_came_from()
    {
        var factory = Factory();
        var sso = Parse(factory.CallBy(CallerKind.SsoPermissionSetRole)).GetProperty("userIdentity");
        var instance = Parse(factory.CallBy(CallerKind.Ec2InstanceRole)).GetProperty("userIdentity");
        var federated = Parse(factory.CallBy(CallerKind.FederatedUser)).GetProperty("userIdentity");

        Assert.Contains("/aws-reserved/sso.amazonaws.com/AWSReservedSSO_", sso.GetProperty("sessionContext").GetProperty("sessionIssuer").GetProperty("arn").GetString(), StringComparison.Ordinal);
        Assert.Equal("2.0", instance.GetProperty("sessionContext").GetProperty("ec2RoleDelivery").GetString());
        Assert.Matches(":i-0[0-9a-f]{16}$", instance.GetProperty("principalId").GetString());
        Assert.Equal("false", instance.GetProperty("sessionContext").GetProperty("attributes").GetProperty("mfaAuthenticated").GetString());
        Assert.Equal("IAMUser", federated.GetProperty("sessionContext").GetProperty("sessionIssuer").GetProperty("type").GetString());
    }

    [Fact]
    public void Service_and_identity_center_callers_have_their_distinctive_fields()
    {
        var factory = Factory();
        var service = Parse(factory.CallBy(CallerKind.AwsService));
        var identityCenter = Parse(factory.CallBy(CallerKind.IdentityCenterUser)).GetProperty("userIdentity");
        var saml = Parse(factory.CallBy(CallerKind.SamlUser)).GetProperty("userIdentity");

        Assert.Equal(service.GetProperty("sourceIPAddress").GetString(), service.GetProperty("userIdentity").GetProperty("invokedBy").GetString());
        Assert.StartsWith("arn:aws:identitystore::", identityCenter.GetProperty("onBehalfOf").GetProperty("identityStoreArn").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(saml.GetProperty("identityProvider").GetString()));
    }

    [Fact]
    public void Console_logins_record_mfa_use_and_failures_as_cloudtrail_does()
    {
        var factory = Factory();
        var withMfa = Parse(factory.ConsoleLogin(SignInCaller.IamUser, mfaUsed: true, succeeded: true));
        var failed = Parse(factory.ConsoleLogin(SignInCaller.IamUser, mfaUsed: false, succeeded: false));
        var unknown = Parse(factory.UnknownUserConsoleLoginFailure());

        Assert.Equal("Yes", withMfa.GetProperty("additionalEventData").GetProperty("MFAUsed").GetString());
        Assert.Equal("Success", withMfa.GetProperty("responseElements").GetProperty("ConsoleLogin").GetString());
        Assert.Equal("AwsConsoleSignIn", withMfa.GetProperty("eventType").GetString());
        Assert.Equal(JsonValueKind.Null, withMfa.GetProperty("requestParameters").ValueKind);
        Assert.Equal("No", failed.GetProperty("additionalEventData").GetProperty("MFAUsed").GetString());
        Assert.Equal("Failed authentication", failed.GetProperty("errorMessage").GetString());
        Assert.Equal("Failure", failed.GetProperty("responseElements").GetProperty("ConsoleLogin").GetString());
        Assert.Equal("HIDDEN_DUE_TO_SECURITY_REASONS", unknown.GetProperty("userIdentity").GetProperty("userName").GetString());
        Assert.False(unknown.GetProperty("userIdentity").TryGetProperty("arn", out _));
    }

    [Fact]
    public void Authorize_ingress_writes_ec2_item_lists_with_one_rule_per_source()
    {
        var permission = SecurityGroupPermission.Tcp(22, "0.0.0.0/0", "::/0") with { PrefixListIds = ["pl-0123abcd"], Description = "temp ssh" };

        var record = Parse(Factory().AuthorizeSecurityGroupIngress("sg-0a1b2c3d4e5f60718", permission));

        var item = record.GetProperty("requestParameters").GetProperty("ipPermissions").GetProperty("items")[0];
        Assert.Equal("sg-0a1b2c3d4e5f60718", record.GetProperty("requestParameters").GetProperty("groupId").GetString());
        Assert.Equal("tcp", item.GetProperty("ipProtocol").GetString());
        Assert.Equal(22, item.GetProperty("fromPort").GetInt32());
        Assert.Equal(22, item.GetProperty("toPort").GetInt32());
        Assert.Equal("0.0.0.0/0", item.GetProperty("ipRanges").GetProperty("items")[0].GetProperty("cidrIp").GetString());
        Assert.Equal("::/0", item.GetProperty("ipv6Ranges").GetProperty("items")[0].GetProperty("cidrIpv6").GetString());
        Assert.Equal("pl-0123abcd", item.GetProperty("prefixListIds").GetProperty("items")[0].GetProperty("prefixListId").GetString());
        Assert.Equal("{}", item.GetProperty("groups").GetRawText());

        var response = record.GetProperty("responseElements");
        Assert.True(response.GetProperty("_return").GetBoolean());
        Assert.Equal(record.GetProperty("requestID").GetString(), response.GetProperty("requestId").GetString());
        var rules = response.GetProperty("securityGroupRuleSet").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, rules.Count);
        Assert.All(rules, rule => Assert.Matches("^sgr-0[0-9a-f]{16}$", rule.GetProperty("securityGroupRuleId").GetString()));
        Assert.All(rules, rule => Assert.False(rule.GetProperty("isEgress").GetBoolean()));
        Assert.Equal(["cidrIpv4", "cidrIpv6", "prefixListId"], rules.Select(r => r.EnumerateObject().Select(p => p.Name).Single(n => n is "cidrIpv4" or "cidrIpv6" or "prefixListId")).ToArray());
        Assert.Equal(3, rules.Select(r => r.GetProperty("securityGroupRuleId").GetString()).Distinct().Count());
    }

    [Fact]
    public void All_traffic_egress_omits_request_ports_and_reports_minus_one_in_the_rule()
    {
        var record = Parse(Factory().AuthorizeSecurityGroupEgress("sg-0a1b2c3d4e5f60718", SecurityGroupPermission.AllTraffic("0.0.0.0/0")));

        var item = record.GetProperty("requestParameters").GetProperty("ipPermissions").GetProperty("items")[0];
        var rule = record.GetProperty("responseElements").GetProperty("securityGroupRuleSet").GetProperty("items")[0];
        Assert.Equal("-1", item.GetProperty("ipProtocol").GetString());
        Assert.False(item.TryGetProperty("fromPort", out _));
        Assert.True(rule.GetProperty("isEgress").GetBoolean());
        Assert.Equal(-1, rule.GetProperty("fromPort").GetInt32());
    }

    [Fact]
    public void Modify_security_group_rules_uses_the_pascal_case_wrappers()
    {
        var record = Parse(Factory().ModifySecurityGroupRules("sg-0a1b2c3d4e5f60718", "sgr-0f1e2d3c4b5a69788", SecurityGroupPermission.Tcp(3389, "0.0.0.0/0")));

        var request = record.GetProperty("requestParameters").GetProperty("ModifySecurityGroupRulesRequest");
        var rule = request.GetProperty("SecurityGroupRule");
        Assert.Equal("sg-0a1b2c3d4e5f60718", request.GetProperty("GroupId").GetString());
        Assert.Equal("sgr-0f1e2d3c4b5a69788", rule.GetProperty("SecurityGroupRuleId").GetString());
        Assert.Equal(3389, rule.GetProperty("SecurityGroupRule").GetProperty("FromPort").GetInt32());
        Assert.Equal("0.0.0.0/0", rule.GetProperty("SecurityGroupRule").GetProperty("CidrIpv4").GetString());
        Assert.True(record.GetProperty("responseElements").GetProperty("ModifySecurityGroupRulesResponse").GetProperty("return").GetBoolean());
    }

    [Fact]
    public void Failed_authorize_has_an_error_code_and_a_null_response()
    {
        var record = Parse(Factory().FailedAuthorizeSecurityGroupIngress("sg-0a1b2c3d4e5f60718", SecurityGroupPermission.Tcp(22, "0.0.0.0/0"), "Client.UnauthorizedOperation"));

        Assert.Equal("Client.UnauthorizedOperation", record.GetProperty("errorCode").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("responseElements").ValueKind);
    }

    [Fact]
    public void Escalation_events_carry_the_details_responders_look_for()
    {
        var factory = Factory();
        var attach = Parse(factory.AttachAdministratorAccessToUser("bob"));
        var accessKey = Parse(factory.CreateAccessKeyForAnotherUser("alice", "bob"));
        var policy = Parse(factory.PublicBucketPolicy("acme-invoices"));
        var acl = Parse(factory.PublicReadBucketAcl("acme-invoices"));
        var trail = Parse(factory.DisableLogFileValidation());

        Assert.Equal("arn:aws:iam::aws:policy/AdministratorAccess", attach.GetProperty("requestParameters").GetProperty("policyArn").GetString());
        Assert.Equal("bob", accessKey.GetProperty("requestParameters").GetProperty("userName").GetString());
        Assert.Equal("alice", accessKey.GetProperty("userIdentity").GetProperty("userName").GetString());
        var statement = policy.GetProperty("requestParameters").GetProperty("bucketPolicy").GetProperty("Statement")[0];
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal("*", statement.GetProperty("Principal").GetString());
        Assert.Equal("s3.amazonaws.com", acl.GetProperty("eventSource").GetString());
        Assert.Equal("public-read", acl.GetProperty("requestParameters").GetProperty("x-amz-acl")[0].GetString());
        Assert.Equal(JsonValueKind.False, trail.GetProperty("requestParameters").GetProperty("enableLogFileValidation").ValueKind);
    }

    [Fact]
    public void S3_object_events_are_data_events_with_object_and_bucket_resources()
    {
        var record = Parse(Factory().S3ObjectDataEvent("PutObject"));

        Assert.Equal("Data", record.GetProperty("eventCategory").GetString());
        Assert.False(record.GetProperty("managementEvent").GetBoolean());
        Assert.False(record.GetProperty("readOnly").GetBoolean());
        var resources = record.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal("AWS::S3::Object", resources[0].GetProperty("type").GetString());
        Assert.StartsWith("arn:aws:s3:::", resources[0].GetProperty("ARN").GetString(), StringComparison.Ordinal);
        Assert.Equal("AWS::S3::Bucket", resources[1].GetProperty("type").GetString());
    }

    [Fact]
    public void Global_service_events_are_recorded_in_us_east_1_whatever_the_factory_region()
    {
        var factory = new CloudTrailEventFactory(3, RecordBuilders.BaseTime, TimeSpan.FromHours(1), region: "eu-west-1");

        Assert.Equal("us-east-1", Parse(factory.ConsoleLogin(SignInCaller.Root, false, true)).GetProperty("awsRegion").GetString());
        Assert.Equal("us-east-1", Parse(factory.AttachAdministratorAccessToUser("bob")).GetProperty("awsRegion").GetString());
        Assert.Equal("us-east-1", Parse(factory.OrganizationsChange("LeaveOrganization")).GetProperty("awsRegion").GetString());
        Assert.Equal("eu-west-1", Parse(factory.UnauthorizedEc2Call()).GetProperty("awsRegion").GetString());
    }

    [Fact]
    public void Benign_records_from_a_regional_factory_never_claim_a_global_service()
    {
        var factory = new CloudTrailEventFactory(5, RecordBuilders.BaseTime, TimeSpan.FromHours(1), region: "eu-west-1");

        for (var i = 0; i < 2000; i++)
        {
            Assert.Equal("eu-west-1", Parse(factory.BenignRecord()).GetProperty("awsRegion").GetString());
        }
    }

    [Fact]
    public void Insight_record_has_insight_details_and_no_caller()
    {
        var record = Parse(Factory().InsightRecord(start: false));

        Assert.Equal("AwsCloudTrailInsight", record.GetProperty("eventType").GetString());
        Assert.Equal("Insight", record.GetProperty("eventCategory").GetString());
        Assert.False(record.TryGetProperty("userIdentity", out _));
        var details = record.GetProperty("insightDetails");
        Assert.Equal("End", details.GetProperty("state").GetString());
        Assert.Equal("ApiCallRateInsight", details.GetProperty("insightType").GetString());
        Assert.True(details.GetProperty("insightContext").GetProperty("statistics").GetProperty("insightDuration").GetInt32() > 0);
    }

    [Fact]
    public void Benign_mix_averages_the_size_of_real_cloudtrail_records()
    {
        var factory = Factory();

        var average = Enumerable.Range(0, 3000).Average(_ => factory.BenignRecord().Length);

        Assert.InRange(average, 1100, 2100);
    }

    [Fact]
    public void Unknown_event_names_for_a_family_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Factory().IamPolicyChange("ListUsers"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Factory().Ec2NetworkChange("DescribeVpcs"));
    }

    internal static void AssertEventTimeInWindow(JsonElement record, DateTimeOffset start, TimeSpan window)
    {
        var text = record.GetProperty("eventTime").GetString()!;
        Assert.Matches(EventTimeFormat(), text);
        var time = DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(time, start, start + window - TimeSpan.FromSeconds(1));
    }

    private static CloudTrailEventFactory Factory() => new(42, RecordBuilders.BaseTime);

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static List<string> Sequence(int seed)
    {
        var factory = new CloudTrailEventFactory(seed, RecordBuilders.BaseTime);
        return [.. RecordBuilders.All.Values.Select(build => build(factory)), .. Enumerable.Range(0, 200).Select(_ => factory.MixedRecord())];
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex EventTimeFormat();
}
