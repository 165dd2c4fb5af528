namespace TrailResponder.Core.Digests;

/// <summary>A CloudTrail digest-signing public key as <c>ListPublicKeys</c> returns it.</summary>
/// <param name="Fingerprint">The fingerprint digests name in <c>digestPublicKeyFingerprint</c>.</param>
/// <param name="Der">The key bytes: DER PKCS#1 <c>RSAPublicKey</c> (or, per AWS's caveat, SubjectPublicKeyInfo).</param>
/// <param name="ValidityStart">When CloudTrail started signing with this key.</param>
/// <param name="ValidityEnd">When CloudTrail stopped signing with this key.</param>
public sealed record TrailPublicKey(string Fingerprint, ReadOnlyMemory<byte> Der, DateTimeOffset ValidityStart, DateTimeOffset ValidityEnd);
