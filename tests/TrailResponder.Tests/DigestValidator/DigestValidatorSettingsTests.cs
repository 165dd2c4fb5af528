using TrailResponder.DigestValidator;

namespace TrailResponder.Tests.DigestValidator;

public class DigestValidatorSettingsTests
{
    private static Dictionary<string, string?> Environment(params (string Name, string? Value)[] overrides)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = "us-east-1",
            ["ACCOUNT_ID"] = "111122223333",
            ["TRAIL_BUCKET"] = "example-trail-bucket",
        };
        foreach (var (name, value) in overrides)
        {
            environment[name] = value;
        }

        return environment;
    }

    [Fact]
    public void Only_the_bucket_is_required_and_the_window_defaults_to_one_hour_settled_for_one_hour()
    {
        var settings = DigestValidatorSettings.FromEnvironment(Environment());

        Assert.Equal("example-trail-bucket", settings.Bucket);
        Assert.Equal("", settings.Prefix);
        Assert.Null(settings.TrailName);
        Assert.Equal(1, settings.WindowHours);
        Assert.Equal(1, settings.SettleHours);
    }

    [Fact]
    public void The_prefix_is_normalized_to_end_in_a_slash_and_the_trail_name_and_hours_are_read()
    {
        var settings = DigestValidatorSettings.FromEnvironment(Environment(("TRAIL_PREFIX", "/team-a/"), ("TRAIL_NAME", "org-trail"), ("WINDOW_HOURS", "3"), ("SETTLE_HOURS", "2")));

        Assert.Equal("team-a/", settings.Prefix);
        Assert.Equal("org-trail", settings.TrailName);
        Assert.Equal(3, settings.WindowHours);
        Assert.Equal(2, settings.SettleHours);
    }

    [Fact]
    public void Every_invalid_setting_is_reported_at_once_naming_its_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DigestValidatorSettings.FromEnvironment(Environment(
            ("TRAIL_BUCKET", null), ("WINDOW_HOURS", "0"), ("SETTLE_HOURS", "soon"), ("TRAIL_PREFIX", "x/AWSLogs/111122223333"), ("AWS_REGION", null))));

        Assert.Contains("TRAIL_BUCKET is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("WINDOW_HOURS '0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("SETTLE_HOURS 'soon'", error.Message, StringComparison.Ordinal);
        Assert.Contains("TRAIL_PREFIX", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bucket_given_as_an_s3_url_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DigestValidatorSettings.FromEnvironment(Environment(("TRAIL_BUCKET", "s3://example-trail-bucket/team"))));

        Assert.Contains("TRAIL_BUCKET 's3://example-trail-bucket/team' is not a bucket name", error.Message, StringComparison.Ordinal);
    }
}
