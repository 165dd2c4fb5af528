namespace TrailResponder.LocalAws.Signing;

/// <summary>What a signed aws-chunked upload's chunk and trailer signatures are computed from: the request's signing key, date, scope and seed signature.</summary>
internal sealed record ChunkSignatureChain(byte[] SigningKey, string AmzDate, string Scope, string SeedSignature)
{
    private static readonly string EmptyHash = SigV4Algorithm.Hash([]);

    public string ChunkSignature(string previousSignature, ReadOnlySpan<byte> chunk) => SigV4Algorithm.Sign(
        SigningKey,
        $"AWS4-HMAC-SHA256-PAYLOAD\n{AmzDate}\n{Scope}\n{previousSignature}\n{EmptyHash}\n{SigV4Algorithm.Hash(chunk)}");

    /// <param name="previousSignature">The final (zero-length) chunk's signature.</param>
    /// <param name="canonicalTrailers">Each trailer except the signature as "name:value\n".</param>
    public string TrailerSignature(string previousSignature, string canonicalTrailers) => SigV4Algorithm.Sign(
        SigningKey,
        $"AWS4-HMAC-SHA256-TRAILER\n{AmzDate}\n{Scope}\n{previousSignature}\n{SigV4Algorithm.Hash(canonicalTrailers)}");
}
