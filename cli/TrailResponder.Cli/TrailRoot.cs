using TrailResponder.Cli.Storage;
using TrailResponder.Core.Storage;

namespace TrailResponder.Cli;

/// <summary>Opens what a command names as ROOT: a local folder that mirrors a trail bucket, or <c>s3://bucket[/prefix]</c>.</summary>
internal static class TrailRoot
{
    /// <summary>True for <c>s3://</c> roots.</summary>
    public static bool IsS3(string root) => root.StartsWith("s3://", StringComparison.Ordinal);

    /// <summary>The store for the root.</summary>
    /// <exception cref="CliUsageException">The root is malformed, or AWS is not configured for an s3:// root.</exception>
    public static ITrailObjectStore Open(string root, CliEnvironment environment, string? profile, string? region)
    {
        if (!IsS3(root))
        {
            return Directory.Exists(root)
                ? new LocalFolderTrailStore(root)
                : throw new CliUsageException($"{root}: no such folder (give a folder that mirrors a trail bucket, or s3://bucket[/prefix])");
        }

        var path = root["s3://".Length..].Trim('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        if (bucket.Length == 0)
        {
            throw new CliUsageException($"{root}: expected s3://bucket[/prefix]");
        }

        return environment.Aws(profile, region).TrailStore(bucket, slash < 0 ? null : path[(slash + 1)..]);
    }
}
