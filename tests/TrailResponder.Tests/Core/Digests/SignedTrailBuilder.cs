using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TrailResponder.Core.Digests;
using TrailResponder.Tests.Core.Storage;

namespace TrailResponder.Tests.Core.Digests;

/// <summary>An RSA key pair standing in for one of CloudTrail's digest-signing keys.</summary>
public sealed class TestSigningKey : IDisposable
{
    private readonly RSA rsa;

    private TestSigningKey(RSA rsa, DateTimeOffset validFrom, DateTimeOffset validTo)
    {
        this.rsa = rsa;
        Der = rsa.ExportRSAPublicKey();
        Fingerprint = Convert.ToHexStringLower(MD5.HashData(Der));
        PublicKey = new TrailPublicKey(Fingerprint, Der, validFrom, validTo);
    }

    /// <summary>The DER PKCS#1 RSAPublicKey, as ListPublicKeys returns it.</summary>
    public byte[] Der { get; }

    /// <summary>Lowercase hex MD5 of <see cref="Der"/>, as CloudTrail's fingerprints are.</summary>
    public string Fingerprint { get; }

    /// <summary>The public half with its validity window.</summary>
    public TrailPublicKey PublicKey { get; }

    /// <summary>Creates a 2048-bit key valid in the given window.</summary>
    public static TestSigningKey Create(DateTimeOffset validFrom, DateTimeOffset validTo) => new(RSA.Create(2048), validFrom, validTo);

