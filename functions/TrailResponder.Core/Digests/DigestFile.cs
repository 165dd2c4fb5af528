using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace TrailResponder.Core.Digests;

/// <summary>A parsed CloudTrail digest file, with the SHA-256 of its uncompressed bytes exactly as stored.</summary>
/// <remarks>
/// Time fields are kept verbatim as well as parsed because <see cref="DigestEndTime"/> is signed character for
/// character; re-formatting it would break the signature.
/// </remarks>
public sealed record DigestFile
{
    /// <summary>The value CloudTrail writes in <c>digestSignatureAlgorithm</c> and in the signature metadata.</summary>
    public const string SignatureAlgorithm = "SHA256withRSA";

    /// <summary>The key the digest was read from.</summary>
    public required string Key { get; init; }

    /// <summary>Lowercase hex SHA-256 of the uncompressed digest bytes; the third line of the string to sign.</summary>
    public required string ContentSha256Hex { get; init; }

    /// <summary><c>awsAccountId</c>, when present.</summary>
    public string? AwsAccountId { get; init; }

    /// <summary><c>digestStartTime</c> verbatim.</summary>
    public required string DigestStartTimeText { get; init; }

    /// <summary><c>digestStartTime</c> parsed as UTC.</summary>
    public required DateTimeOffset DigestStartTime { get; init; }

    /// <summary><c>digestEndTime</c> verbatim: the first line of the string to sign.</summary>
    public required string DigestEndTimeText { get; init; }

    /// <summary><c>digestEndTime</c> parsed as UTC.</summary>
    public required DateTimeOffset DigestEndTime { get; init; }

    /// <summary><c>digestS3Bucket</c>: the bucket CloudTrail delivered the digest to.</summary>
    public required string DigestS3Bucket { get; init; }

    /// <summary><c>digestS3Object</c>: the key CloudTrail delivered the digest to.</summary>
    public required string DigestS3Object { get; init; }

    /// <summary><c>digestPublicKeyFingerprint</c>: which public key verifies the signature.</summary>
    public required string DigestPublicKeyFingerprint { get; init; }

    /// <summary><c>digestSignatureAlgorithm</c>, when present.</summary>
    public string? DigestSignatureAlgorithm { get; init; }

    /// <summary><c>previousDigestS3Bucket</c>; null in a starting digest.</summary>
    public string? PreviousDigestS3Bucket { get; init; }

    /// <summary><c>previousDigestS3Object</c>; null in a starting digest.</summary>
    public string? PreviousDigestS3Object { get; init; }

    /// <summary><c>previousDigestHashValue</c>: hex SHA-256 of the previous digest's uncompressed bytes; null in a starting digest.</summary>
    public string? PreviousDigestHashValue { get; init; }

    /// <summary><c>previousDigestSignature</c>: the previous digest's hex signature; null in a starting digest.</summary>
    public string? PreviousDigestSignature { get; init; }

    /// <summary><c>logFiles</c>: the log files delivered in the digest's window (possibly none).</summary>
    public required IReadOnlyList<DigestLogFileReference> LogFiles { get; init; }

    /// <summary>Whether this digest begins a chain (no previous digest).</summary>
    public bool IsChainStart => PreviousDigestS3Bucket is null || PreviousDigestS3Object is null;

    /// <summary>Parses the uncompressed bytes of the digest stored at <paramref name="key"/>.</summary>
    /// <exception cref="DigestFormatException">The bytes are not JSON, or a required field is missing or of the wrong type.</exception>
    public static DigestFile Parse(string key, ReadOnlySpan<byte> uncompressed)
    {
        ArgumentNullException.ThrowIfNull(key);
        var contentHash = Convert.ToHexStringLower(SHA256.HashData(uncompressed));

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(uncompressed, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new DigestFormatException(key, null, $"not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DigestFormatException(key, null, $"expected a JSON object, found {root.ValueKind}");
            }

            var fields = new FieldReader(key, root, null);
            var startText = fields.RequiredString("digestStartTime");
            var endText = fields.RequiredString("digestEndTime");

            return new DigestFile
            {
                Key = key,
                ContentSha256Hex = contentHash,
                AwsAccountId = fields.OptionalString("awsAccountId"),
                DigestStartTimeText = startText,
                DigestStartTime = fields.Time("digestStartTime", startText),
                DigestEndTimeText = endText,
                DigestEndTime = fields.Time("digestEndTime", endText),
                DigestS3Bucket = fields.RequiredString("digestS3Bucket"),
                DigestS3Object = fields.RequiredString("digestS3Object"),
                DigestPublicKeyFingerprint = fields.RequiredString("digestPublicKeyFingerprint"),
                DigestSignatureAlgorithm = fields.OptionalString("digestSignatureAlgorithm"),
                PreviousDigestS3Bucket = fields.OptionalString("previousDigestS3Bucket"),
                PreviousDigestS3Object = fields.OptionalString("previousDigestS3Object"),
                PreviousDigestHashValue = fields.OptionalString("previousDigestHashValue"),
                // The AWS CLI requires this key to be present even though its value is null in a starting digest.
                PreviousDigestSignature = fields.PresentNullableString("previousDigestSignature"),
                LogFiles = ReadLogFiles(key, root),
            };
        }
    }

    private static List<DigestLogFileReference> ReadLogFiles(string key, JsonElement root)
    {
        if (!root.TryGetProperty("logFiles", out var array))
        {
            throw new DigestFormatException(key, "logFiles", "required field is missing");
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new DigestFormatException(key, "logFiles", $"expected an array, found {array.ValueKind}");
        }

        var entries = new List<DigestLogFileReference>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"logFiles[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new DigestFormatException(key, path, $"expected an object, found {item.ValueKind}");
            }

            var fields = new FieldReader(key, item, path);
            entries.Add(new DigestLogFileReference(
                fields.RequiredString("s3Bucket"),
                fields.RequiredString("s3Object"),
                fields.RequiredString("hashValue"),
                fields.OptionalString("hashAlgorithm"),
                fields.OptionalString("newestEventTime"),
                fields.OptionalString("oldestEventTime")));
            index++;
        }

        return entries;
    }

    private readonly struct FieldReader(string key, JsonElement element, string? path)
    {
        public string RequiredString(string name) =>
            PresentNullableString(name) ?? throw new DigestFormatException(key, Name(name), "required field is null");

        public string? PresentNullableString(string name)
        {
            if (!element.TryGetProperty(name, out _))
            {
                throw new DigestFormatException(key, Name(name), "required field is missing");
            }

            return OptionalString(name);
        }

        public string? OptionalString(string name)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new DigestFormatException(key, Name(name), $"expected a string, found {value.ValueKind}");
        }

        public DateTimeOffset Time(string name, string text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : throw new DigestFormatException(key, Name(name), $"'{text}' is not a timestamp");

        private string Name(string name) => path is null ? name : $"{path}.{name}";
    }
}
