using System.Globalization;

namespace TrailResponder.Cli;

/// <summary>Reads the times people type on the command line: UTC unless they say otherwise, as the AWS CLI treats them.</summary>
internal static class CliTime
{
    /// <summary>Parses an optional time option; on failure <paramref name="problem"/> names the option and shows an example.</summary>
    public static bool TryParse(string? text, string option, out DateTimeOffset? time, ref string problem)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        problem = $"{option} '{text}' is not a date or time; use ISO-8601, e.g. 2024-03-01T00:00:00Z.";
        return false;
    }
}
