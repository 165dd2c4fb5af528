using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TrailResponder.Tests.Core.Delivery;

/// <summary>
/// Record values written to attack the people who read findings (issue 12, defect 6), how they must look once
/// neutralised, and the checks that an email, a terminal text or a link came through unharmed.
/// </summary>
internal static partial class HostileValues
{
    /// <summary>A region that would add a <c>Bcc:</c> line and point the console link at another host.</summary>
    public const string Region = "evil.example/#\r\nBcc: x@example.com";

    /// <summary><see cref="Region"/> as people must see it.</summary>
    public const string RegionShown = @"evil.example/#\r\nBcc: x@example.com";

    /// <summary>A user name with a right-to-left override, a line separator and zero-width characters.</summary>
    public const string UserName = "admin\u202Eexe.txt\u2028Bcc: y@example.com\u200B\u2066\uFEFF";

    /// <summary><see cref="UserName"/> as people must see it.</summary>
    public const string UserNameShown = @"admin\u202Eexe.txt\u2028Bcc: y@example.com\u200B\u2066\uFEFF";

    /// <summary>An event name that would add a line.</summary>
    public const string EventName = "ConsoleLogin\r\nBcc: z@example.com";

    /// <summary><see cref="EventName"/> as people must see it.</summary>
    public const string EventNameShown = @"ConsoleLogin\r\nBcc: z@example.com";

    /// <summary>The value as a JSON string literal, quotes included, for writing records.</summary>
    public static string Json(string value) => JsonSerializer.Serialize(value);

    /// <summary>
    /// Asserts that text for people has no forged line (no line starts with <c>Bcc:</c>), no control or hidden character but
    /// its own line breaks, and no link to a host other than the AWS console.
    /// </summary>
    public static void AssertHarmless(string text)
    {
        var lines = text.Replace(Environment.NewLine, "\n", StringComparison.Ordinal).Split('\n');
        Assert.All(lines, line => Assert.False(line.TrimStart().StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase), $"forged line: {line}"));
        Assert.All(lines, line => Assert.All(line, c => Assert.False(IsHidden(c), $"U+{(int)c:X4} in: {line}")));
        AssertLinksStayOnTheConsole(text);
    }

    /// <summary>Asserts that every link in the text goes to the AWS console and carries none of the hostile region.</summary>
    public static void AssertLinksStayOnTheConsole(string text)
    {
        foreach (Match link in Link().Matches(text))
        {
            var uri = new Uri(link.Value);
            Assert.True(uri.Host.EndsWith(".console.aws.amazon.com", StringComparison.Ordinal) || uri.Host == "console.aws.amazon.com", $"foreign host in {link.Value}");
            Assert.DoesNotContain("evil", link.Value, StringComparison.Ordinal);
        }
    }

    /// <summary>Asserts that a value meant for people shows the hostile values only as visible escapes.</summary>
    public static void AssertShownEscaped(string text, params string[] shown)
    {
        foreach (var value in shown)
        {
            Assert.Contains(value, text, StringComparison.Ordinal);
        }
    }

    private static bool IsHidden(char c) => char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    [GeneratedRegex(@"https?://\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
