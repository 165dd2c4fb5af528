using System.Text;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Search;

namespace TrailResponder.Tests.Core.Search;

public class TrailSearchQueryTests
{
    private const string Login = """{"eventTime":"2024-05-06T08:15:42Z","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","awsRegion":"us-east-1","recipientAccountId":"111122223333","sourceIPAddress":"198.51.100.23","errorCode":"Failed authentication","readOnly":false,"userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::111122223333:user/alice","accessKeyId":"AKIAALICE"}}""";
    private const string BucketPolicy = """{"eventTime":"2024-05-06T09:00:00Z","eventName":"PutBucketPolicy","eventSource":"s3.amazonaws.com","awsRegion":"eu-west-1","recipientAccountId":"444455556666","readOnly":false,"requestParameters":{"bucketName":"reports"},"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::444455556666:assumed-role/Ops/bob"}}""";

    private static bool Matches(TrailSearchQuery query, string json) =>
        query.CreateMatcher().Matches(new CloudTrailRecord(Encoding.UTF8.GetBytes(json), "f", 0, 0));

    [Theory]
    [InlineData("event-name", "ConsoleLogin", true)]
    [InlineData("event-name", "Console*", true)]
    [InlineData("event-name", "PutBucketPolicy", false)]
    [InlineData("user", "alice", true)]
    [InlineData("user", "arn:aws:iam::111122223333:user/alice", true)]
    [InlineData("user", "bob", false)]
    [InlineData("access-key", "AKIAALICE", true)]
    [InlineData("event-source", "signin.amazonaws.com", true)]
    [InlineData("source-ip", "198.51.100.*", true)]
    [InlineData("source-ip", "203.0.113.*", false)]
    [InlineData("error", "*", true)]
    [InlineData("error", "Failed*", true)]
    [InlineData("error", "AccessDenied*", false)]
    [InlineData("region", "us-east-1", true)]
    [InlineData("account", "444455556666", false)]
    public void Each_field_filter_selects_the_matching_records(string filter, string value, bool expected)
    {
        var query = filter switch
        {
            "event-name" => new TrailSearchQuery { EventName = value },
            "user" => new TrailSearchQuery { User = value },
            "access-key" => new TrailSearchQuery { AccessKey = value },
            "event-source" => new TrailSearchQuery { EventSource = value },
            "source-ip" => new TrailSearchQuery { SourceIp = value },
            "error" => new TrailSearchQuery { Error = value },
            "region" => new TrailSearchQuery { Region = value },
            _ => new TrailSearchQuery { Account = value },
        };

        Assert.Equal(expected, Matches(query, Login));
    }

    [Fact]
    public void Filters_combine_with_and()
    {
        Assert.True(Matches(new TrailSearchQuery { EventName = "ConsoleLogin", User = "alice" }, Login));
        Assert.False(Matches(new TrailSearchQuery { EventName = "ConsoleLogin", User = "bob" }, Login));
    }

    [Fact]
    public void No_filter_matches_everything()
    {
        Assert.Null(new TrailSearchQuery().Pattern());
        Assert.True(Matches(new TrailSearchQuery(), Login));
    }

    [Fact]
    public void Read_only_is_matched_on_the_json_boolean()
    {
        Assert.True(Matches(new TrailSearchQuery { ReadOnly = false }, Login));
        Assert.False(Matches(new TrailSearchQuery { ReadOnly = true }, Login));
    }

    [Theory]
    [InlineData("reports", null, true)]
    [InlineData("arn:aws:s3:::reports", "AWS::S3::Bucket", true)]
    [InlineData("report", null, false)]
    [InlineData("reports", "AWS::IAM::User", false)]
    public void Resource_filters_look_at_every_resource_the_event_names(string? name, string? type, bool expected)
    {
        Assert.Equal(expected, Matches(new TrailSearchQuery { ResourceName = name, ResourceType = type }, BucketPolicy));
    }

    [Fact]
    public void The_time_range_is_inclusive_and_checked_on_the_event_time()
    {
        var start = new DateTimeOffset(2024, 5, 6, 8, 15, 42, TimeSpan.Zero);

        Assert.True(Matches(new TrailSearchQuery { StartTime = start, EndTime = start }, Login));
        Assert.False(Matches(new TrailSearchQuery { StartTime = start.AddSeconds(1), EndTime = start.AddHours(1) }, Login));
    }

    [Fact]
    public void Quotes_and_backslashes_in_values_cannot_break_the_pattern()
    {
        var query = new TrailSearchQuery { User = "a\"b\\c" };

        Assert.Equal("{ (($.userIdentity.userName = \"a\\\"b\\\\c\") || ($.userIdentity.arn = \"a\\\"b\\\\c\")) }", query.Pattern()!.Text);
        Assert.True(Matches(query, """{"userIdentity":{"userName":"a\"b\\c"}}"""));
    }

    [Fact]
    public void The_folders_to_read_run_from_the_first_day_to_the_day_after_the_last()
    {
        var query = new TrailSearchQuery { StartTime = new DateTimeOffset(2024, 2, 28, 23, 0, 0, TimeSpan.Zero), EndTime = new DateTimeOffset(2024, 2, 29, 1, 0, 0, TimeSpan.Zero) };

        Assert.Equal((new DateOnly(2024, 2, 28), new DateOnly(2024, 3, 1)), query.Days());
        Assert.Null(new TrailSearchQuery { StartTime = DateTimeOffset.UnixEpoch }.Days());
    }
}
