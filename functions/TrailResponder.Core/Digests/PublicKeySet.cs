using System.Globalization;
using System.Text.Json;

namespace TrailResponder.Core.Digests;

/// <summary>How a digest's fingerprint matched the known public keys.</summary>
public enum PublicKeyMatchStatus
{
    /// <summary>A key with the fingerprint was valid when the digest was signed.</summary>
    Found,

    /// <summary>No key has the fingerprint.</summary>
    Unknown,

    /// <summary>Keys with the fingerprint exist, but none was valid when the digest was signed.</summary>
    OutsideValidity,
}

/// <summary>The outcome of looking up a digest's public key: the key when found, and why not otherwise.</summary>
public sealed record PublicKeyMatch(PublicKeyMatchStatus Status, TrailPublicKey? Key, string Reason);

/// <summary>The public keys digests may be verified with, as loaded from one or more <c>list-public-keys</c> outputs.</summary>
public sealed class PublicKeySet
{
    /// <summary>
    /// How long after <c>digestEndTime</c> CloudTrail may sign a digest. The AWS CLI asks ListPublicKeys for keys valid up
    /// to two hours after the end of the range it validates, so a key that became valid within two hours after a digest's
    /// end is accepted for it.
    /// </summary>
    public static readonly TimeSpan SigningDelay = TimeSpan.FromHours(2);

    private readonly IReadOnlyList<TrailPublicKey> keys;

    /// <summary>Creates a set holding <paramref name="keys"/>.</summary>
    public PublicKeySet(IEnumerable<TrailPublicKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        this.keys = [.. keys];
    }

    /// <summary>Every key in the set.</summary>
    public IReadOnlyList<TrailPublicKey> Keys => keys;

    /// <summary>
    /// Parses the JSON that <c>aws cloudtrail list-public-keys</c> prints: <c>{"PublicKeyList":[{"Value","ValidityStartTime","ValidityEndTime","Fingerprint"}]}</c>.
    /// Times may be ISO-8601 strings (the CLI) or epoch seconds (the raw API).
    /// </summary>
    /// <param name="json">The document.</param>
    /// <param name="source">Names the document in error messages, e.g. its file name.</param>
    /// <exception cref="FormatException">The document does not have that shape; the message names the source and field.</exception>
    public static PublicKeySet Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Public key list '{source}': not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            // AWS's own documentation sample spells the list "publicKeyList"; the CLI prints "PublicKeyList".
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !(document.RootElement.TryGetProperty("PublicKeyList", out var list) || document.RootElement.TryGetProperty("publicKeyList", out list))
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"Public key list '{source}', field 'PublicKeyList': expected an array under a top-level object");
            }

            var keys = new List<TrailPublicKey>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var path = $"PublicKeyList[{index}]";
                var value = RequiredString(item, "Value", source, path);
                byte[] der;
                try
                {
                    der = Convert.FromBase64String(value);
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"Public key list '{source}', field '{path}.Value': not base64", ex);
                }

                keys.Add(new TrailPublicKey(
                    RequiredString(item, "Fingerprint", source, path),
                    der,
                    RequiredTime(item, "ValidityStartTime", source, path),
                    RequiredTime(item, "ValidityEndTime", source, path)));
                index++;
            }

            return new PublicKeySet(keys);
        }
    }

    /// <summary>Returns a set holding the keys of both sets (keys from several regions can be merged: fingerprints are unique).</summary>
    public PublicKeySet Merge(PublicKeySet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new PublicKeySet(keys.Concat(other.keys));
    }

    /// <summary>Finds the key with <paramref name="fingerprint"/> that was valid for a digest ending at <paramref name="digestEndTime"/>.</summary>
    public PublicKeyMatch Find(string fingerprint, DateTimeOffset digestEndTime)
    {
        // The AWS CLI matches fingerprints by exact string equality; so do we.
        var candidates = keys.Where(k => string.Equals(k.Fingerprint, fingerprint, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return new PublicKeyMatch(PublicKeyMatchStatus.Unknown, null, $"public key not found for fingerprint {fingerprint}");
        }

        var valid = candidates.FirstOrDefault(k => k.ValidityStart <= digestEndTime + SigningDelay && k.ValidityEnd >= digestEndTime);
        if (valid is not null)
        {
            return new PublicKeyMatch(PublicKeyMatchStatus.Found, valid, "public key found");
        }

        var window = candidates[0];
        var end = digestEndTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new PublicKeyMatch(
            PublicKeyMatchStatus.OutsideValidity,
            null,
            window.ValidityEnd < digestEndTime
                ? $"public key {fingerprint} had expired ({Format(window.ValidityEnd)}) before the digest ended ({end})"
                : $"public key {fingerprint} was not yet valid ({Format(window.ValidityStart)}) when the digest ended ({end})");
    }

    private static DateTimeOffset FromEpochSeconds(double seconds) => DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string RequiredString(JsonElement item, string name, string source, string path) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"Public key list '{source}', field '{path}.{name}': required string is missing");

    private static DateTimeOffset RequiredTime(JsonElement item, string name, string source, string path)
    {
        if (item.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds))
            {
                return FromEpochSeconds(seconds);
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                var text = value.GetString();
                // AWS's documentation sample quotes epoch seconds ("1436317441.0"), so a numeric string is epoch seconds too.
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds))
                {
                    return FromEpochSeconds(seconds);
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                {
                    return time;
                }
            }
        }

        throw new FormatException($"Public key list '{source}', field '{path}.{name}': expected an ISO-8601 timestamp or epoch seconds");
    }
}
