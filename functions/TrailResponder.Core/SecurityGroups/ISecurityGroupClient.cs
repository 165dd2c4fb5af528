namespace TrailResponder.Core.SecurityGroups;

/// <summary>What the responder asks of EC2: describe a group's rules and tags, and revoke rules by id.</summary>
public interface ISecurityGroupClient
{
    /// <summary>Every rule of the group (DescribeSecurityGroupRules, all pages); empty when the group does not exist.</summary>
    Task<IReadOnlyList<DescribedSecurityGroupRule>> DescribeRulesAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>The group's tags (DescribeSecurityGroups); null when the group does not exist.</summary>
    Task<IReadOnlyDictionary<string, string>?> DescribeTagsAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes rules of one direction by id (RevokeSecurityGroupIngress/Egress with SecurityGroupRuleIds).
    /// A rule or group that is already gone counts as revoked (re-delivery is harmless); other failures throw
    /// after retries.
    /// </summary>
    Task<RevokeOutcome> RevokeRulesAsync(string groupId, bool isEgress, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken);
}

/// <summary>What a revocation did: the rule ids revoked now and those that were already gone.</summary>
public sealed record RevokeOutcome(IReadOnlyList<string> Revoked, IReadOnlyList<string> AlreadyGone);
