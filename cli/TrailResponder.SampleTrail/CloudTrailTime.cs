using System.Globalization;

namespace TrailResponder.SampleTrail;

/// <summary>CloudTrail's timestamp text: ISO-8601 UTC to the second.</summary>
internal static class CloudTrailTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
