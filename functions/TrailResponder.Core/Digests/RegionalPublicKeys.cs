using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>The public keys of every region a trail bucket holds digests for, and those regions.</summary>
/// <param name="Regions">The digest regions found, in ordinal order.</param>
/// <param name="Keys">The keys of all those regions, merged.</param>
public sealed record RegionalPublicKeys(IReadOnlyList<string> Regions, PublicKeySet Keys)
{
    /// <summary>
    /// How far before the start of a range keys are asked for: the chain walk reaches back to the digest before the range
    /// and the listing covers a day either side, so digests up to two days older may be examined.
    /// </summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(2);

    /// <summary>
    /// Discovers the digest regions under <paramref name="rootPrefix"/> and asks <paramref name="source"/> once per region
    /// for the keys valid in [start − <see cref="LookBack"/>, end + <see cref="PublicKeySet.SigningDelay"/>].
    /// </summary>
    /// <param name="source">ListPublicKeys (or a stand-in).</param>
    /// <param name="store">The bucket or mirror whose regions are listed.</param>
    /// <param name="rootPrefix">The trail's key prefix (see <see cref="DigestRegions.FindAsync"/>).</param>
    /// <param name="start">The start of the range validated.</param>
    /// <param name="end">The end of the range validated.</param>
    /// <param name="accountId">Only this account's regions, when given.</param>
    /// <param name="region">Only this region, when given (it is asked about even when no folder names it yet).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public static async Task<RegionalPublicKeys> LoadAsync(
        IPublicKeySource source,
        ITrailObjectStore store,
        string rootPrefix,
        DateTimeOffset start,
        DateTimeOffset end,
        string? accountId = null,
        string? region = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        IReadOnlyList<string> regions = region is not null
            ? [region]
            : await DigestRegions.FindAsync(store, rootPrefix, accountId, cancellationToken).ConfigureAwait(false);
        var keys = new PublicKeySet([]);
        foreach (var name in regions)
        {
            keys = keys.Merge(await source.ListPublicKeysAsync(name, start - LookBack, end + PublicKeySet.SigningDelay, cancellationToken).ConfigureAwait(false));
        }

        return new RegionalPublicKeys(regions, keys);
    }
}
