using System.Text;

namespace TrailResponder.Core.Sigma;

/// <summary>The encoding modifiers: <c>utf16le</c>/<c>wide</c>, <c>utf16be</c>, <c>utf16</c>, then <c>base64</c> or <c>base64offset</c>.</summary>
internal static class SigmaEncoding
{
    /// <summary>The texts to search for: one for <c>base64</c>, three (one per alignment) for <c>base64offset</c>.</summary>
    public static IEnumerable<string> Encode(string value, string[] modifiers, Func<string, SigmaRuleException> error)
    {
        if (SigmaGlob.HasWildcard(value))
        {
            throw error($"'{value}' has a wildcard, which base64 cannot encode (escape it as \\* or \\?)");
        }

        var text = SigmaGlob.Unescape(value);
        var bytes = modifiers.Contains("utf16le") || modifiers.Contains("wide") ? Encoding.Unicode.GetBytes(text)
            : modifiers.Contains("utf16be") ? Encoding.BigEndianUnicode.GetBytes(text)
            : modifiers.Contains("utf16") ? [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)]
            : Encoding.UTF8.GetBytes(text);
        return modifiers.Contains("base64offset") ? Offsets(bytes) : [Convert.ToBase64String(bytes)];
    }

    // The value can start at any of three byte positions in the encoded data. For each shift, encode it behind that
    // many filler bytes, then drop the characters that also depend on the unknown bytes before and after it: at the
    // start the filler's whole characters and the one shared with the value, at the end the characters after the
    // value's last complete 6 bits.
    private static IEnumerable<string> Offsets(byte[] bytes)
    {
        for (var shift = 0; shift < 3; shift++)
        {
            var encoded = Convert.ToBase64String([.. new byte[shift], .. bytes]);
            var start = shift switch { 0 => 0, 1 => 2, _ => 3 };
            var end = ((bytes.Length + shift) % 3) switch { 0 => 0, 1 => 3, _ => 2 };
            // A value of a byte or two leaves nothing at some shifts: an empty text would match everything.
            if (start < encoded.Length - end)
            {
                yield return encoded[start..^end];
            }
        }
    }
}
