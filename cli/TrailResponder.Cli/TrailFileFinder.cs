using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Cli;

/// <summary>A file found under the paths given to a command, with what its key says it is.</summary>
/// <remarks>
/// <see cref="Path"/> is the path as the user wrote it (or below it), which reads best in reports; for an object of an
/// <c>s3://</c> root it is <c>s3://bucket/key</c> and <see cref="Store"/> reads it.
/// </remarks>
internal sealed record TrailFile(string Path, TrailObjectKey Key, ITrailObjectStore? Store = null, string? StoreKey = null);

/// <summary>Finds the files under the given paths and classifies each by CloudTrail's key layout.</summary>
internal static class TrailFileFinder
{
    /// <summary>
    /// Every file under <paramref name="paths"/> (folders recursively), sorted by path; paths that do not exist are
    /// returned in <paramref name="missing"/>, and named pipes, sockets and devices met inside folders, which are
    /// not read, in <paramref name="notRegular"/>.
    /// </summary>
    /// <remarks>
    /// A pipe named on the command line is read (<c>scan &lt;(aws s3 cp ... -)</c> is a pipe); one inside a folder
    /// would block the scan until something wrote to it.
    /// </remarks>
    public static IReadOnlyList<TrailFile> Find(IEnumerable<string> paths, out IReadOnlyList<string> missing, out IReadOnlyList<string> notRegular)
    {
        var files = new List<TrailFile>();
        var notFound = new List<string>();
        var special = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(Classify(path, explicitlyNamed: true));
            }
            else if (Directory.Exists(path))
            {
                // A mirror's metadata sidecars (X.metadata.json, the S3 user metadata of X) are not objects of the bucket.
                foreach (var file in Directory
                    .EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.None })
                    .Where(f => !f.EndsWith(Storage.LocalFolderTrailStore.MetadataSuffix, StringComparison.Ordinal)))
                {
                    if (Storage.UnixFileType.IsRegular(file))
                    {
                        files.Add(Classify(file, explicitlyNamed: false));
                    }
                    else
                    {
                        special.Add(file);
                    }
                }
            }
            else
            {
                notFound.Add(path);
            }
        }

        missing = notFound;
        notRegular = special.Distinct().Order(StringComparer.Ordinal).ToArray();
        return files.DistinctBy(f => System.IO.Path.GetFullPath(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every object of an <c>s3://</c> root, classified by its key.</summary>
    public static async Task<IReadOnlyList<TrailFile>> FindAsync(ITrailObjectStore store, string root, CancellationToken cancellationToken)
    {
        var files = new List<TrailFile>();
        await foreach (var stored in store.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            files.Add(new TrailFile($"{root.TrimEnd('/')}/{stored.Key}", TrailObjectKey.Classify(stored.Key), store, stored.Key));
        }

        return files;
    }

    // A file named on the command line is read as a log file even when its name does not follow CloudTrail's
    // layout (a responder's downloaded copy); inside folders only what the layout calls a log file is read.
    private static TrailFile Classify(string path, bool explicitlyNamed)
    {
        var full = System.IO.Path.GetFullPath(path);
        var key = TrailObjectKey.Classify(full.Replace('\\', '/'));
        if (explicitlyNamed && key.Kind == TrailObjectKind.Other)
        {
            key = key with { Kind = TrailObjectKind.LogFile };
        }

        return new TrailFile(path, key);
    }
}
