using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Tests.Core.SecurityGroups;

/// <summary>An EC2 double holding groups with rules and tags; revoking removes rules, as EC2 does.</summary>
internal sealed class FakeSecurityGroupClient : ISecurityGroupClient
{
    private readonly Dictionary<string, (Dictionary<string, string> Tags, List<DescribedSecurityGroupRule> Rules)> _groups = [];

    public List<(string GroupId, bool IsEgress, IReadOnlyList<string> RuleIds)> RevokeCalls { get; } = [];

    public int DescribeRulesCalls { get; private set; }

    public int DescribeTagsCalls { get; private set; }

    public Exception? RevokeFailure { get; set; }

    public void AddGroup(string groupId, IReadOnlyDictionary<string, string>? tags = null) =>
        _groups[groupId] = (new Dictionary<string, string>(tags ?? new Dictionary<string, string>()), []);

    public void AddRule(DescribedSecurityGroupRule rule) => _groups[rule.GroupId].Rules.Add(rule);

    public IReadOnlyList<string> RuleIds(string groupId) => _groups[groupId].Rules.Select(r => r.RuleId).ToList();

    public Task<IReadOnlyList<DescribedSecurityGroupRule>> DescribeRulesAsync(string groupId, CancellationToken cancellationToken)
    {
        DescribeRulesCalls++;
        return Task.FromResult<IReadOnlyList<DescribedSecurityGroupRule>>(_groups.TryGetValue(groupId, out var group) ? group.Rules.ToList() : []);
    }

    public Task<IReadOnlyDictionary<string, string>?> DescribeTagsAsync(string groupId, CancellationToken cancellationToken)
    {
        DescribeTagsCalls++;
        return Task.FromResult<IReadOnlyDictionary<string, string>?>(_groups.TryGetValue(groupId, out var group) ? group.Tags : null);
    }

    public Task<RevokeOutcome> RevokeRulesAsync(string groupId, bool isEgress, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken)
    {
        RevokeCalls.Add((groupId, isEgress, ruleIds));
        if (RevokeFailure is not null)
        {
            throw RevokeFailure;
        }

        var rules = _groups.TryGetValue(groupId, out var group) ? group.Rules : [];
        var revoked = ruleIds.Where(id => rules.RemoveAll(r => r.RuleId == id && r.IsEgress == isEgress) > 0).ToList();
        return Task.FromResult(new RevokeOutcome(revoked, ruleIds.Except(revoked).ToList()));
    }
}
