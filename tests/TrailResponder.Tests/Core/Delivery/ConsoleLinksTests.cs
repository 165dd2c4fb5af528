using TrailResponder.Core.Delivery;

namespace TrailResponder.Tests.Core.Delivery;

public class ConsoleLinksTests
{
    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-central-2")]
    [InlineData("ap-southeast-4")]
    [InlineData("il-central-1")]
    [InlineData("mx-central-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-north-1")]
    [InlineData("cn-northwest-1")]
    [InlineData("us-iso-east-1")]
    [InlineData("us-isob-east-1")]
    [InlineData("eu-isoe-west-1")]
    [InlineData("us-isof-south-1")]
    [InlineData("eusc-de-east-1")]
    public void Region_names_of_every_partition_have_a_region_shape(string region)
    {
        Assert.True(AwsNames.IsRegion(region));
    }

    [Theory]
    [InlineData(HostileValues.Region)]
    [InlineData("us-east-1\n")]
    [InlineData("us-east-1.evil.example")]
    [InlineData("evil.example/#")]
    [InlineData("us-east-1@evil.example")]
    [InlineData("US-EAST-1")]
    [InlineData("us-east-\u0661")]
    [InlineData("us_east_1")]
    [InlineData("useast1")]
    [InlineData("u-east-1")]
    [InlineData("us-east-123")]
    [InlineData("us-east-1-")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("us-eastttttttttttttttttttttttttttttt-1")]
    public void Anything_else_is_not_a_region(string? value)
    {
        Assert.False(AwsNames.IsRegion(value));
    }

    [Theory]
    [InlineData("111122223333", true)]
    [InlineData("11112222333\n", false)]
    [InlineData("1111222233334", false)]
    [InlineData("11112222333\u0661", false)]
    [InlineData("abcdefghijkl", false)]
    [InlineData(null, false)]
    public void An_account_id_is_exactly_twelve_ascii_digits(string? value, bool expected)
    {
        Assert.Equal(expected, AwsNames.IsAccountId(value));
    }

    [Theory]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("us-iso-east-1", "aws-iso")]
    [InlineData("us-isob-east-1", "aws-iso-b")]
    [InlineData("eu-west-1", "aws")]
    public void The_partition_follows_from_the_region(string region, string partition)
    {
        Assert.Equal(partition, AwsNames.PartitionOf(region));
    }

    [Fact]
    public void The_event_link_puts_a_checked_region_in_the_host_and_percent_encodes_the_event_id()
    {
        var link = ConsoleLinks.CloudTrailEvent("aws", "eu-west-1", "e-1/../#\r\nBcc: x@example.com?a=b")!;

        Assert.Equal("https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/e-1%2F..%2F%23%0D%0ABcc%3A%20x%40example.com%3Fa%3Db", link);
        Assert.Equal("eu-west-1.console.aws.amazon.com", new Uri(link).Host);
    }

    [Theory]
    [InlineData("aws", HostileValues.Region)]
    [InlineData("aws", "evil.example")]
    [InlineData("aws", "cn-north-1")]
    [InlineData("aws", "us-gov-west-1")]
    [InlineData("aws-cn", "cn-north-1")]
    [InlineData("aws", null)]
    public void No_event_link_for_a_region_that_is_not_one_of_the_aws_partition(string partition, string? region)
    {
        Assert.Null(ConsoleLinks.CloudTrailEvent(partition, region, "e-1"));
    }

    [Fact]
    public void The_Security_Hub_link_goes_to_the_importing_region_and_only_when_it_is_a_region()
    {
        Assert.Equal("https://ap-southeast-2.console.aws.amazon.com/securityhub/home?region=ap-southeast-2#/findings", ConsoleLinks.SecurityHubFindings(new AsffContext("ap-southeast-2", "111122223333")));
        Assert.Null(ConsoleLinks.SecurityHubFindings(new AsffContext(HostileValues.Region, "111122223333")));
        Assert.Null(ConsoleLinks.SecurityHubFindings(new AsffContext("us-gov-west-1", "111122223333")));
    }
}
