using System.Globalization;
using TrailResponder.Core.Delivery;

namespace TrailResponder.DigestValidator;

/// <summary>The DigestValidator's configuration, read from environment variables and validated at start.</summary>
/// <param name="Delivery">AWS_REGION, ACCOUNT_ID, FINDINGS_TOPIC_ARN, SECURITY_HUB_ENABLED.</param>
/// <param name="Bucket">TRAIL_BUCKET: the bucket CloudTrail delivers to (required).</param>
/// <param name="Prefix">TRAIL_PREFIX: the trail's key prefix before <c>AWSLogs/</c>, normalized to end in '/'; empty when none.</param>
/// <param name="TrailName">TRAIL_NAME: only this trail's digest chains; null for every trail in the bucket.</param>
/// <param name="WindowHours">WINDOW_HOURS: how many hours one scheduled run validates (default 1).</param>
/// <param name="SettleHours">SETTLE_HOURS: how long after an hour ends before it is validated, for late deliveries (default 1).</param>
public sealed record DigestValidatorSettings(
    DeliverySettings Delivery,
    string Bucket,
    string Prefix,
    string? TrailName,
    int WindowHours,
    int SettleHours)
{
    /// <summary>Reads and validates the settings; every problem is reported at once, each naming its variable.</summary>
    /// <exception cref="InvalidOperationException">Some setting is missing or invalid.</exception>
    public static DigestValidatorSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        var problems = new List<string>();
        var delivery = DeliverySettings.Read(environment, problems);
        var bucket = EnvironmentValue.Get(environment, "TRAIL_BUCKET");
        if (bucket is null)
        {
            problems.Add("TRAIL_BUCKET is not set: name the bucket CloudTrail delivers to (the template passes it)");
        }
        else if (bucket.Contains('/', StringComparison.Ordinal) || bucket.StartsWith("s3:", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"TRAIL_BUCKET '{bucket}' is not a bucket name (put the key prefix in TRAIL_PREFIX)");
        }

        var prefix = (EnvironmentValue.Get(environment, "TRAIL_PREFIX") ?? string.Empty).Trim('/');
        if (prefix.Contains("AWSLogs", StringComparison.Ordinal))
        {
            problems.Add($"TRAIL_PREFIX '{prefix}' reaches into AWSLogs/: give only the part before it (the trail's S3 key prefix)");
        }

        var window = PositiveHours(environment, "WINDOW_HOURS", 1, problems);
        var settle = PositiveHours(environment, "SETTLE_HOURS", 1, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("DigestValidator configuration is invalid: " + string.Join("; ", problems) + ".");
        }

        return new DigestValidatorSettings(delivery, bucket!, prefix.Length == 0 ? string.Empty : prefix + "/", EnvironmentValue.Get(environment, "TRAIL_NAME"), window, settle);
    }

    private static int PositiveHours(IReadOnlyDictionary<string, string?> environment, string name, int defaultValue, List<string> problems)
    {
        if (EnvironmentValue.Get(environment, name) is not { } text)
        {
            return defaultValue;
        }

        // A week bounds one run: Lambda stops after 15 minutes, and a longer backfill is a manual range.
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours is > 0 and <= 168)
        {
            return hours;
        }

        problems.Add($"{name} '{text}' is not a whole number of hours from 1 to 168");
        return defaultValue;
    }
}
