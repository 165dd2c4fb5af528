using TrailResponder.Core.Trail;

namespace TrailResponder.Core.Digests;

/// <summary>Identifies one digest chain: CloudTrail keeps one per trail, account and region (backfill digests form their own).</summary>
public sealed record DigestChainId(string? Prefix, string? OrganizationId, string AccountId, string Region, string TrailName, string HomeRegion, bool IsBackfill)
{
    /// <summary>The chain a classified digest key belongs to.</summary>
    public static DigestChainId Of(TrailObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Kind != TrailObjectKind.DigestFile)
        {
            throw new ArgumentException($"'{key.Key}' is not a digest key.", nameof(key));
        }

        return new DigestChainId(key.Prefix, key.OrganizationId, key.AccountId!, key.Region!, key.TrailName!, key.HomeRegion!, key.IsBackfill);
    }

    /// <summary>The log-file folder this chain covers: prefix, organization, account and region.</summary>
    public LogFolderId LogFolder => new(Prefix, OrganizationId, AccountId, Region);

    /// <inheritdoc/>
    public override string ToString() =>
        $"trail {TrailName} (home {HomeRegion}), account {AccountId}, region {Region}{(IsBackfill ? ", backfill" : "")}";
}

/// <summary>Identifies the folder of log files of one account and region under one prefix.</summary>
public sealed record LogFolderId(string? Prefix, string? OrganizationId, string AccountId, string Region)
{
    /// <summary>The folder a classified log-file key is in.</summary>
    public static LogFolderId Of(TrailObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new LogFolderId(key.Prefix, key.OrganizationId, key.AccountId ?? "", key.Region ?? "");
    }
}
