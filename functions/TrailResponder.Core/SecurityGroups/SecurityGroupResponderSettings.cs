using TrailResponder.Core.Delivery;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>How the responder acts: dry run or not, and the policy (environment variables listed in README).</summary>
/// <param name="DryRun">DRY_RUN: decide and notify without revoking (default false).</param>
/// <param name="Policy">The policy from ALLOWED_INGRESS_PORTS, EXEMPT_TAG and the other policy variables.</param>
public sealed record SecurityGroupResponderSettings(bool DryRun, SecurityGroupPolicyOptions Policy)
{
    /// <summary>The exemption tag as people write it (<c>Key=Value</c>), for notices; null when exemption by tag is off.</summary>
    public string? ExemptTagText => Policy.ExemptTag is { } tag ? (tag.Value is null ? tag.Key : $"{tag.Key}={tag.Value}") : null;

    /// <summary>Reads the settings, adding each problem (naming its variable) to <paramref name="problems"/>.</summary>
    public static SecurityGroupResponderSettings Read(IReadOnlyDictionary<string, string?> environment, List<string> problems)
    {
        var dryRun = EnvironmentValue.Boolean(environment, "DRY_RUN", defaultValue: false, problems);
        try
        {
            return new SecurityGroupResponderSettings(dryRun, SecurityGroupPolicyOptions.FromEnvironment(environment));
        }
        catch (SecurityGroupPolicyException e)
        {
            problems.AddRange(e.Problems);
            return new SecurityGroupResponderSettings(dryRun, SecurityGroupPolicyOptions.Default);
        }
    }
}