    /// <summary>Signs like CloudTrail: RSA PKCS#1 v1.5 with SHA-256 over the UTF-8 string to sign; lowercase hex.</summary>
    public string Sign(string stringToSign) =>
        Convert.ToHexStringLower(rsa.SignData(Encoding.UTF8.GetBytes(stringToSign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <inheritdoc/>
    public void Dispose() => rsa.Dispose();
}

/// <summary>The content of a digest file, written field by field in CloudTrail's order.</summary>
public sealed record TestDigest
{
    public required string AwsAccountId { get; init; }

    public required string DigestStartTime { get; init; }

    public required string DigestEndTime { get; init; }

    public required string DigestS3Bucket { get; init; }

    public required string DigestS3Object { get; init; }

    public required string DigestPublicKeyFingerprint { get; init; }

    public string DigestSignatureAlgorithm { get; init; } = "SHA256withRSA";

    public string? NewestEventTime { get; init; }

    public string? OldestEventTime { get; init; }

    public string? PreviousDigestS3Bucket { get; init; }

    public string? PreviousDigestS3Object { get; init; }

    public string? PreviousDigestHashValue { get; init; }

    public string? PreviousDigestHashAlgorithm { get; init; }

    public string? PreviousDigestSignature { get; init; }

    public required IReadOnlyList<DigestLogFileReference> LogFiles { get; init; }

    /// <summary>The JSON bytes, compact as CloudTrail writes them.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("awsAccountId", AwsAccountId);
            writer.WriteString("digestStartTime", DigestStartTime);
            writer.WriteString("digestEndTime", DigestEndTime);
            writer.WriteString("digestS3Bucket", DigestS3Bucket);
            writer.WriteString("digestS3Object", DigestS3Object);
            writer.WriteString("digestPublicKeyFingerprint", DigestPublicKeyFingerprint);
            writer.WriteString("digestSignatureAlgorithm", DigestSignatureAlgorithm);
            WriteNullable(writer, "newestEventTime", NewestEventTime);
            WriteNullable(writer, "oldestEventTime", OldestEventTime);
            WriteNullable(writer, "previousDigestS3Bucket", PreviousDigestS3Bucket);
            WriteNullable(writer, "previousDigestS3Object", PreviousDigestS3Object);
            WriteNullable(writer, "previousDigestHashValue", PreviousDigestHashValue);
            WriteNullable(writer, "previousDigestHashAlgorithm", PreviousDigestHashAlgorithm);
            WriteNullable(writer, "previousDigestSignature", PreviousDigestSignature);
            writer.WriteStartArray("logFiles");
            foreach (var log in LogFiles)
            {
                writer.WriteStartObject();
                writer.WriteString("s3Bucket", log.S3Bucket);
                writer.WriteString("s3Object", log.S3Object);
                writer.WriteString("hashValue", log.HashValue);
                writer.WriteString("hashAlgorithm", log.HashAlgorithm);
                writer.WriteString("newestEventTime", log.NewestEventTime);
                writer.WriteString("oldestEventTime", log.OldestEventTime);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}

/// <summary>A digest as written to the store: its content, the exact JSON bytes, their SHA-256 and the signature.</summary>
public sealed record WrittenDigest(string Key, string Region, TestDigest Content, byte[] Json, string Sha256Hex, string Signature, IReadOnlyList<string> LogKeys);

/// <summary>
/// Builds a signed CloudTrail trail in an <see cref="InMemoryTrailStore"/>: gzipped log files and hourly digests chained
/// and signed exactly as CloudTrail does, one chain per region.
/// </summary>
public sealed class SignedTrailBuilder : IDisposable
{
    public const string Bucket = "example-trail-bucket";
    public const string Account = "111122223333";
    public const string TrailName = "management-events";
    public const string HomeRegion = "us-east-1";

    private readonly Dictionary<string, ChainState> chains = new(StringComparer.Ordinal);
    private readonly List<TestSigningKey> keys = [];
    private int logCounter;

    public SignedTrailBuilder()
    {
        SigningKey = AddKey(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    public InMemoryTrailStore Store { get; } = new();

    /// <summary>The key new digests are signed with.</summary>
    public TestSigningKey SigningKey { get; set; }

    /// <summary>Every digest written, oldest first.</summary>
    public List<WrittenDigest> Digests { get; } = [];

    /// <summary>The public keys as ListPublicKeys would return them.</summary>
    public PublicKeySet PublicKeys => new(keys.Select(k => k.PublicKey));

    /// <summary>The time the standard trail begins: a leap day's evening, so hours cross a day and a month boundary.</summary>
    public static DateTimeOffset StandardStart => new(2024, 2, 29, 21, 0, 0, TimeSpan.Zero);

    /// <summary>Two regions, five hours each from 2024-02-29 21:xx to 2024-03-01 01:xx, three log files an hour.</summary>
    public static SignedTrailBuilder Standard()
    {
        var builder = new SignedTrailBuilder();
        for (var hour = 0; hour < 5; hour++)
        {
            builder.AddHour("us-east-1", StandardEnd("us-east-1", hour));
            builder.AddHour("eu-west-1", StandardEnd("eu-west-1", hour));
        }

        return builder;
    }

    /// <summary>The digest end time of hour <paramref name="hour"/> of the standard trail (regions deliver at different seconds).</summary>
    public static DateTimeOffset StandardEnd(string region, int hour) =>
        StandardStart.AddHours(hour).AddMinutes(5).AddSeconds(region == "us-east-1" ? 7 : 161);

    public TestSigningKey AddKey(DateTimeOffset validFrom, DateTimeOffset validTo)
    {
        var key = TestSigningKey.Create(validFrom, validTo);
        keys.Add(key);
        return key;
    }

    public static string DigestKey(string region, DateTimeOffset end) =>
        FormattableString.Invariant($"AWSLogs/{Account}/CloudTrail-Digest/{region}/{end:yyyy/MM/dd}/{Account}_CloudTrail-Digest_{region}_{TrailName}_{HomeRegion}_{end:yyyyMMdd'T'HHmmss'Z'}.json.gz");

    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>
    /// Delivers the log files of the hour ending at <paramref name="end"/> and, unless <paramref name="withDigest"/> is
    /// false, the digest that covers them. <paramref name="startsChain"/> makes the digest a starting digest (a restart).
    /// </summary>
    public WrittenDigest? AddHour(string region, DateTimeOffset end, int logFiles = 3, bool withDigest = true, bool startsChain = false)
    {
        if (!chains.TryGetValue(region, out var chain))
        {
            chains[region] = chain = new ChainState();
        }

        var start = startsChain || chain.LastEnd is null ? end.AddHours(-1) : chain.LastEnd.Value;
        var entries = new List<DigestLogFileReference>();
        for (var i = 0; i < logFiles; i++)
        {
            var named = i == logFiles - 1 ? end.AddMinutes(-6) : start.AddMinutes(15 * (i + 1));
            named = new DateTimeOffset(named.Year, named.Month, named.Day, named.Hour, named.Minute, 0, TimeSpan.Zero);
            entries.Add(AddLogFile(region, named, named.AddMinutes(3)));
        }

        chain.LastEnd = end;
        if (!withDigest)
        {
            return null;
        }

        var previous = startsChain ? null : chain.Last;
        var content = new TestDigest
        {
            AwsAccountId = Account,
            DigestStartTime = Time(start),
            DigestEndTime = Time(end),
            DigestS3Bucket = Bucket,
            DigestS3Object = DigestKey(region, end),
            DigestPublicKeyFingerprint = SigningKey.Fingerprint,
            NewestEventTime = entries.Count == 0 ? null : entries[^1].NewestEventTime,
            OldestEventTime = entries.Count == 0 ? null : entries[0].OldestEventTime,
            PreviousDigestS3Bucket = previous is null ? null : Bucket,
            PreviousDigestS3Object = previous?.Key,
            PreviousDigestHashValue = previous?.Sha256Hex,
            PreviousDigestHashAlgorithm = previous is null ? null : "SHA-256",
            PreviousDigestSignature = previous?.Signature,
            LogFiles = entries,
        };

        var written = Write(region, content, SigningKey, end.AddMinutes(2));
        chain.Last = written;
        Digests.Add(written);
        return written;
    }

    /// <summary>Writes (or overwrites) a digest with <paramref name="content"/>, signed by <paramref name="key"/> as CloudTrail signs.</summary>
    public WrittenDigest Write(string region, TestDigest content, TestSigningKey key, DateTimeOffset? lastModified = null, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var json = content.ToJson();
        var sha = Sha256Hex(json);
        var signature = key.Sign(DigestSignatureVerifier.BuildStringToSign(content.DigestEndTime, content.DigestS3Bucket, content.DigestS3Object, sha, content.PreviousDigestSignature));
        var metadata = new Dictionary<string, string> { ["signature"] = signature, ["signature-algorithm"] = "SHA256withRSA" };
        foreach (var (name, value) in extraMetadata ?? new Dictionary<string, string>())
        {
            metadata[name] = value;
        }

        Store.Put(content.DigestS3Object, Gzip(json), metadata, lastModified ?? DateTimeOffset.Parse(content.DigestEndTime, CultureInfo.InvariantCulture).AddMinutes(2));
        return new WrittenDigest(content.DigestS3Object, region, content, json, sha, signature, [.. content.LogFiles.Select(l => l.S3Object)]);
    }

    /// <summary>Replaces a written digest by one with changed content, re-signed with the signing key: what only CloudTrail could do.</summary>
    public WrittenDigest Resign(WrittenDigest digest, Func<TestDigest, TestDigest> change)
    {
        var rewritten = Write(digest.Region, change(digest.Content), SigningKey);
        Digests[Digests.FindIndex(d => d.Key == digest.Key)] = rewritten;
        return rewritten;
    }

    /// <summary>Delivers one gzipped log file named for <paramref name="named"/> and returns the digest entry for it.</summary>
    public DigestLogFileReference AddLogFile(string region, DateTimeOffset named, DateTimeOffset delivered)
    {
        logCounter++;
        var unique = FormattableString.Invariant($"{logCounter:D6}AbCdEfGhIj");
        var key = FormattableString.Invariant($"AWSLogs/{Account}/CloudTrail/{region}/{named:yyyy/MM/dd}/{Account}_CloudTrail_{region}_{named:yyyyMMdd'T'HHmm'Z'}_{unique}.json.gz");
        var json = Encoding.UTF8.GetBytes(FormattableString.Invariant(
            $"{{\"Records\":[{{\"eventVersion\":\"1.08\",\"eventTime\":\"{Time(named)}\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"{region}\",\"eventID\":\"{logCounter}\"}}]}}"));
        Store.Put(key, Gzip(json), lastModified: delivered);
        return new DigestLogFileReference(Bucket, key, Sha256Hex(json), "SHA-256", Time(named), Time(named.AddMinutes(-1)));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    private sealed class ChainState
    {
        public DateTimeOffset? LastEnd { get; set; }

        public WrittenDigest? Last { get; set; }
    }
}
