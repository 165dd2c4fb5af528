using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Cli.Local;

/// <summary>EC2 replaced by memory: groups with tags and rules; revoking removes rules, a rule already gone counts as gone.</summary>
internal sealed class LocalSecurityGroups : ISecurityGroupClient
{
    private readonly Dictionary<string, (IReadOnlyDictionary<string, string> Tags, List<DescribedSecurityGroupRule> Rules)> _groups = new(StringComparer.Ordinal);

    public void AddGroup(string groupId, IReadOnlyDictionary<string, string> tags) => _groups[groupId] = (tags, []);

    public void AddRule(DescribedSecurityGroupRule rule) => _groups[rule.GroupId].Rules.Add(rule);

    public IReadOnlyList<DescribedSecurityGroupRule> Rules(string groupId) => _groups.TryGetValue(groupId, out var group) ? group.Rules.ToList() : [];

    public Task<IReadOnlyList<DescribedSecurityGroupRule>> DescribeRulesAsync(string groupId, CancellationToken cancellationToken) =>
        Task.FromResult(Rules(groupId));

    public Task<IReadOnlyDictionary<string, string>?> DescribeTagsAsync(string groupId, CancellationToken cancellationToken) =>
        Task.FromResult(_groups.TryGetValue(groupId, out var group) ? group.Tags : null);

    public Task<RevokeOutcome> RevokeRulesAsync(string groupId, bool isEgress, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken)
    {
        var rules = _groups.TryGetValue(groupId, out var group) ? group.Rules : [];
        var revoked = ruleIds.Where(id => rules.RemoveAll(r => r.RuleId == id && r.IsEgress == isEgress) > 0).ToList();
        return Task.FromResult(new RevokeOutcome(revoked, ruleIds.Except(revoked).ToList()));
    }
}
