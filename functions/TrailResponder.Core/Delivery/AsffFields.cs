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

    /// <summary>Writes the attributes that say which finding this is and who reports it, the same for every finding we make.</summary>
    public static void WriteIdentity(Utf8JsonWriter json, AsffContext context, string id, string generatorId, string accountId)
    {
        json.WriteString("SchemaVersion", "2018-10-08");
        json.WriteString("Id", id);
        json.WriteString("ProductArn", context.ProductArn);
        json.WriteString("ProductName", "TrailResponder");
        json.WriteString("CompanyName", "TrailResponder");
        json.WriteString("GeneratorId", generatorId);
        json.WriteString("AwsAccountId", accountId);
    }

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
