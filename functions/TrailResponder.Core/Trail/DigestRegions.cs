using TrailResponder.Core.Storage;

namespace TrailResponder.Core.Trail;

/// <summary>Finds the regions a trail bucket holds digests for, by folder listing (organization trails included).</summary>
/// <remarks>
/// Digests are signed with keys of the region they cover, so whoever validates needs each region's public keys; listing
/// <c>AWSLogs/{account}/CloudTrail-Digest/</c> names those regions without reading a single digest.
/// </remarks>
public static class DigestRegions
{
    /// <summary>The distinct regions under <c>{rootPrefix}AWSLogs/.../CloudTrail-Digest/</c>, in ordinal order.</summary>
    /// <param name="store">The bucket or mirror.</param>
    /// <param name="rootPrefix">The trail's key prefix: empty, or ending in '/'. A prefix reaching into <c>AWSLogs/</c> is cut back to the part before it.</param>
    /// <param name="accountId">Only this account's folders, when given.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public static async Task<IReadOnlyList<string>> FindAsync(ITrailObjectStore store, string rootPrefix, string? accountId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rootPrefix);
        var regions = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var accountFolder in TrailFolders.AccountFoldersAsync(store, TrailRoot(rootPrefix), cancellationToken).ConfigureAwait(false))
        {
            if (accountId is not null && !accountFolder.EndsWith($"/{accountId}/", StringComparison.Ordinal))
            {
                continue;
            }

            var digestFolder = accountFolder + "CloudTrail-Digest/";
            await foreach (var regionFolder in store.ListFoldersAsync(digestFolder, cancellationToken).ConfigureAwait(false))
            {
                regions.Add(regionFolder[digestFolder.Length..^1]);
            }
        }

        return [.. regions];
    }

    /// <summary>The part of a listing prefix before <c>AWSLogs/</c>: where the folder walk has to start.</summary>
    public static string TrailRoot(string listPrefix)
    {
        ArgumentNullException.ThrowIfNull(listPrefix);
        var index = listPrefix.IndexOf("AWSLogs/", StringComparison.Ordinal);
        if (index >= 0)
        {
            return listPrefix[..index];
        }

        return listPrefix.Length == 0 || listPrefix.EndsWith('/') ? listPrefix : listPrefix + "/";
    }
}
