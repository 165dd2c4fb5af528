using System.Globalization;
using System.Runtime.CompilerServices;
using TrailResponder.Core.Storage;

namespace TrailResponder.Core.Trail;

/// <summary>
/// Walks a trail bucket's layout down to the date folders of a time range, so a job lists hours of objects, not years.
/// </summary>
/// <remarks>
/// <c>{prefix/}AWSLogs/[{o-id}/]{account}/{CloudTrail|CloudTrail-Digest|CloudTrail-Insight}/{region}/{YYYY}/{MM}/{DD}/</c>:
/// accounts (and organization ids) and regions are discovered by folder listing; the date folders are computed.
/// </remarks>
public static class TrailFolders
{
    /// <summary>The date folders of one kind of object for every account and region under <paramref name="rootPrefix"/>.</summary>
    /// <param name="store">The bucket or mirror.</param>
    /// <param name="rootPrefix">The trail's key prefix: empty, or ending in '/'.</param>
    /// <param name="service">The folder after the account: <c>CloudTrail</c>, <c>CloudTrail-Digest</c> or <c>CloudTrail-Insight</c>.</param>
    /// <param name="firstDay">The first UTC day.</param>
    /// <param name="lastDay">The last UTC day (inclusive).</param>
    /// <param name="accountId">Only this account, when given.</param>
    /// <param name="region">Only this region, when given.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public static async IAsyncEnumerable<string> DateFoldersAsync(
        ITrailObjectStore store,
        string rootPrefix,
        string service,
        DateOnly firstDay,
        DateOnly lastDay,
        string? accountId = null,
        string? region = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var accountFolder in AccountFoldersAsync(store, rootPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (accountId is not null && !accountFolder.EndsWith($"/{accountId}/", StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var regionFolder in store.ListFoldersAsync($"{accountFolder}{service}/", cancellationToken).ConfigureAwait(false))
            {
                if (region is not null && !regionFolder.EndsWith($"/{region}/", StringComparison.Ordinal))
                {
                    continue;
                }

                for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
                {
                    yield return regionFolder + day.ToString("yyyy'/'MM'/'dd'/'", CultureInfo.InvariantCulture);
                }
            }
        }
    }

    /// <summary>Every <c>AWSLogs/{account}/</c> folder, including those of organization trails (<c>AWSLogs/o-.../{account}/</c>).</summary>
    public static async IAsyncEnumerable<string> AccountFoldersAsync(ITrailObjectStore store, string rootPrefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var folder in store.ListFoldersAsync(rootPrefix + "AWSLogs/", cancellationToken).ConfigureAwait(false))
        {
            var name = folder[(rootPrefix.Length + "AWSLogs/".Length)..^1];
            if (name.StartsWith("o-", StringComparison.Ordinal))
            {
                await foreach (var member in store.ListFoldersAsync(folder, cancellationToken).ConfigureAwait(false))
                {
                    yield return member;
                }
            }
            else if (name.Length == 12 && name.All(char.IsAsciiDigit))
            {
                yield return folder;
            }
        }
    }
}
