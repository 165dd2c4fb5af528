using TrailResponder.Aws;

namespace TrailResponder.Tests.Aws;

public class AwsEndpointsTests
{
    private static AwsEndpoints From(params (string Name, string? Value)[] variables) =>
        AwsEndpoints.FromEnvironment(variables.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Regional_host_names_are_the_default()
    {
        var endpoints = From(("AWS_REGION", "eu-west-1"));

        Assert.Equal("eu-west-1", endpoints.Region);
        Assert.Equal(new Uri("https://sns.eu-west-1.amazonaws.com/"), endpoints.EndpointFor(AwsService.Sns, "eu-west-1"));
        Assert.Equal(new Uri("https://ec2.eu-west-1.amazonaws.com/"), endpoints.EndpointFor(AwsService.Ec2, "eu-west-1"));
        Assert.Equal(new Uri("https://securityhub.eu-west-1.amazonaws.com/findings/import"), endpoints.RequestUri(AwsService.SecurityHub, "eu-west-1", "/findings/import"));
        Assert.Equal(new Uri("https://cloudtrail.us-east-2.amazonaws.com/"), endpoints.EndpointFor(AwsService.CloudTrail, "us-east-2"));
        Assert.Null(endpoints.OverrideFor(AwsService.S3));
    }

    [Theory]
    [InlineData("evil.example/#\r\nBcc: x@example.com", @"'evil.example/#\r\nBcc: x@example.com' is not an AWS region name")]
    [InlineData("evil.example#", "'evil.example#' is not an AWS region name")]
    [InlineData("eu-west-1.evil.example", "'eu-west-1.evil.example' is not an AWS region name")]
    public void A_region_that_is_not_a_region_name_never_becomes_a_host(string region, string message)
    {
        var endpoints = From(("AWS_REGION", "eu-west-1"));

        var error = Assert.Throws<ArgumentException>(() => endpoints.RequestUri(AwsService.Ec2, region, "/"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void China_regions_use_the_china_dns_suffix()
    {
        Assert.Equal(new Uri("https://sns.cn-north-1.amazonaws.com.cn/"), From(("AWS_REGION", "cn-north-1")).EndpointFor(AwsService.Sns, "cn-north-1"));
    }

    [Fact]
    public void Global_override_applies_to_every_service()
    {
        var endpoints = From(("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL", "http://localhost.localstack.cloud:4566"));

        Assert.Equal(new Uri("http://localhost.localstack.cloud:4566/"), endpoints.EndpointFor(AwsService.Ec2, "eu-west-1"));
        Assert.Equal(new Uri("http://localhost.localstack.cloud:4566/"), endpoints.OverrideFor(AwsService.S3));
    }

    [Fact]
    public void Service_specific_override_wins_over_the_global_one()
    {
        var endpoints = From(
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
            ("AWS_ENDPOINT_URL_SECURITYHUB", "http://127.0.0.1:9000/hub"),
            ("AWS_ENDPOINT_URL_CLOUDTRAIL", "http://127.0.0.1:9001"));

        Assert.Equal(new Uri("http://127.0.0.1:9000/hub/findings/import"), endpoints.RequestUri(AwsService.SecurityHub, "eu-west-1", "/findings/import"));
        Assert.Equal(new Uri("http://127.0.0.1:9001/"), endpoints.EndpointFor(AwsService.CloudTrail, "us-east-1"));
        Assert.Equal(new Uri("http://localhost:4566/"), endpoints.EndpointFor(AwsService.Sns, "eu-west-1"));
    }

    [Theory]
    [InlineData("SNS")]
    [InlineData("EC2")]
    [InlineData("SECURITYHUB")]
    [InlineData("CLOUDTRAIL")]
    [InlineData("S3")]
    public void Each_service_reads_its_own_variable(string suffix)
    {
        var service = new[] { AwsService.Sns, AwsService.Ec2, AwsService.SecurityHub, AwsService.CloudTrail, AwsService.S3 }.Single(s => s.EnvironmentId == suffix);
        var endpoints = From(("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_" + suffix, "http://localhost:1234"));

        Assert.Equal("AWS_ENDPOINT_URL_" + suffix, service.EndpointVariable);
        Assert.Equal(new Uri("http://localhost:1234/"), endpoints.OverrideFor(service));
    }

    [Fact]
    public void Ignoring_configured_endpoints_restores_the_regional_hosts()
    {
        var endpoints = From(("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL", "http://localhost:4566"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        Assert.Equal(new Uri("https://sns.eu-west-1.amazonaws.com/"), endpoints.EndpointFor(AwsService.Sns, "eu-west-1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Missing_region_is_an_error_naming_the_variable(string? region)
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(("AWS_REGION", region)));

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_override_is_an_error_naming_the_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_EC2", "localhost:4566")));

        Assert.Contains("AWS_ENDPOINT_URL_EC2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_come_from_the_dictionary_not_the_process()
    {
        var error = Assert.Throws<InvalidOperationException>(() => From());

        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }
}
