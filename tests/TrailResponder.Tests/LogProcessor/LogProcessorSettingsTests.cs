using TrailResponder.Core.Rules;
using TrailResponder.LogProcessor;

namespace TrailResponder.Tests.LogProcessor;

public class LogProcessorSettingsTests
{
    [Fact]
    public void Defaults_email_HIGH_and_above_and_import_into_Security_Hub()
    {
        var settings = LogProcessorSettings.FromEnvironment(new Dictionary<string, string?>
        {
            ["AWS_REGION"] = "eu-west-1",
            ["ACCOUNT_ID"] = "111122223333",
            ["FINDINGS_TOPIC_ARN"] = "arn:aws:sns:eu-west-1:111122223333:trailresponder-findings",
        });

        Assert.Equal("eu-west-1", settings.Delivery.Region);
        Assert.Equal(Severity.High, settings.EmailThreshold);
        Assert.True(settings.Delivery.SecurityHubEnabled);
        Assert.True(settings.Backstop);
        Assert.False(settings.Responder.DryRun);
        Assert.Equal("TrailResponder:Exempt=true", settings.Responder.ExemptTagText);
        Assert.Null(settings.RulesLocation);
        Assert.Equal(4_000_000_000, settings.ReaderOptions.MaxDecompressedBytes);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_its_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LogProcessorSettings.FromEnvironment(new Dictionary<string, string?>
        {
            ["FINDINGS_TOPIC_ARN"] = "my-topic",
            ["EMAIL_MIN_SEVERITY"] = "URGENT",
            ["SECURITY_HUB_ENABLED"] = "yes",
            ["ACCOUNT_ID"] = "1234",
            ["MAX_DECOMPRESSED_BYTES"] = "-5",
            ["DRY_RUN"] = "perhaps",
            ["SECURITY_GROUP_BACKSTOP"] = "sometimes",
            ["ALLOWED_INGRESS_PORTS"] = "44x",
        }));

        foreach (var name in new[] { "AWS_REGION", "FINDINGS_TOPIC_ARN 'my-topic'", "EMAIL_MIN_SEVERITY 'URGENT'", "SECURITY_HUB_ENABLED 'yes'", "ACCOUNT_ID '1234'", "MAX_DECOMPRESSED_BYTES '-5'", "DRY_RUN 'perhaps'", "SECURITY_GROUP_BACKSTOP 'sometimes'", "ALLOWED_INGRESS_PORTS" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Security_Hub_needs_the_account_id_but_email_alone_does_not()
    {
        Assert.Contains("ACCOUNT_ID is not set", Assert.Throws<InvalidOperationException>(() => LogProcessorSettings.FromEnvironment(new Dictionary<string, string?> { ["AWS_REGION"] = "us-east-1" })).Message, StringComparison.Ordinal);

        var settings = LogProcessorSettings.FromEnvironment(new Dictionary<string, string?> { ["AWS_REGION"] = "us-east-1", ["SECURITY_HUB_ENABLED"] = "false", ["MAX_DECOMPRESSED_BYTES"] = "1000" });

        Assert.False(settings.Delivery.SecurityHubEnabled);
        Assert.Equal(1000, settings.ReaderOptions.MaxDecompressedBytes);
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData(null, null)]
    public void The_function_timeout_gives_the_deadline_and_is_optional(string? value, int? seconds)
    {
        var settings = LogProcessorSettings.FromEnvironment(new Dictionary<string, string?> { ["AWS_REGION"] = "us-east-1", ["SECURITY_HUB_ENABLED"] = "false", ["FUNCTION_TIMEOUT_SECONDS"] = value });

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, settings.Timeout);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("901")]
    [InlineData("300s")]
    public void A_function_timeout_Lambda_would_not_accept_is_a_problem_naming_the_variable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => LogProcessorSettings.FromEnvironment(new Dictionary<string, string?> { ["AWS_REGION"] = "us-east-1", ["SECURITY_HUB_ENABLED"] = "false", ["FUNCTION_TIMEOUT_SECONDS"] = value }));

        Assert.Contains($"FUNCTION_TIMEOUT_SECONDS '{value}' is not a whole number of seconds from 10 to 900", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300, 30)]
    [InlineData(30, 5)]
    [InlineData(900, 90)]
    public void The_deadline_leaves_a_tenth_of_the_timeout_and_at_least_five_seconds(int timeout, int margin) =>
        Assert.Equal(TimeSpan.FromSeconds(margin), InvocationDeadline.Margin(TimeSpan.FromSeconds(timeout)));
}
