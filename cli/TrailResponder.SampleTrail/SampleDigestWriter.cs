using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TrailResponder.SampleTrail;

/// <summary>
/// Signs a sample trail the way CloudTrail does: an hourly digest per region listing the hash of every log file it
/// delivered, chained to the previous digest, signed with RSA-SHA256, the signature in the object's user metadata.
/// </summary>
/// <remarks>
/// A folder has no S3 metadata, so the signature goes to a sidecar <c>X.metadata.json</c> (what <c>trailresponder
/// validate</c> reads), and the public key is written as <c>aws cloudtrail list-public-keys</c> prints it. The signing
/// follows the reference notes on its own, so the validator is checked against an independent writer.
/// </remarks>
public sealed class SampleDigestWriter : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    /// <summary>The trail name in the digest keys.</summary>
    public string TrailName { get; init; } = "management-events";

    /// <summary>The bucket named inside the digests.</summary>
    public string Bucket { get; init; } = "trailresponder-sample-trail";

    /// <summary>The public key as DER PKCS#1 RSAPublicKey, what ListPublicKeys returns.</summary>
    public byte[] PublicKeyDer => _key.ExportRSAPublicKey();

    /// <summary>Lowercase hex MD5 of the DER key: CloudTrail's fingerprint.</summary>
    public string Fingerprint => Convert.ToHexStringLower(MD5.HashData(PublicKeyDer));

    /// <summary>
    /// Writes one digest per region per hour of <paramref name="day"/> covering the manifest's log files, and the public
    /// key file; returns the digest keys written.
    /// </summary>
    public IReadOnlyList<string> Write(string rootFolder, SampleTrailManifest manifest, string accountId, DateOnly day, string publicKeysFile)
    {
        var written = new List<string>();
        foreach (var region in manifest.Files.Select(f => f.Region).Distinct().Order(StringComparer.Ordinal))
        {
            string? previousSignature = null;
            string? previousKey = null;
            string? previousHash = null;
            for (var hour = 0; hour < 24; hour++)
            {
                var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);
                var end = start.AddHours(1);
                var files = manifest.Files
                    .Where(f => f.Region == region && f.NewestEventTime >= start && f.NewestEventTime < end)
                    .ToList();
                var key = $"AWSLogs/{accountId}/CloudTrail-Digest/{region}/{end:yyyy'/'MM'/'dd}/{accountId}_CloudTrail-Digest_{region}_{TrailName}_us-east-1_{end:yyyyMMdd'T'HHmmss'Z'}.json.gz";
                var json = DigestJson(accountId, start, end, key, files, rootFolder, previousKey, previousHash, previousSignature);
                var endText = end.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                var hash = Convert.ToHexStringLower(SHA256.HashData(json));
                var toSign = $"{endText}\n{Bucket}/{key}\n{hash}\n{previousSignature ?? "null"}";
                var signature = Convert.ToHexStringLower(_key.SignData(Encoding.UTF8.GetBytes(toSign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

                var path = Path.Combine(rootFolder, key.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using (var output = File.Create(path))
                using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
                {
                    gzip.Write(json);
                }

                File.WriteAllText(path + ".metadata.json", $$"""{"signature": "{{signature}}", "signature-algorithm": "SHA256withRSA"}""");
                written.Add(key);
                (previousKey, previousHash, previousSignature) = (key, hash, signature);
            }
        }

        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-30);
        File.WriteAllText(publicKeysFile, $$"""
            {"PublicKeyList": [{"Value": "{{Convert.ToBase64String(PublicKeyDer)}}", "ValidityStartTime": "{{from:yyyy-MM-dd'T'HH:mm:ss'Z'}}", "ValidityEndTime": "{{from.AddDays(60):yyyy-MM-dd'T'HH:mm:ss'Z'}}", "Fingerprint": "{{Fingerprint}}"}]}
            """);
        return written;
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private byte[] DigestJson(string accountId, DateTimeOffset start, DateTimeOffset end, string key, List<SampleTrailFile> files, string rootFolder, string? previousKey, string? previousHash, string? previousSignature)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("awsAccountId", accountId);
            json.WriteString("digestStartTime", Time(start));
            json.WriteString("digestEndTime", Time(end));
            json.WriteString("digestS3Bucket", Bucket);
            json.WriteString("digestS3Object", key);
            json.WriteString("digestPublicKeyFingerprint", Fingerprint);
            json.WriteString("digestSignatureAlgorithm", "SHA256withRSA");
            WriteTimeOrNull(json, "newestEventTime", files.Count == 0 ? null : files.Max(f => f.NewestEventTime));
            WriteTimeOrNull(json, "oldestEventTime", files.Count == 0 ? null : files.Min(f => f.WindowStart));
            WriteOrNull(json, "previousDigestS3Bucket", previousKey is null ? null : Bucket);
            WriteOrNull(json, "previousDigestS3Object", previousKey);
            WriteOrNull(json, "previousDigestHashValue", previousHash);
            WriteOrNull(json, "previousDigestHashAlgorithm", previousKey is null ? null : "SHA-256");
            WriteOrNull(json, "previousDigestSignature", previousSignature);
            json.WriteStartArray("logFiles");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("s3Bucket", Bucket);
                json.WriteString("s3Object", file.RelativePath);
                json.WriteString("hashValue", Convert.ToHexStringLower(SHA256.HashData(Decompressed(Path.Combine(rootFolder, file.RelativePath)))));
                json.WriteString("hashAlgorithm", "SHA-256");
                json.WriteString("newestEventTime", Time(file.NewestEventTime));
                json.WriteString("oldestEventTime", Time(file.WindowStart));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] Decompressed(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteTimeOrNull(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, Time(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
