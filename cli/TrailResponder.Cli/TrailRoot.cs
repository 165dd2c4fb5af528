using TrailResponder.Cli.Storage;
using TrailResponder.Core.Storage;

namespace TrailResponder.Cli;

/// <summary>Opens what a command names as ROOT: a local folder that mirrors a trail bucket, or <c>s3://bucket[/prefix]</c>.</summary>
internal static class TrailRoot
{
    /// <summary>True for <c>s3://</c> roots.</summary>
    public static bool IsS3(string root) => root.StartsWith("s3://", StringComparison.Ordinal);

    /// <summary>The store for the root.</summary>
    /// <exception cref="CliUsageException">The root is malformed or not a folder.</exception>
    /// <exception cref="AwsAccessException">AWS is not configured for an s3:// root.</exception>
    public static ITrailObjectStore Open(string root, CliEnvironment environment, string? profile, string? region)
    {
        if (!IsS3(root))
        {
            return Directory.Exists(root)
                ? new LocalFolderTrailStore(root)
                : throw new CliUsageException($"{root}: no such folder (give a folder that mirrors a trail bucket, or s3://bucket[/prefix])");
        }

        if (!AwsAccess.TryParseS3Url(root, out var bucket, out var prefix))
        {
            throw new CliUsageException($"{root}: expected s3://bucket[/prefix]");
        }

        return environment.Aws(profile, region).TrailStore(bucket, prefix.Length == 0 ? null : prefix);
    }
}
