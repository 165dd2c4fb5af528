using System.Security.Cryptography;
using System.Text;
using TrailResponder.Core.Digests;

namespace TrailResponder.Tests.Core.Digests;

public class DigestSignatureVerifierTests
{
    private const string Key = "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240301T000507Z.json.gz";

    [Fact]
    public void String_to_sign_matches_the_aws_cli_test_vector()
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData("abc"u8));

        var stringToSign = DigestSignatureVerifier.BuildStringToSign("a", "b", "c", sha, null);

        Assert.Equal("a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nnull", stringToSign);
    }

    [Fact]
    public void Empty_previous_signature_is_an_empty_line_not_null()
    {
        Assert.Equal("a\nb/c\nd\n", DigestSignatureVerifier.BuildStringToSign("a", "b", "c", "d", ""));
    }

    [Fact]
    public void Sha256_of_an_empty_records_log_matches_the_reference_vector()
    {
        Assert.Equal("26a792db36a3afba23b1dd277fcc9f15a7313c4a92e4e4cc0494846af345ecff", SignedTrailBuilder.Sha256Hex("{\"Records\":[]}"u8.ToArray()));
    }

    [Fact]
    public void Fingerprint_of_awss_published_sample_key_is_the_md5_of_its_der_bytes()
    {
        // The public key AWS prints in its custom-validation guide and list-public-keys example.
        var der = Convert.FromBase64String(
            "MIIBCgKCAQEAn11L2YZ9h7onug2ILi1MWyHiMRsTQjfWE+pHVRLk1QjfWhirG+lpOa8NrwQ/r7Ah5bNL6HepznOU9XTDSfmmnP97mqyc7z/upfZdS/AHhYcGaz7n6Wc/RRBU6VmiPCrAUojuSk6/GjvA8iOPFsYDuBtviXarvuLPlrT9kAd4Lb+rFfR5peEgBEkhlzc5HuWO7S0y+KunqxX6jQBnXGMtxmPBPP0FylgWGNdFtks/4YSKcgqwH0YDcawP9GGGDAeCIqPWIXDLG1jOjRRzWfCmD0iJUkz8vTsn4hq/5ZxRFE7UBAUiVcGbdnDdvVfhF9C3dQiDq3k7adQIziLT0cShgQIDAQAB");

        using var rsa = RSA.Create();
        rsa.ImportRSAPublicKey(der, out var read);

        Assert.Equal(der.Length, read);
        Assert.Equal("8eba5db5bea9b640d1c96a77256fe7f2", Convert.ToHexStringLower(MD5.HashData(der)));
    }

    [Fact]
    public void Starting_digest_signed_over_its_exact_bytes_verifies_and_the_same_json_reformatted_does_not()
    {
        using var key = TestSigningKey.Create(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        var json = Encoding.UTF8.GetBytes($"{{\"digestStartTime\":\"2024-02-29T23:05:07Z\",\"digestEndTime\":\"2024-03-01T00:05:07Z\",\"digestS3Bucket\":\"bucket\",\"digestS3Object\":\"{Key}\",\"digestPublicKeyFingerprint\":\"{key.Fingerprint}\",\"previousDigestSignature\":null,\"logFiles\":[]}}");
        var signature = key.Sign($"2024-03-01T00:05:07Z\nbucket/{Key}\n{SignedTrailBuilder.Sha256Hex(json)}\nnull");
        var reformatted = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace(",", ", ", StringComparison.Ordinal));

        Assert.True(DigestSignatureVerifier.Verify(DigestFile.Parse(Key, json), signature, key.PublicKey).IsValid);
        Assert.True(DigestSignatureVerifier.Verify(DigestFile.Parse(Key, json), signature.ToUpperInvariant(), key.PublicKey).IsValid);
        Assert.False(DigestSignatureVerifier.Verify(DigestFile.Parse(Key, reformatted), signature, key.PublicKey).IsValid);
    }

    [Fact]
    public void Key_in_subject_public_key_info_form_is_accepted_too()
    {
        using var key = TestSigningKey.Create(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);
        using var rsa = RSA.Create();
        rsa.ImportRSAPublicKey(key.Der, out _);
        var spki = key.PublicKey with { Der = rsa.ExportSubjectPublicKeyInfo() };
        var json = Encoding.UTF8.GetBytes($"{{\"digestStartTime\":\"2024-02-29T23:05:07Z\",\"digestEndTime\":\"2024-03-01T00:05:07Z\",\"digestS3Bucket\":\"bucket\",\"digestS3Object\":\"{Key}\",\"digestPublicKeyFingerprint\":\"f\",\"previousDigestSignature\":\"ab\",\"logFiles\":[]}}");
        var signature = key.Sign($"2024-03-01T00:05:07Z\nbucket/{Key}\n{SignedTrailBuilder.Sha256Hex(json)}\nab");

        Assert.True(DigestSignatureVerifier.Verify(DigestFile.Parse(Key, json), signature, spki).IsValid);
    }

    [Fact]
    public void Key_bytes_that_are_not_an_rsa_key_give_the_clis_unable_to_load_message()
    {
        var json = Encoding.UTF8.GetBytes($"{{\"digestStartTime\":\"2024-02-29T23:05:07Z\",\"digestEndTime\":\"2024-03-01T00:05:07Z\",\"digestS3Bucket\":\"bucket\",\"digestS3Object\":\"{Key}\",\"digestPublicKeyFingerprint\":\"f\",\"previousDigestSignature\":null,\"logFiles\":[]}}");
        var garbage = new TrailPublicKey("ffaa00", new byte[] { 0xff, 0xaa, 0x00 }, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);

        var check = DigestSignatureVerifier.Verify(DigestFile.Parse(Key, json), "00", garbage);

        Assert.False(check.IsValid);
        Assert.Equal("Unable to load PKCS #1 key with fingerprint ffaa00", check.Reason);
    }
}
