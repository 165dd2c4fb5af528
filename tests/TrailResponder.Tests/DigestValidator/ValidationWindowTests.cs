using System.Text.Json;
using TrailResponder.DigestValidator;

namespace TrailResponder.Tests.DigestValidator;

public class ValidationWindowTests
{
    private static DigestValidatorSettings Settings(string? window = null, string? settle = null) =>
        DigestValidatorSettings.FromEnvironment(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_REGION"] = "us-east-1",
            ["ACCOUNT_ID"] = "111122223333",
            ["TRAIL_BUCKET"] = "example-trail-bucket",
            ["WINDOW_HOURS"] = window,
            ["SETTLE_HOURS"] = settle,
        });

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static JsonElement Scheduled(string time) =>
        Json($$$"""{"version":"0","id":"53dc4d37","detail-type":"Scheduled Event","source":"aws.events","account":"111122223333","time":"{{{time}}}","region":"us-east-1","resources":[],"detail":{}}""");

    private static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_scheduled_run_validates_the_hour_that_ended_an_hour_before_its_scheduled_hour()
    {
        var window = ValidationWindow.FromEvent(Scheduled("2025-01-02T04:00:00Z"), Settings());

        Assert.Equal(new ValidationWindow(Utc(2025, 1, 2, 2), Utc(2025, 1, 2, 3), WindowTrigger.Schedule), window);
    }

    [Fact]
    public void A_late_start_or_a_retry_of_the_same_event_validates_the_same_hour()
    {
        var late = ValidationWindow.FromEvent(Scheduled("2025-01-02T04:59:59Z"), Settings());

        Assert.Equal(ValidationWindow.FromEvent(Scheduled("2025-01-02T04:00:00Z"), Settings()), late);
    }

    [Fact]
    public void Window_and_settle_hours_widen_the_window_and_move_it_back_across_midnight()
    {
        var window = ValidationWindow.FromEvent(Scheduled("2025-01-02T01:00:00Z"), Settings(window: "3", settle: "2"));

        Assert.Equal(Utc(2025, 1, 1, 20), window.Start);
        Assert.Equal(Utc(2025, 1, 1, 23), window.End);
    }

    [Fact]
    public void A_manual_range_is_validated_as_given()
    {
        var window = ValidationWindow.FromEvent(Json("""{"startTime":"2024-02-29T21:30:00Z","endTime":"2024-03-01T01:00:00+01:00"}"""), Settings());

        Assert.Equal(new ValidationWindow(new DateTimeOffset(2024, 2, 29, 21, 30, 0, TimeSpan.Zero), Utc(2024, 3, 1, 0), WindowTrigger.Range), window);
    }

    [Theory]
    [InlineData("""{"hello":1}""", "neither an EventBridge scheduled event")]
    [InlineData("""[1,2]""", "neither an EventBridge scheduled event")]
    [InlineData("""{"source":"schedule"}""", "\"startTime\"")]
    [InlineData("""{"detail-type":"Scheduled Event","time":"yesterday"}""", "\"time\" is missing or not an ISO-8601 time")]
    [InlineData("""{"startTime":"2024-03-01T00:00:00Z","endTime":42}""", "\"endTime\" is missing or not an ISO-8601 time")]
    [InlineData("""{"startTime":"2024-03-02T00:00:00Z","endTime":"2024-03-01T00:00:00Z"}""", "must be before its endTime")]
    public void Any_other_event_is_refused_saying_what_is_expected(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ValidationWindow.FromEvent(Json(json), Settings()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
