using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>What examining one digest file found: its verdict and, when it could be read, its content and signature.</summary>
/// <param name="Key">The digest's key.</param>
/// <param name="Status">Valid, invalid or missing.</param>
/// <param name="Reason">Why.</param>
/// <param name="Digest">The parsed digest; null when it is missing or unreadable.</param>
/// <param name="Signature">The hex signature from the object's metadata; null when absent.</param>
public sealed record DigestExamination(string Key, VerdictStatus Status, string Reason, DigestFile? Digest, string? Signature)
{
    /// <summary>Whether the digest passed every check of its own (its chain links are checked separately).</summary>
    public bool IsValid => Status == VerdictStatus.Valid;
}

/// <summary>Reads one digest file and checks it on its own, in the AWS CLI's order: format, signature metadata, location, key, signature.</summary>
public sealed class DigestExaminer
{
    private readonly ITrailObjectStore store;
    private readonly PublicKeySet publicKeys;
    private readonly DigestValidationOptions options;

    /// <summary>Creates an examiner reading from <paramref name="store"/> and verifying with <paramref name="publicKeys"/>.</summary>
    public DigestExaminer(ITrailObjectStore store, PublicKeySet publicKeys, DigestValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(publicKeys);
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.publicKeys = publicKeys;
        this.options = options;
    }

    /// <summary>
    /// Examines the digest at <paramref name="key"/>. A digest that cannot be read on its own (a folder at its path,
    /// malformed metadata) is invalid; failures of the store as a whole propagate.
    /// </summary>
    /// <param name="key">The digest's key.</param>
    /// <param name="homeRegion">The trail's home region from the key, for the "public key not found" message.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<DigestExamination> ExamineAsync(string key, string? homeRegion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] content;
        try
        {
            var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var read = await GzipMemberReader.ReadFirstMemberAsync(
                    stream,
                    chunk => buffer.Write(chunk.Span),
                    options.MaxDigestBytes,
                    requireSingleMember: false,
                    cancellationToken).ConfigureAwait(false);
                if (read.Status != GzipReadStatus.Complete)
                {
                    return Invalid(key, read.Reason.StartsWith("invalid format", StringComparison.Ordinal) ? read.Reason : $"invalid format ({read.Reason})");
                }

                content = buffer.ToArray();
            }
        }
        catch (TrailObjectNotFoundException)
        {
            return new DigestExamination(key, VerdictStatus.Missing, "not found", null, null);
        }
        catch (TrailObjectStoreException ex) when (ex.UnreadableKey is not null)
        {
            return Invalid(key, $"cannot be read: {ex.Message}");
        }

        DigestFile digest;
        try
        {
            digest = DigestFile.Parse(key, content);
        }
        catch (DigestFormatException ex)
        {
            return Invalid(key, ex.Field is null ? $"invalid format: {ex.Problem}" : $"invalid format: field {ex.Field}: {ex.Problem}");
        }

        IReadOnlyDictionary<string, string> metadata;
        try
        {
            metadata = await store.GetMetadataAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (TrailObjectNotFoundException)
        {
            return new DigestExamination(key, VerdictStatus.Missing, "not found (disappeared while being read)", null, null);
        }
        catch (TrailObjectStoreException ex) when (ex.UnreadableKey is not null)
        {
            // The content was read, so the log files it lists are known; without its signature none is vouched for.
            return new DigestExamination(key, VerdictStatus.Invalid, $"signature verification failed (its metadata cannot be read: {ex.Message})", digest, null);
        }

        // The AWS CLI rejects a backfill digest without its generation time as badly formed.
        if (TrailObjectKey.Classify(key).IsBackfill && !metadata.ContainsKey("backfill-generation-timestamp"))
        {
            return Invalid(key, "invalid format (no 'backfill-generation-timestamp' metadata on a backfill digest)");
        }

        metadata.TryGetValue("signature", out var signature);
        metadata.TryGetValue("signature-algorithm", out var signatureAlgorithm);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(signatureAlgorithm))
        {
            var absent = string.IsNullOrEmpty(signature) ? "signature" : "signature-algorithm";
            return new DigestExamination(key, VerdictStatus.Invalid, $"signature verification failed (no '{absent}' metadata)", digest, signature);
        }

        // Stricter than the AWS CLI, which never reads these values: only SHA256withRSA is defined, so a digest that claims
        // another algorithm cannot have been verified as it claims to be signed.
        if (!string.Equals(signatureAlgorithm, DigestFile.SignatureAlgorithm, StringComparison.Ordinal))
        {
            return new DigestExamination(key, VerdictStatus.Invalid, $"unsupported signature algorithm '{signatureAlgorithm}' in 'signature-algorithm' metadata (expected {DigestFile.SignatureAlgorithm})", digest, signature);
        }

        if (digest.DigestSignatureAlgorithm is { } claimed && !string.Equals(claimed, DigestFile.SignatureAlgorithm, StringComparison.Ordinal))
        {
            return new DigestExamination(key, VerdictStatus.Invalid, $"unsupported signature algorithm '{claimed}' in field digestSignatureAlgorithm (expected {DigestFile.SignatureAlgorithm})", digest, signature);
        }

        if (!string.Equals(digest.DigestS3Object, key, StringComparison.Ordinal)
            || (options.BucketName is { } bucket && !string.Equals(digest.DigestS3Bucket, bucket, StringComparison.Ordinal)))
        {
            return new DigestExamination(key, VerdictStatus.Invalid, $"has been moved from its original location (it was delivered to {digest.DigestS3Bucket}/{digest.DigestS3Object})", digest, signature);
        }

        var match = publicKeys.Find(digest.DigestPublicKeyFingerprint, digest.DigestEndTime);
        switch (match.Status)
        {
            case PublicKeyMatchStatus.Unknown:
                return new DigestExamination(key, VerdictStatus.Invalid, $"public key not found in region {homeRegion} for fingerprint {digest.DigestPublicKeyFingerprint}", digest, signature);
            case PublicKeyMatchStatus.OutsideValidity:
                return new DigestExamination(key, VerdictStatus.Invalid, match.Reason, digest, signature);
        }

        // The string to sign uses digestS3Bucket from the digest itself: a local mirror has no bucket of its own, and
        // CloudTrail signed the bucket it delivered to, which is exactly what the digest records.
        var check = DigestSignatureVerifier.Verify(digest, signature, match.Key!);
        return new DigestExamination(key, check.IsValid ? VerdictStatus.Valid : VerdictStatus.Invalid, check.IsValid ? "valid" : check.Reason, digest, signature);
    }

    private static DigestExamination Invalid(string key, string reason) => new(key, VerdictStatus.Invalid, reason, null, null);
}
