using System.Text;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;

namespace TrailResponder.Tests.Core.Findings;

public class FindingFactoryTests
{
    private static readonly DetectionRule PolicyRule = BuiltInRules.All.Single(r => r.Id == "CIS-4.8");

    private static CloudTrailRecord Record(string json) => new(Encoding.UTF8.GetBytes(json), "bucket/AWSLogs/x.json.gz", 0, 0);

    [Fact]
    public void A_finding_carries_the_rule_the_event_the_principal_and_the_log_file()
    {
        var record = Record("""{"eventID":"e-1","eventTime":"2024-05-06T08:15:42Z","eventName":"PutBucketPolicy","eventSource":"s3.amazonaws.com","awsRegion":"eu-west-1","recipientAccountId":"111122223333","sourceIPAddress":"203.0.113.5","userAgent":"aws-cli/2","errorCode":"AccessDenied","errorMessage":"no","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","userName":"alice","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE"},"requestParameters":{"bucketName":"reports"}}""");

        var finding = FindingFactory.Create(PolicyRule, record);

        Assert.Equal("CIS-4.8", finding.Rule.Id);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Equal("CIS-4.8/e-1", finding.FindingId);
        Assert.Equal("e-1", finding.EventId);
        Assert.Equal("2024-05-06T08:15:42Z", finding.EventTime);
        Assert.Equal("PutBucketPolicy", finding.EventName);
        Assert.Equal("s3.amazonaws.com", finding.EventSource);
        Assert.Equal("eu-west-1", finding.AwsRegion);
        Assert.Equal("111122223333", finding.AccountId);
        Assert.Equal(new FindingPrincipal("arn:aws:iam::111122223333:user/alice", "IAMUser", "alice", "111122223333", "AKIAEXAMPLE"), finding.Principal);
        Assert.Equal("203.0.113.5", finding.SourceIpAddress);
        Assert.Equal("aws-cli/2", finding.UserAgent);
        Assert.Equal("AccessDenied", finding.ErrorCode);
        Assert.Equal("bucket/AWSLogs/x.json.gz", finding.LogFile);
        Assert.Equal([new FindingResource("AWS::S3::Bucket", "arn:aws:s3:::reports")], finding.Resources);
    }

    [Fact]
    public void The_same_rule_and_event_always_give_the_same_id()
    {
        var json = """{"eventID":"e-7","eventName":"PutBucketPolicy"}""";

        Assert.Equal(FindingFactory.Create(PolicyRule, Record(json)).FindingId, FindingFactory.Create(PolicyRule, Record(json)).FindingId);
        Assert.NotEqual(FindingFactory.Create(PolicyRule, Record(json)).FindingId, FindingFactory.Create(BuiltInRules.Cis[0], Record(json)).FindingId);
    }

    [Fact]
    public void A_record_without_an_eventID_is_identified_by_a_hash_of_its_bytes()
    {
        var first = FindingFactory.Create(PolicyRule, Record("""{"eventName":"PutBucketPolicy","n":1}"""));
        var second = FindingFactory.Create(PolicyRule, Record("""{"eventName":"PutBucketPolicy","n":2}"""));

        Assert.StartsWith("CIS-4.8/sha256:", first.FindingId, StringComparison.Ordinal);
        Assert.Equal(15 + 64, first.FindingId.Length);
        Assert.NotEqual(first.FindingId, second.FindingId);
    }

    [Fact]
    public void Resources_come_from_the_resources_list_and_the_request_without_duplicates()
    {
        var record = Record("""{"eventSource":"ec2.amazonaws.com","resources":[{"ARN":"arn:aws:ec2:us-east-1:111122223333:security-group/sg-1","accountId":"111122223333","type":"AWS::EC2::SecurityGroup"},{"ARN":"arn:aws:ec2:us-east-1:111122223333:security-group/sg-1","type":"AWS::EC2::SecurityGroup"}],"requestParameters":{"groupId":"sg-1","ModifySecurityGroupRulesRequest":{"GroupId":"sg-2"}}}""");

        var resources = EventResources.Of(record);

        Assert.Equal(
            [
                new FindingResource("AWS::EC2::SecurityGroup", "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1"),
                new FindingResource("AWS::EC2::SecurityGroup", "sg-1"),
                new FindingResource("AWS::EC2::SecurityGroup", "sg-2"),
            ],
            resources);
    }

    [Fact]
    public void An_insights_finding_names_the_API_it_is_about()
    {
        var rule = BuiltInRules.All.Single(r => r.Id == "TR-CLOUDTRAIL-INSIGHT");
        var record = Record("""{"eventID":"i-1","eventType":"AwsCloudTrailInsight","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}}""");

        var finding = FindingFactory.Create(rule, record);

        Assert.Equal("RunInstances", finding.EventName);
        Assert.Equal("ec2.amazonaws.com", finding.EventSource);
        Assert.Null(finding.Principal);
    }

    [Fact]
    public void A_request_parameter_of_another_service_is_not_taken_for_a_resource()
    {
        var record = Record("""{"eventSource":"sso.amazonaws.com","requestParameters":{"userName":"x","bucketName":"y"}}""");

        Assert.Empty(EventResources.Of(record));
    }
}
