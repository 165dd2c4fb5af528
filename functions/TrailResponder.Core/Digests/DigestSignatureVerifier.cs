using System.Security.Cryptography;
using System.Text;

namespace TrailResponder.Core.Digests;

/// <summary>The result of checking a digest's RSA signature: whether it holds and, if not, why.</summary>
public sealed record SignatureCheck(bool IsValid, string Reason);

/// <summary>Checks a digest's signature exactly as CloudTrail signs it: RSA PKCS#1 v1.5 with SHA-256 over the string to sign.</summary>
public static class DigestSignatureVerifier
{
    /// <summary>
    /// Builds the string CloudTrail signs: <c>digestEndTime</c>, <c>bucket/key</c>, the hex SHA-256 of the uncompressed
    /// digest and <c>previousDigestSignature</c>, joined by LF without a trailing LF. A null previous signature is the
    /// literal <c>null</c>, because CloudTrail's Java signer prints it so.
    /// </summary>
    public static string BuildStringToSign(string digestEndTime, string bucket, string key, string contentSha256Hex, string? previousDigestSignature) =>
        string.Join('\n', digestEndTime, bucket + "/" + key, contentSha256Hex, previousDigestSignature ?? "null");

    /// <summary>Builds the string to sign for a parsed digest, from the values in its own JSON.</summary>
    public static string BuildStringToSign(DigestFile digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return BuildStringToSign(digest.DigestEndTimeText, digest.DigestS3Bucket, digest.DigestS3Object, digest.ContentSha256Hex, digest.PreviousDigestSignature);
    }

    /// <summary>Verifies <paramref name="signatureHex"/> (the digest's <c>signature</c> metadata) with <paramref name="key"/>.</summary>
    public static SignatureCheck Verify(DigestFile digest, string signatureHex, TrailPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(signatureHex);
        ArgumentNullException.ThrowIfNull(key);

        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return new SignatureCheck(false, "signature verification failed (the signature metadata is not hex)");
        }

        using var rsa = RSA.Create();
        if (!TryImport(rsa, key.Der.Span))
        {
            return new SignatureCheck(false, $"Unable to load PKCS #1 key with fingerprint {key.Fingerprint}");
        }

        var data = Encoding.UTF8.GetBytes(BuildStringToSign(digest));
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? new SignatureCheck(true, "signature verified")
            : new SignatureCheck(false, "signature verification failed");
    }

    // AWS says the key encoding "is subject to change" and one of its samples is SubjectPublicKeyInfo, so accept both.
    private static bool TryImport(RSA rsa, ReadOnlySpan<byte> der)
    {
        try
        {
            rsa.ImportRSAPublicKey(der, out var read);
            if (read == der.Length)
            {
                return true;
            }
        }
        catch (CryptographicException)
        {
        }

        try
        {
            rsa.ImportSubjectPublicKeyInfo(der, out var read);
            return read == der.Length;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
