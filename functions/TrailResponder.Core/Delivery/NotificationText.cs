using System.Text;

namespace TrailResponder.Core.Delivery;

/// <summary>Makes event data safe to show people: in emails, email subjects and terminals.</summary>
/// <remarks>
/// Event values are written by whoever made the API call. A line break could forge a line of the report, an escape
/// sequence could drive a terminal, and SNS refuses subjects with anything but printable ASCII.
/// </remarks>
public static class NotificationText
{
    /// <summary>The value on one line: every control character (line breaks, escapes) becomes '?'; null becomes "unknown".</summary>
    public static string SingleLine(string? value)
    {
        if (value is null)
        {
            return "unknown";
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }

    /// <summary>An SNS email subject: printable ASCII only ('?' for the rest), at most 99 characters.</summary>
    public static string Subject(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, FindingEmail.MaxSubjectLength));
        foreach (var c in text)
        {
            if (builder.Length == FindingEmail.MaxSubjectLength)
            {
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString().TrimEnd();
    }
}
