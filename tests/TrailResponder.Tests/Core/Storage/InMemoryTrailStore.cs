using System.Runtime.CompilerServices;
using TrailResponder.Core.Storage;

namespace TrailResponder.Tests.Core.Storage;

/// <summary>An <see cref="ITrailObjectStore"/> held in memory, for tests: objects with bytes, metadata and a last-modified time.</summary>
public sealed class InMemoryTrailStore : ITrailObjectStore
{
    private readonly SortedDictionary<string, Entry> objects = new(StringComparer.Ordinal);

    /// <summary>Keys whose reads fail as if the store could not be read (access denied).</summary>
    public HashSet<string> Unreadable { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys whose object cannot be read, content nor metadata, while the store can (e.g. a folder at its path), with the reason.</summary>
    public Dictionary<string, string> ObjectFaults { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys whose metadata cannot be read while their content can (e.g. a malformed sidecar), with the reason.</summary>
    public Dictionary<string, string> MetadataFaults { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Location => "memory";

    /// <summary>The keys held, in order.</summary>
    public IReadOnlyCollection<string> Keys => objects.Keys;

    /// <summary>Stores (or replaces) an object.</summary>
    public void Put(string key, byte[] content, IReadOnlyDictionary<string, string>? metadata = null, DateTimeOffset? lastModified = null) =>
        objects[key] = new Entry(content, metadata ?? new Dictionary<string, string>(), lastModified ?? DateTimeOffset.UnixEpoch);

    /// <summary>Removes an object.</summary>
    public void Remove(string key) => objects.Remove(key);

    /// <summary>The bytes of an object.</summary>
    public byte[] Content(string key) => objects[key].Content;

    /// <summary>The metadata of an object.</summary>
    public IReadOnlyDictionary<string, string> Metadata(string key) => objects[key].Metadata;

    /// <summary>The last-modified time of an object.</summary>
    public DateTimeOffset LastModified(string key) => objects[key].LastModified;

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ListedPrefixes.Add(prefix);
        foreach (var (key, entry) in objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new StoredObject(key, entry.Content.Length, entry.LastModified);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListFoldersAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var folders = objects.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.IndexOf('/', prefix.Length) > 0)
            .Select(k => k[..(k.IndexOf('/', prefix.Length) + 1)])
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        ListedFolders.Add(prefix);
        foreach (var folder in folders)
        {
            yield return folder;
        }
    }

    /// <summary>Every prefix whose objects were listed, in order.</summary>
    public List<string> ListedPrefixes { get; } = [];

    /// <summary>Every prefix whose folders were listed, in order: lets tests see how much of the store was walked.</summary>
    public List<string> ListedFolders { get; } = [];

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new MemoryStream(Find(key).Content, writable: false));

    /// <inheritdoc/>
    public Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string key, CancellationToken cancellationToken = default) =>
        MetadataFaults.TryGetValue(key, out var reason)
            ? throw TrailObjectStoreException.ForObject(key, reason)
            : Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(Find(key).Metadata, StringComparer.OrdinalIgnoreCase));

    private Entry Find(string key)
    {
        if (Unreadable.Contains(key))
        {
            throw new TrailObjectStoreException($"Access denied to '{key}'.");
        }

        if (ObjectFaults.TryGetValue(key, out var reason))
        {
            throw TrailObjectStoreException.ForObject(key, reason);
        }

        return objects.TryGetValue(key, out var entry) ? entry : throw new TrailObjectNotFoundException(key);
    }

    private sealed record Entry(byte[] Content, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset LastModified);
}
