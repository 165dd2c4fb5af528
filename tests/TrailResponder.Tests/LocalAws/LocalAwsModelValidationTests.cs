using System.Net;
using TrailResponder.LocalAws;

namespace TrailResponder.Tests.LocalAws;

public class LocalAwsModelValidationTests
{
    [Fact]
    public async Task Query_protocol_sns_refuses_unknown_action_unknown_parameter_and_missing_required_one()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        var topic = endpoint.Sns.CreateTopic("t");
        using var sns = new SignedAwsClient(endpoint, "sns");

        var unknownAction = await sns.PostFormAsync(("Action", "PublishEverything"), ("Version", "2010-03-31"));
        var unknownParameter = await sns.PostFormAsync(("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topic), ("Message", "x"), ("Colour", "red"));
        var missingMessage = await sns.PostFormAsync(("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topic));
        var attributeWithoutType = await sns.PostFormAsync(("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topic), ("Message", "x"),
            ("MessageAttributes.entry.1.Name", "a"), ("MessageAttributes.entry.1.Value.StringValue", "v"));
        var unimplemented = await sns.PostFormAsync(("Action", "ListTopics"), ("Version", "2010-03-31"));
        var otherVersion = await sns.PostFormAsync(("Action", "Publish"), ("Version", "2009-01-01"), ("TopicArn", topic), ("Message", "x"));
        var noVersion = await sns.PostFormAsync(("Action", "Publish"), ("TopicArn", topic), ("Message", "x"));

        Assert.Equal("InvalidAction", unknownAction.ErrorCode);
        Assert.Equal("InvalidParameterValue", unknownParameter.ErrorCode);
        Assert.Equal("MissingParameter", missingMessage.ErrorCode);
        Assert.Equal("MissingParameter", attributeWithoutType.ErrorCode);
        Assert.Equal("InvalidAction", unimplemented.ErrorCode);
        Assert.Equal("InvalidAction", otherVersion.ErrorCode);
        Assert.Equal("MissingParameter", noVersion.ErrorCode);
        Assert.All([unknownAction, unknownParameter, missingMessage], a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        Assert.Empty(endpoint.Sns.Messages(topic));
    }

    [Fact]
    public async Task Ec2_protocol_refuses_unknown_action_unknown_parameter_missing_parameter_wrong_type_and_out_of_range()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var ec2 = new SignedAwsClient(endpoint, "ec2");
        (string, string)[] V(string action, params (string, string)[] rest) => [("Action", action), ("Version", "2016-11-15"), .. rest];

        var unknownAction = await ec2.PostFormAsync(V("RevokeEverything"));
        var unknownParameter = await ec2.PostFormAsync(V("DescribeSecurityGroupRules", ("SecurityGroupRuleIds.1", "sgr-1")));
        var missingGroup = await ec2.PostFormAsync(V("RevokeSecurityGroupEgress", ("SecurityGroupRuleId.1", "sgr-1")));
        var wrongType = await ec2.PostFormAsync(V("DescribeSecurityGroupRules", ("MaxResults", "many")));
        var outOfRange = await ec2.PostFormAsync(V("DescribeSecurityGroupRules", ("MaxResults", "2")));

        Assert.Equal("InvalidAction", unknownAction.ErrorCode);
        Assert.Equal("UnknownParameter", unknownParameter.ErrorCode);
        Assert.Equal("MissingParameter", missingGroup.ErrorCode);
        Assert.Equal("InvalidParameterValue", wrongType.ErrorCode);
        Assert.Equal("InvalidParameterValue", outOfRange.ErrorCode);
    }

    [Fact]
    public async Task Json_protocol_cloudtrail_refuses_unknown_operation_unknown_member_and_wrong_type()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var cloudTrail = new SignedAwsClient(endpoint, "cloudtrail");

        var unknownOperation = await cloudTrail.CloudTrailAsync("ListPrivateKeys", "{}");
        var unknownMember = await cloudTrail.CloudTrailAsync("ListPublicKeys", """{"Colour":"red"}""");
        var wrongType = await cloudTrail.CloudTrailAsync("ListPublicKeys", """{"StartTime":"yesterday"}""");
        var notJson = await cloudTrail.CloudTrailAsync("ListPublicKeys", "{");
        var emptyBody = await cloudTrail.CloudTrailAsync("ListPublicKeys", "");

        Assert.Equal("UnknownOperationException", unknownOperation.ErrorCode);
        Assert.Equal("ValidationException", unknownMember.ErrorCode);
        Assert.Equal("SerializationException", wrongType.ErrorCode);
        Assert.Equal("SerializationException", notJson.ErrorCode);
        Assert.Equal("SerializationException", emptyBody.ErrorCode);
        Assert.Equal("application/x-amz-json-1.1", unknownMember.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Rest_json_security_hub_refuses_unknown_route_unknown_member_missing_member_and_wrong_type()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        using var hub = new SignedAwsClient(endpoint, "securityhub");
        var valid = LocalAwsSecurityHubTests.Finding("f-1");

        var unknownRoute = await hub.PostJsonAsync("/findings/explode", "{}");
        var unknownMember = await hub.PostJsonAsync("/findings/import", $$"""{"Findings":[{{valid.ToJsonString()}}],"Colour":"red"}""");
        var missingFindings = await hub.PostJsonAsync("/findings/import", "{}");
        var wrongType = await hub.PostJsonAsync("/findings/import", """{"Findings":"all of them"}""");
        valid["Confidence"] = "very";
        var wrongNestedType = await hub.PostJsonAsync("/findings/import", LocalAwsSecurityHubTests.Import(valid));

        Assert.Equal((HttpStatusCode.NotFound, "UnknownOperationException"), (unknownRoute.Status, unknownRoute.ErrorCode));
        Assert.Equal("InvalidInputException", unknownMember.ErrorCode);
        Assert.Equal("InvalidInputException", missingFindings.ErrorCode);
        Assert.Equal("SerializationException", wrongType.ErrorCode);
        Assert.Equal("SerializationException", wrongNestedType.ErrorCode);
        Assert.Empty(endpoint.SecurityHub.Findings);
    }

    [Fact]
    public async Task Rest_xml_s3_refuses_unknown_operation_unknown_query_parameter_wrong_type_and_operations_outside_the_snapshot()
    {
        await using var endpoint = await LocalAwsEndpoint.StartAsync();
        endpoint.S3.CreateBucket("trail-bucket");
        using var s3 = new SignedAwsClient(endpoint, "s3");

        var unknownOperation = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/trail-bucket/key"));
        var unknownParameter = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&colour=red"));
        var wrongType = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&max-keys=lots"));
        var badEnum = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?list-type=2&encoding-type=base64"));
        var outsideSnapshot = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/trail-bucket?acl"));

        Assert.Equal((HttpStatusCode.MethodNotAllowed, "MethodNotAllowed"), (unknownOperation.Status, unknownOperation.ErrorCode));
        Assert.Equal("InvalidArgument", unknownParameter.ErrorCode);
        Assert.Equal("InvalidArgument", wrongType.ErrorCode);
        Assert.Equal("InvalidArgument", badEnum.ErrorCode);
        // GetBucketAcl is real S3 but not in the snapshot, so no operation matches the request.
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "MethodNotAllowed"), (outsideSnapshot.Status, outsideSnapshot.ErrorCode));
    }
}
