namespace TrailResponder.Core.Digests;

/// <summary>Where the validator gets CloudTrail's public keys (ListPublicKeys in production, a file locally).</summary>
public interface IPublicKeySource
{
    /// <summary>The keys valid at some point in [start, end] in one region (all pages).</summary>
    Task<PublicKeySet> ListPublicKeysAsync(string region, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);
}
