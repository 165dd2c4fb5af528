using System.Runtime.CompilerServices;
using System.Text.Json;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Streams;

namespace TrailResponder.Cli.Storage;

/// <summary>An <see cref="ITrailObjectStore"/> over a local folder that mirrors a trail bucket (it contains <c>AWSLogs/...</c>).</summary>
/// <remarks>
/// Keys are paths relative to the folder with forward slashes. A folder has no S3 user metadata, so the metadata of object
/// <c>X</c> is read from the sidecar file <c>X.metadata.json</c> (a JSON object of strings, e.g.
/// <c>{"signature": "...", "signature-algorithm": "SHA256withRSA"}</c>); sidecars are not listed as objects.
/// </remarks>
public sealed class LocalFolderTrailStore : ITrailObjectStore
{
    /// <summary>The suffix of the file holding an object's user metadata.</summary>
    public const string MetadataSuffix = ".metadata.json";

    /// <summary>The largest metadata sidecar read: S3 allows 2 KB of user metadata, so anything near this is not a sidecar.</summary>
    public const int MaxMetadataBytes = 64 * 1024;

    private const string AmzMetaPrefix = "x-amz-meta-";
    private readonly string root;

    /// <summary>Creates a store over <paramref name="rootDirectory"/>; nothing is read until asked.</summary>
    public LocalFolderTrailStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
    }

    /// <inheritdoc/>
    public string Location => root;

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await Task.Yield();
        List<StoredObject> objects;
        try
        {
            if (!Directory.Exists(root))
            {
                throw new TrailObjectStoreException($"Folder '{root}' does not exist.");
            }

            // S3 lists keys in ascending order; a directory walk does not, so collect and sort.
            objects = [];
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.None };
            // Walk only the folder the prefix names (its part up to the last '/'), not the whole mirror.
            var start = Path.Combine(root, prefix[..(prefix.LastIndexOf('/') + 1)].Replace('/', Path.DirectorySeparatorChar));
            var files = Directory.Exists(start) ? Directory.EnumerateFiles(start, "*", options) : [];
            foreach (var path in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
                if (key.EndsWith(MetadataSuffix, StringComparison.Ordinal) || !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var info = new FileInfo(path);
                objects.Add(new StoredObject(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TrailObjectStoreException($"Folder '{root}' could not be listed: {ex.Message}", ex);
        }

        objects.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var stored in objects)
        {
            yield return stored;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await Task.Yield();
        if (!Directory.Exists(root))
        {
            throw new TrailObjectStoreException($"Folder '{root}' does not exist.");
        }

        var folder = Path.Combine(root, prefix.Replace('/', Path.DirectorySeparatorChar));
        if ((prefix.Length > 0 && !prefix.EndsWith('/')) || !Directory.Exists(folder))
        {
            yield break;
        }

        string[] names;
        try
        {
            names = Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TrailObjectStoreException($"Folder '{folder}' could not be listed: {ex.Message}", ex);
        }

        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return prefix + name + "/";
        }
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        ThrowIfFolder(key, path);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TrailObjectNotFoundException(key, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder was listed, so the fault is this file's (permissions, a lock): other files can still be read.
            throw TrailObjectStoreException.ForObject(key, $"File '{path}' could not be read: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        ThrowIfFolder(key, path);
        if (!File.Exists(path))
        {
            throw new TrailObjectNotFoundException(key);
        }

        var sidecar = path + MetadataSuffix;
        ThrowIfFolder(key, sidecar);
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(sidecar))
        {
            return metadata;
        }

        JsonDocument document;
        try
        {
            var stream = new FileStream(sidecar, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                document = await JsonDocument.ParseAsync(new BoundedReadStream(stream, MaxMetadataBytes, $"Metadata file '{sidecar}'"), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw TrailObjectStoreException.ForObject(key, $"Metadata file '{sidecar}' is not valid JSON: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw TrailObjectStoreException.ForObject(key, ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw TrailObjectStoreException.ForObject(key, $"Metadata file '{sidecar}' could not be read: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw TrailObjectStoreException.ForObject(key, $"Metadata file '{sidecar}' must hold a JSON object of strings, found {document.RootElement.ValueKind}.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw TrailObjectStoreException.ForObject(key, $"Metadata file '{sidecar}', field '{property.Name}': expected a string, found {property.Value.ValueKind}.");
                }

                // Accept the header spelling too (x-amz-meta-signature), as S3 tools print it.
                var name = property.Name.StartsWith(AmzMetaPrefix, StringComparison.OrdinalIgnoreCase) ? property.Name[AmzMetaPrefix.Length..] : property.Name;
                metadata[name] = property.Value.GetString()!;
            }
        }

        return metadata;
    }

    // A folder where a file should be (a listed log file replaced by a folder, say) is that one object's fault.
    private static void ThrowIfFolder(string key, string path)
    {
        if (Directory.Exists(path))
        {
            throw TrailObjectStoreException.ForObject(key, $"'{path}' is a folder, not a file.");
        }
    }

    // Keys come from digests, which an attacker may have written: never let one reach outside the folder.
    private string PathOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var path = Path.GetFullPath(Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (Path.IsPathRooted(key) || !path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new TrailObjectNotFoundException(key);
        }

        return path;
    }
}
