using TrailResponder.Core.Rules;
using TrailResponder.Core.Sigma;
using TrailResponder.Core.Storage;

namespace TrailResponder.LogProcessor;

/// <summary>
/// Reads the rules RULES_LOCATION names: <c>s3://bucket/key</c> (one file), <c>s3://bucket/prefix/</c> (every
/// <c>.yml</c>/<c>.yaml</c> under the prefix), or a file or folder in the deployment package; several are separated
/// by commas. The command line reads its <c>--rules</c> paths the same way.
/// </summary>
public static class RuleLocations
{
    /// <summary>Loads the built-ins and every location's rules; problems are in the catalog's report, never thrown.</summary>
    public static async Task<RuleCatalog> LoadAsync(string locations, Func<string, ITrailObjectStore> stores, string packageRoot, CancellationToken cancellationToken = default)
    {
        var loader = new RuleLoader(SigmaReadOptions.Default);
        foreach (var location in locations.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                loader.Add(location, location.StartsWith("s3://", StringComparison.Ordinal)
                    ? await ReadS3Async(location, stores, cancellationToken).ConfigureAwait(false)
                    : await ReadLocalAsync(Path.IsPathRooted(location) ? location : Path.Combine(packageRoot, location), cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or TrailObjectStoreException or TrailObjectNotFoundException)
            {
                loader.AddError(location, $"{location}: {e.Message}");
            }
        }

        return loader.Build(BuiltInRules.All);
    }

    /// <summary>A local file (whatever its name), or a folder's <c>.yml</c>/<c>.yaml</c> files, recursively, in path order.</summary>
    /// <exception cref="FileNotFoundException">There is no such file or folder.</exception>
    /// <exception cref="FormatException">A file is too large or not text, or there are too many.</exception>
    public static async Task<IReadOnlyList<RuleText>> ReadLocalAsync(string path, CancellationToken cancellationToken = default)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(RuleText.IsRuleFileName).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"{path}: no such file or folder");
        if (files.Length > RuleText.MaxFilesPerLocation)
        {
            throw new FormatException($"{path}: more than {RuleText.MaxFilesPerLocation:N0} rules files");
        }

        var texts = new List<RuleText>();
        foreach (var file in files)
        {
            texts.Add(await RuleText.ReadAsync(File.OpenRead(file), file, cancellationToken).ConfigureAwait(false));
        }

        return texts;
    }

    private static Task<IReadOnlyList<RuleText>> ReadS3Async(string location, Func<string, ITrailObjectStore> stores, CancellationToken cancellationToken)
    {
        var path = location["s3://".Length..];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw new FormatException("not s3://bucket/key (a file) or s3://bucket/prefix/ (a folder)");
        }

        var bucket = path[..slash];
        return RuleText.ReadAllAsync(stores(bucket), path[(slash + 1)..], $"s3://{bucket}/", cancellationToken);
    }
}
