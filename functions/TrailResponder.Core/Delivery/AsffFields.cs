using System.Globalization;
using System.Text.Json;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Delivery;

/// <summary>The formats and limits every ASFF document we write shares.</summary>
internal static class AsffFields
{
    /// <summary>RFC 3339 with milliseconds, as Security Hub documents it.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes <c>Severity</c> with the label as both Label and Original.</summary>
    public static void WriteSeverity(Utf8JsonWriter json, Severity severity)
    {
        json.WriteStartObject("Severity");
        json.WriteString("Label", severity.ToLabel());
        json.WriteString("Original", severity.ToLabel());
        json.WriteEndObject();
    }

    /// <summary>Cuts text to an ASFF character limit without splitting a surrogate pair, and marks the cut.</summary>
    public static string Clip(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>The ASFF resource type of a principal ARN.</summary>
    public static string PrincipalType(string arn) =>
        arn.Contains(":user/", StringComparison.Ordinal) ? "AwsIamUser"
        : arn.Contains(":role/", StringComparison.Ordinal) || arn.Contains(":assumed-role/", StringComparison.Ordinal) ? "AwsIamRole"
        : "Other";
}
