using System.Text;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Streams;

namespace TrailResponder.Core.Rules;

/// <summary>One file of rules as read: its path (for messages and ids) and its text.</summary>
public sealed record RuleText(string Path, string Text)
{
    /// <summary>The largest rules file read, in bytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The most files one location (a folder or prefix) may hold.</summary>
    public const int MaxFilesPerLocation = 10_000;

    /// <summary>Whether a file in a folder is read as rules: Sigma's <c>.yml</c> and <c>.yaml</c> (a file named directly may have any name).</summary>
    public static bool IsRuleFileName(string path) =>
        path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a file's text, refusing more than <see cref="MaxFileBytes"/>.</summary>
    /// <exception cref="FormatException">The file is larger than the bound, or is not UTF-8.</exception>
    public static async Task<RuleText> ReadAsync(Stream content, string path, CancellationToken cancellationToken = default)
    {
        await using (content.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await new BoundedReadStream(content, MaxFileBytes, $"{path}: the rules file").CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            try
            {
                return new RuleText(path, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            }
            catch (DecoderFallbackException)
            {
                throw new FormatException($"{path}: the rules file is not UTF-8 text.");
            }
        }
    }

    /// <summary>
    /// The rules under a location of a store: every <c>.yml</c>/<c>.yaml</c> object under <paramref name="prefix"/> when it
    /// ends in '/', else the one object <paramref name="prefix"/>; named <c>{name}{key}</c> in messages.
    /// </summary>
    /// <exception cref="FormatException">A file is too large or not text, or the folder holds more than <see cref="MaxFilesPerLocation"/> files.</exception>
    public static async Task<IReadOnlyList<RuleText>> ReadAllAsync(ITrailObjectStore store, string prefix, string name, CancellationToken cancellationToken = default)
    {
        if (!prefix.EndsWith('/') && prefix.Length > 0)
        {
            return [await ReadAsync(await store.OpenReadAsync(prefix, cancellationToken).ConfigureAwait(false), name + prefix, cancellationToken).ConfigureAwait(false)];
        }

        var keys = new List<string>();
        await foreach (var item in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (IsRuleFileName(item.Key))
            {
                keys.Add(item.Key);
                if (keys.Count > MaxFilesPerLocation)
                {
                    throw new FormatException($"{name}{prefix}: more than {MaxFilesPerLocation:N0} rules files");
                }
            }
        }

        var texts = new List<RuleText>();
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            texts.Add(await ReadAsync(await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false), name + key, cancellationToken).ConfigureAwait(false));
        }

        return texts;
    }
}
