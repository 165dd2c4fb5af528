using System.Net;
using System.Text;
using TrailResponder.Aws;

namespace TrailResponder.Tests.Aws;

public class AwsErrorResponseTests
{
    private static AwsErrorResponse Read(string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return AwsErrorResponse.Read(response, Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void Sns_query_envelope_yields_code_message_and_request_id()
    {
        var error = Read("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Subject</Message></Error><RequestId>1a2b</RequestId></ErrorResponse>");

        Assert.Equal(new AwsErrorResponse("InvalidParameter", "Invalid parameter: Subject", "1a2b"), error);
    }

    [Fact]
    public void Ec2_envelope_yields_code_message_and_the_capitalised_request_id()
    {
        var error = Read("<Response><Errors><Error><Code>InvalidPermission.NotFound</Code><Message>The specified rule does not exist in this security group.</Message></Error></Errors><RequestID>c0ffee00</RequestID></Response>");

        Assert.Equal(new AwsErrorResponse("InvalidPermission.NotFound", "The specified rule does not exist in this security group.", "c0ffee00"), error);
    }

    [Fact]
    public void Rest_json_code_comes_from_the_error_type_header_without_its_suffix()
    {
        var error = Read(
            "{\"Code\":\"SomethingElse\",\"Message\":\"Rate exceeded\"}",
            ("x-amzn-ErrorType", "LimitExceededException:http://internal.amazon.com/coral/com.amazonaws.securityhub/"),
            ("x-amzn-RequestId", "req-9"));

        Assert.Equal(new AwsErrorResponse("LimitExceededException", "Rate exceeded", "req-9"), error);
    }

    [Fact]
    public void Rest_json_code_falls_back_to_the_body_in_either_case()
    {
        Assert.Equal("InvalidAccessException", Read("{\"Code\":\"InvalidAccessException\",\"Message\":\"not subscribed\"}").Code);
        Assert.Equal("AccessDeniedException", Read("{\"code\":\"AccessDeniedException\",\"message\":\"no\"}").Code);
    }

    [Fact]
    public void Json_1_1_namespaced_type_is_reduced_to_the_code()
    {
        var error = Read("{\"__type\":\"com.amazonaws.cloudtrail.v20131101#InvalidTimeRangeException\",\"message\":\"Start time is after end time\"}");

        Assert.Equal("InvalidTimeRangeException", error.Code);
        Assert.Equal("Start time is after end time", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>Bad Gateway</body></html>")]
    [InlineData("upstream connect error")]
    [InlineData("{not json")]
    [InlineData("<unclosed")]
    public void Bodies_without_an_envelope_yield_no_code(string body)
    {
        Assert.Null(Read(body).Code);
    }

    [Fact]
    public void A_missing_code_is_stood_in_for_by_the_status()
    {
        var exception = Read(string.Empty).ToException(AwsService.SecurityHub, "BatchImportFindings", HttpStatusCode.BadGateway);

        Assert.Equal("Http502", exception.ErrorCode);
        Assert.Equal("securityhub", exception.Service);
        Assert.Equal("BatchImportFindings", exception.Operation);
        Assert.Equal(HttpStatusCode.BadGateway, exception.HttpStatus);
    }

    [Fact]
    public void Xml_with_a_document_type_is_not_expanded()
    {
        var error = Read("<!DOCTYPE x [<!ENTITY e \"boom\">]><ErrorResponse><Error><Code>&e;</Code></Error></ErrorResponse>");

        Assert.Null(error.Code);
    }
}
