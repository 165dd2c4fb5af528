using System.Text.Encodings.Web;
using System.Text.Json;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Tests.Core.Delivery;

public class NotificationTextTests
{
    [Fact]
    public void Line_breaks_tabs_and_terminal_escapes_become_visible_escapes()
    {
        Assert.Equal(@"a\r\nb\tc\u001B[2J\u007F\u0085\u009B\u0000", NotificationText.SingleLine("a\r\nb\tc\u001b[2J\u007f\u0085\u009b\0"));
    }

    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202B')]
    [InlineData('\u202C')]
    [InlineData('\u202D')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2067')]
    [InlineData('\u2068')]
    [InlineData('\u2069')]
    [InlineData('\u200B')]
    [InlineData('\u200C')]
    [InlineData('\u200D')]
    [InlineData('\u200E')]
    [InlineData('\u200F')]
    [InlineData('\u061C')]
    [InlineData('\u2028')]
    [InlineData('\u2029')]
    [InlineData('\u2060')]
    [InlineData('\uFEFF')]
    [InlineData('\u00AD')]
    public void Bidi_controls_separators_and_zero_width_characters_become_visible_escapes(char hidden)
    {
        Assert.Equal($"a\\u{(int)hidden:X4}b", NotificationText.SingleLine($"a{hidden}b"));
    }

    [Fact]
    public void Hidden_characters_beyond_the_basic_plane_are_escaped_and_visible_ones_kept()
    {
        Assert.Equal(@"tag\U000E0041 caf" + "\u00e9 \u6771\u4eac \U0001F600", NotificationText.SingleLine("tag\U000E0041 caf\u00e9 \u6771\u4eac \U0001F600"));
    }

    [Fact]
    public void A_broken_surrogate_pair_is_shown_as_its_code_unit()
    {
        Assert.Equal(@"a\uD800b\uDC00", NotificationText.SingleLine("a\uD800b\uDC00"));
    }

    [Fact]
    public void Ordinary_text_is_returned_unchanged_and_null_is_unknown()
    {
        const string arn = "arn:aws:iam::111122223333:user/j.doe+ops@example.com";

        Assert.Same(arn, NotificationText.SingleLine(arn));
        Assert.Equal("unknown", NotificationText.SingleLine(null));
    }

    [Fact]
    public void A_subject_shows_hidden_characters_as_escapes_in_printable_ascii_within_99_characters()
    {
        Assert.Equal(@"Root user in evil.example/#\r\nBcc: x@example.com by admin\u202Eexe.txt caf?", NotificationText.Subject($"Root user in {HostileValues.Region} by admin\u202Eexe.txt caf\u00e9"));
        Assert.Equal(FindingEmail.MaxSubjectLength, NotificationText.Subject(new string('\u200B', 50)).Length);
    }

    [Fact]
    public void Json_gets_hidden_characters_as_json_escapes_and_still_reads_as_the_same_values()
    {
        var value = $"{HostileValues.UserName} {HostileValues.EventName} tag\U000E0041 caf\u00e9 \U0001F600 \uD800";
        var relaxed = JsonSerializer.Serialize(new { value }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains('\u202E', relaxed);

        var json = NotificationText.InJson(relaxed + "\n");

        Assert.Contains(@"admin\u202Eexe.txt\u2028Bcc: y@example.com\u200B\u2066\uFEFF", json, StringComparison.Ordinal);
        Assert.All(json.TrimEnd('\n'), c => Assert.InRange(c, ' ', '\uFFFD'));
        Assert.DoesNotContain(json.TrimEnd('\n'), c => c is '\u202E' or '\u2028' or '\u200B' or '\u2066' or '\uFEFF');
        Assert.Equal(value.Replace("\uD800", "\uFFFD", StringComparison.Ordinal), JsonDocument.Parse(json).RootElement.GetProperty("value").GetString());
    }
}
