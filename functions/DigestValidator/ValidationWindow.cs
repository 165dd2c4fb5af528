using System.Globalization;
using System.Text.Json;

namespace TrailResponder.DigestValidator;

/// <summary>What started a run.</summary>
public enum WindowTrigger
{
    /// <summary>An EventBridge scheduled event: the window follows from its <c>time</c>.</summary>
    Schedule,

    /// <summary>A manual <c>{"startTime", "endTime"}</c> event: a backfill or an incident.</summary>
    Range,
}

/// <summary>The time range one run validates: digests ending from <paramref name="Start"/> to an hour after <paramref name="End"/>, and the chain back to them.</summary>
/// <param name="Start">The start of the range (UTC).</param>
/// <param name="End">The end of the range (UTC).</param>
/// <param name="Trigger">What the range came from.</param>
public sealed record ValidationWindow(DateTimeOffset Start, DateTimeOffset End, WindowTrigger Trigger)
{
    /// <summary>
    /// The window of an event. A scheduled event validates the <c>WINDOW_HOURS</c> hours that ended <c>SETTLE_HOURS</c>
    /// before its scheduled hour; it is computed from the event, never from the clock, so a retried or re-driven event
    /// validates exactly the same range.
    /// </summary>
    /// <exception cref="FormatException">The event is neither form, or its times are not ISO-8601 or out of order.</exception>
    public static ValidationWindow FromEvent(JsonElement root, DigestValidatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("detail-type", out var detailType) && detailType.ValueKind == JsonValueKind.String
            && detailType.GetString() == "Scheduled Event")
        {
            var time = Time(root, "time", "The scheduled event's");
            var hour = new DateTimeOffset(time.Year, time.Month, time.Day, time.Hour, 0, 0, TimeSpan.Zero);
            var end = hour.AddHours(-settings.SettleHours);
            return new ValidationWindow(end.AddHours(-settings.WindowHours), end, WindowTrigger.Schedule);
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("startTime", out _) && root.TryGetProperty("endTime", out _))
        {
            var start = Time(root, "startTime", "The range event's");
            var end = Time(root, "endTime", "The range event's");
            return start < end
                ? new ValidationWindow(start, end, WindowTrigger.Range)
                : throw new FormatException($"The range event's startTime ({start:O}) must be before its endTime ({end:O}).");
        }

        throw new FormatException(
            "The event is neither an EventBridge scheduled event ({\"detail-type\": \"Scheduled Event\", \"time\": \"2025-01-02T04:00:00Z\", ...}) "
            + "nor a range to validate ({\"startTime\": \"2025-01-01T00:00:00Z\", \"endTime\": \"2025-01-02T00:00:00Z\"}).");
    }

    private static DateTimeOffset Time(JsonElement root, string name, string what)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.ToUniversalTime();
        }

        throw new FormatException($"{what} \"{name}\" is missing or not an ISO-8601 time such as 2025-01-02T04:00:00Z.");
    }
}
