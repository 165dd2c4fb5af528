using System.Text;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.Core.Rules;

public class BuiltInRulesTests
{
    private static readonly RuleEvaluator Evaluator = RuleSet.BuiltIn.CreateEvaluator();

    private static IReadOnlyList<string> Matches(string json) =>
        Evaluator.Match(Encoding.UTF8.GetBytes(json)).Select(r => r.Id).ToList();

    [Fact]
    public void The_fifteen_CIS_controls_are_built_in_with_their_Security_Hub_controls()
    {
        var cis = BuiltInRules.Cis;

        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"CIS-4.{i}"), cis.Select(r => r.Id));
        Assert.Equal("CloudWatch.2", cis[0].SecurityHubControlId);
        Assert.Equal("CloudWatch.3", cis[1].SecurityHubControlId);
        Assert.Equal("CloudWatch.1", cis[2].SecurityHubControlId);
        for (var i = 4; i <= 14; i++)
        {
            Assert.Equal($"CloudWatch.{i}", cis[i - 1].SecurityHubControlId);
        }

        Assert.Null(cis[14].SecurityHubControlId);
        Assert.All(BuiltInRules.All, r => Assert.True(r.IsBuiltIn));
        Assert.All(BuiltInRules.All, r => Assert.NotEmpty(r.FindingTypes));
        Assert.Equal(BuiltInRules.All.Count, BuiltInRules.All.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void CIS_4_1_is_the_v3_text_whose_exclusions_bind_to_the_AccessDenied_term_only()
    {
        Assert.Equal(
            """{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }""",
            BuiltInRules.Cis[0].Pattern!.Text);
    }

    [Theory]
    // 4.1: precedence A || (B && C && D).
    [InlineData("CIS-4.1", """{"errorCode":"Client.UnauthorizedOperation","eventName":"HeadBucket","sourceIPAddress":"delivery.logs.amazonaws.com"}""", true)]
    [InlineData("CIS-4.1", """{"errorCode":"AccessDenied","eventName":"HeadBucket","sourceIPAddress":"203.0.113.9"}""", false)]
    [InlineData("CIS-4.1", """{"errorCode":"AccessDenied","eventName":"GetObject","sourceIPAddress":"delivery.logs.amazonaws.com"}""", false)]
    [InlineData("CIS-4.1", """{"errorCode":"AccessDeniedException","eventName":"GetSecretValue","sourceIPAddress":"203.0.113.9"}""", true)]
    [InlineData("CIS-4.1", """{"errorCode":"NoSuchEntity","eventName":"GetUser","sourceIPAddress":"203.0.113.9"}""", false)]
    [InlineData("CIS-4.1", """{"eventName":"GetUser","sourceIPAddress":"203.0.113.9"}""", false)]
    // 4.2
    [InlineData("CIS-4.2", """{"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"},"responseElements":{"ConsoleLogin":"Success"}}""", true)]
    [InlineData("CIS-4.2", """{"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"Yes"}}""", false)]
    [InlineData("CIS-4.2", """{"eventName":"ConsoleLogin"}""", false)]
    [InlineData("CIS-4.2", """{"eventName":"CheckMfa","additionalEventData":{"MFAUsed":"No"}}""", false)]
    // 4.3: root usage excluding service actions on behalf of root.
    [InlineData("CIS-4.3", """{"userIdentity":{"type":"Root"},"eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn"}""", true)]
    [InlineData("CIS-4.3", """{"userIdentity":{"type":"Root","invokedBy":"support.amazonaws.com"},"eventType":"AwsApiCall"}""", false)]
    [InlineData("CIS-4.3", """{"userIdentity":{"type":"Root"},"eventType":"AwsServiceEvent"}""", false)]
    [InlineData("CIS-4.3", """{"userIdentity":{"type":"Root","invokedBy":null},"eventType":"AwsApiCall"}""", false)]
    [InlineData("CIS-4.3", """{"userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"}""", false)]
    // 4.4 .. 4.15: one watched event and one lookalike each.
    [InlineData("CIS-4.4", """{"eventName":"PutRolePolicy"}""", true)]
    [InlineData("CIS-4.4", """{"eventName":"GetRolePolicy"}""", false)]
    [InlineData("CIS-4.5", """{"eventName":"StopLogging"}""", true)]
    [InlineData("CIS-4.5", """{"eventName":"LookupEvents"}""", false)]
    [InlineData("CIS-4.6", """{"eventName":"ConsoleLogin","errorMessage":"Failed authentication"}""", true)]
    [InlineData("CIS-4.6", """{"eventName":"ConsoleLogin","errorMessage":"No username found in supplied account"}""", false)]
    [InlineData("CIS-4.7", """{"eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion"}""", true)]
    [InlineData("CIS-4.7", """{"eventSource":"kms.amazonaws.com","eventName":"Decrypt"}""", false)]
    [InlineData("CIS-4.7", """{"eventSource":"ec2.amazonaws.com","eventName":"DisableKey"}""", false)]
    [InlineData("CIS-4.8", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy"}""", true)]
    [InlineData("CIS-4.8", """{"eventSource":"s3.amazonaws.com","eventName":"GetBucketPolicy"}""", false)]
    [InlineData("CIS-4.9", """{"eventSource":"config.amazonaws.com","eventName":"StopConfigurationRecorder"}""", true)]
    [InlineData("CIS-4.9", """{"eventSource":"config.amazonaws.com","eventName":"StartConfigurationRecorder"}""", false)]
    [InlineData("CIS-4.10", """{"eventName":"AuthorizeSecurityGroupIngress"}""", true)]
    [InlineData("CIS-4.10", """{"eventName":"ModifySecurityGroupRules"}""", false)]
    [InlineData("CIS-4.11", """{"eventName":"ReplaceNetworkAclEntry"}""", true)]
    [InlineData("CIS-4.11", """{"eventName":"DescribeNetworkAcls"}""", false)]
    [InlineData("CIS-4.12", """{"eventName":"AttachInternetGateway"}""", true)]
    [InlineData("CIS-4.12", """{"eventName":"CreateNatGateway"}""", false)]
    [InlineData("CIS-4.13", """{"eventName":"ReplaceRoute"}""", true)]
    [InlineData("CIS-4.13", """{"eventName":"DescribeRouteTables"}""", false)]
    [InlineData("CIS-4.14", """{"eventName":"CreateVpcPeeringConnection"}""", true)]
    [InlineData("CIS-4.14", """{"eventName":"CreateSubnet"}""", false)]
    [InlineData("CIS-4.15", """{"eventSource":"organizations.amazonaws.com","eventName":"LeaveOrganization"}""", true)]
    [InlineData("CIS-4.15", """{"eventSource":"iam.amazonaws.com","eventName":"CreatePolicy"}""", false)]
    public void Each_CIS_control_matches_its_events_and_not_lookalikes(string ruleId, string json, bool expected)
    {
        Assert.Equal(expected, Matches(json).Contains(ruleId));
    }

    [Theory]
    [InlineData("TR-CLOUDTRAIL-STOPPED", """{"eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging"}""", true)]
    [InlineData("TR-CLOUDTRAIL-STOPPED", """{"eventSource":"cloudtrail.amazonaws.com","eventName":"DeleteTrail","errorCode":"AccessDenied"}""", false)]
    [InlineData("TR-CLOUDTRAIL-VALIDATION-DISABLED", """{"eventSource":"cloudtrail.amazonaws.com","eventName":"UpdateTrail","requestParameters":{"name":"t","enableLogFileValidation":false}}""", true)]
    [InlineData("TR-CLOUDTRAIL-VALIDATION-DISABLED", """{"eventSource":"cloudtrail.amazonaws.com","eventName":"UpdateTrail","requestParameters":{"name":"t","enableLogFileValidation":true}}""", false)]
    [InlineData("TR-SECURITY-SERVICE-DISABLED", """{"eventSource":"guardduty.amazonaws.com","eventName":"DeleteDetector"}""", true)]
    [InlineData("TR-SECURITY-SERVICE-DISABLED", """{"eventSource":"securityhub.amazonaws.com","eventName":"DisableSecurityHub"}""", true)]
    [InlineData("TR-SECURITY-SERVICE-DISABLED", """{"eventSource":"securityhub.amazonaws.com","eventName":"DeleteDetector"}""", false)]
    [InlineData("TR-IAM-ADMIN-POLICY-ATTACHED", """{"eventName":"AttachRolePolicy","requestParameters":{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}}""", true)]
    [InlineData("TR-IAM-ADMIN-POLICY-ATTACHED", """{"eventName":"AttachRolePolicy","requestParameters":{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}""", false)]
    [InlineData("TR-IAM-USER-POLICY-GRANTED", """{"eventName":"PutUserPolicy","requestParameters":{"userName":"bob"}}""", true)]
    [InlineData("TR-IAM-USER-POLICY-GRANTED", """{"eventName":"PutRolePolicy"}""", false)]
    [InlineData("TR-IAM-CREDENTIALS-FOR-USER", """{"eventName":"CreateAccessKey","requestParameters":{"userName":"bob"}}""", true)]
    [InlineData("TR-IAM-CREDENTIALS-FOR-USER", """{"eventName":"CreateAccessKey","requestParameters":null}""", false)]
    [InlineData("TR-S3-PUBLIC-POLICY", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","requestParameters":{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Deny","Principal":"*"},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}]}}}""", true)]
    [InlineData("TR-S3-PUBLIC-POLICY", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","requestParameters":{"bucketName":"b","bucketPolicy":{"Statement":{"Effect":"Allow","Principal":"*"}}}}""", true)]
    [InlineData("TR-S3-PUBLIC-POLICY", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","requestParameters":{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"}}]}}}""", false)]
    [InlineData("TR-S3-PUBLIC-POLICY", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","requestParameters":{"bucketName":"b","bucketPolicy":{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"}},{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"}}]}}}""", false)]
    [InlineData("TR-S3-PUBLIC-ACL", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketAcl","requestParameters":{"bucketName":"b","x-amz-acl":["public-read-write"]}}""", true)]
    [InlineData("TR-S3-PUBLIC-ACL", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketAcl","requestParameters":{"AccessControlPolicy":{"AccessControlList":{"Grant":[{"Grantee":{"ID":"x"}},{"Grantee":{"URI":"http://acs.amazonaws.com/groups/global/AllUsers"}}]}}}}""", true)]
    [InlineData("TR-S3-PUBLIC-ACL", """{"eventSource":"s3.amazonaws.com","eventName":"PutBucketAcl","requestParameters":{"x-amz-acl":["private"]}}""", false)]
    [InlineData("TR-S3-BLOCK-PUBLIC-ACCESS-REMOVED", """{"eventSource":"s3.amazonaws.com","eventName":"DeleteBucketPublicAccessBlock"}""", true)]
    [InlineData("TR-S3-BLOCK-PUBLIC-ACCESS-REMOVED", """{"eventSource":"s3.amazonaws.com","eventName":"GetBucketPublicAccessBlock"}""", false)]
    [InlineData("TR-EC2-SECURITY-GROUP-RULE-MODIFIED", """{"eventSource":"ec2.amazonaws.com","eventName":"ModifySecurityGroupRules"}""", true)]
    [InlineData("TR-EC2-SECURITY-GROUP-RULE-MODIFIED", """{"eventSource":"ec2.amazonaws.com","eventName":"ModifySecurityGroupRules","errorCode":"Client.InvalidGroup.NotFound"}""", false)]
    [InlineData("TR-CLOUDTRAIL-INSIGHT", """{"eventType":"AwsCloudTrailInsight","eventCategory":"Insight","insightDetails":{"state":"Start","eventName":"DescribeInstances","insightType":"ApiCallRateInsight"}}""", true)]
    [InlineData("TR-CLOUDTRAIL-INSIGHT", """{"eventType":"AwsCloudTrailInsight","eventCategory":"Insight","insightDetails":{"state":"End"}}""", false)]
    public void TrailResponder_detections_match_their_events_and_not_lookalikes(string ruleId, string json, bool expected)
    {
        Assert.Equal(expected, Matches(json).Contains(ruleId));
    }

    [Fact]
    public void One_record_can_match_several_rules_in_one_pass()
    {
        var rootLoginWithoutMfaThatFailed = """{"eventName":"ConsoleLogin","userIdentity":{"type":"Root"},"eventType":"AwsConsoleSignIn","errorMessage":"Failed authentication","additionalEventData":{"MFAUsed":"No"}}""";

        Assert.Equal(["CIS-4.2", "CIS-4.3", "CIS-4.6"], Matches(rootLoginWithoutMfaThatFailed));
    }

    [Fact]
    public void A_benign_read_matches_no_rule()
    {
        Assert.Empty(Matches("""{"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com","userIdentity":{"type":"AssumedRole"},"eventType":"AwsApiCall","readOnly":true}"""));
    }
}
