using System.Collections.Concurrent;
using System.Text.Json;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Cli.Storage;

/// <summary>What a mirror run did.</summary>
/// <param name="Downloaded">Objects copied.</param>
/// <param name="Bytes">Bytes copied.</param>
/// <param name="AlreadyPresent">Objects skipped because a file of the same size (and, for a digest, its sidecar) was there.</param>
/// <param name="Skipped">Keys that cannot be files in the mirror (folder markers, paths leaving it, sidecar names).</param>
/// <param name="Vanished">Objects listed but gone by the time they were read.</param>
internal sealed record MirrorCounts(int Downloaded, long Bytes, int AlreadyPresent, int Skipped, int Vanished);

/// <summary>
/// Copies listed objects of a trail store into a folder that <see cref="LocalFolderTrailStore"/> reads: the same keys as
/// paths, S3's last-modified time as the file time, and each digest's user metadata in its <c>.metadata.json</c> sidecar.
/// </summary>
/// <remarks>
/// Objects stream to a temporary file that is renamed when complete, and a digest's sidecar is written before the digest
/// itself, so a file in the mirror is always whole and a digest always has its signature: a run that stops half-way is
/// resumed by running it again.
/// </remarks>
internal sealed class TrailMirror(ITrailObjectStore store, string targetDirectory, int concurrency, TextWriter warnings)
{
    private const string PartialSuffix = ".partial";
    private readonly string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
    private readonly Lock warningLock = new();

    /// <summary>Copies every object in <paramref name="objects"/>, <c>concurrency</c> at a time.</summary>
    public async Task<MirrorCounts> CopyAsync(IAsyncEnumerable<StoredObject> objects, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentBag<(Outcome Outcome, long Bytes)>();
        await Parallel.ForEachAsync(
            objects,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (stored, token) => outcomes.Add(await CopyOneAsync(stored, token).ConfigureAwait(false))).ConfigureAwait(false);

        return new MirrorCounts(
            outcomes.Count(o => o.Outcome == Outcome.Downloaded),
            outcomes.Sum(o => o.Bytes),
            outcomes.Count(o => o.Outcome == Outcome.AlreadyPresent),
            outcomes.Count(o => o.Outcome == Outcome.Skipped),
            outcomes.Count(o => o.Outcome == Outcome.Vanished));
    }

    private async Task<(Outcome, long)> CopyOneAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        if (PathOf(stored.Key) is not { } path)
        {
            Warn($"Skipped '{stored.Key}': not a file name the mirror can hold.");
            return (Outcome.Skipped, 0);
        }

        var isDigest = TrailObjectKey.Classify(stored.Key).Kind == TrailObjectKind.DigestFile;
        var sidecar = path + LocalFolderTrailStore.MetadataSuffix;
        var existing = new FileInfo(path);
        if (existing.Exists && existing.Length == stored.Size && (!isDigest || File.Exists(sidecar)))
        {
            return (Outcome.AlreadyPresent, 0);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            if (isDigest)
            {
                var metadata = await store.GetMetadataAsync(stored.Key, cancellationToken).ConfigureAwait(false);
                await File.WriteAllTextAsync(sidecar, JsonSerializer.Serialize(metadata.ToDictionary(m => m.Key.ToLowerInvariant(), m => m.Value)), cancellationToken).ConfigureAwait(false);
            }

            var partial = path + PartialSuffix;
            long bytes;
            var content = await store.OpenReadAsync(stored.Key, cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 81920, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    bytes = file.Length;
                }
            }

            // The validator takes a file's time as its delivery time, so the mirror keeps S3's.
            File.SetLastWriteTimeUtc(partial, stored.LastModified.UtcDateTime);
            File.Move(partial, path, overwrite: true);
            return (Outcome.Downloaded, bytes);
        }
        catch (TrailObjectNotFoundException)
        {
            Warn($"'{stored.Key}' was deleted while mirroring.");
            return (Outcome.Vanished, 0);
        }
    }

    // Keys are written by whoever can write to the bucket: one that would leave the folder, name a folder or collide
    // with a sidecar is not mirrored.
    private string? PathOf(string key)
    {
        if (key.Length == 0 || key.EndsWith('/') || key.EndsWith(LocalFolderTrailStore.MetadataSuffix, StringComparison.Ordinal) || key.EndsWith(PartialSuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar)));
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    private void Warn(string message)
    {
        lock (warningLock)
        {
            warnings.WriteLine(message);
        }
    }

    private enum Outcome
    {
        Downloaded,
        AlreadyPresent,
        Skipped,
        Vanished,
    }
}
