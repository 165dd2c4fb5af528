using TrailResponder.Cli.Local;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Tests.Core.SecurityGroups;

/// <summary>
/// The command line's in-memory EC2 (groups with rules and tags; revoking removes rules, as EC2 does), with what the
/// tests ask of it besides: how often it was called, rules changed or removed by hand, and calls that fail on demand.
/// </summary>
internal sealed class FakeSecurityGroupClient : ISecurityGroupClient
{
    private readonly LocalSecurityGroups _groups = new();

    public List<(string GroupId, bool IsEgress, IReadOnlyList<string> RuleIds)> RevokeCalls { get; } = [];

    public int DescribeRulesCalls { get; private set; }

    public int DescribeTagsCalls { get; private set; }

    public Exception? RevokeFailure { get; set; }

    public Exception? DescribeRulesFailure { get; set; }

    public void AddGroup(string groupId, IReadOnlyDictionary<string, string>? tags = null) =>
        _groups.AddGroup(groupId, new Dictionary<string, string>(tags ?? new Dictionary<string, string>()));

    public void AddRule(DescribedSecurityGroupRule rule) => _groups.AddRule(rule);

    public IReadOnlyList<string> RuleIds(string groupId) => _groups.Rules(groupId).Select(r => r.RuleId).ToList();

    public IReadOnlyList<DescribedSecurityGroupRule> Rules(string groupId) => _groups.Rules(groupId);

    /// <summary>What a person fixing a rule in place does (ModifySecurityGroupRules): the rule keeps its id and direction.</summary>
    public void ChangeRule(DescribedSecurityGroupRule changed)
    {
        RemoveRule(changed.GroupId, changed.RuleId);
        _groups.AddRule(changed);
    }

    /// <summary>What a person revoking a rule by hand does.</summary>
    public void RemoveRule(string groupId, string ruleId)
    {
        var rule = _groups.Rules(groupId).Single(r => r.RuleId == ruleId);
        _groups.RevokeRulesAsync(groupId, rule.IsEgress, [ruleId], CancellationToken.None).GetAwaiter().GetResult();
    }

    public Task<IReadOnlyList<DescribedSecurityGroupRule>> DescribeRulesAsync(string groupId, CancellationToken cancellationToken)
    {
        DescribeRulesCalls++;
        if (DescribeRulesFailure is not null)
        {
            throw DescribeRulesFailure;
        }

        return _groups.DescribeRulesAsync(groupId, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>?> DescribeTagsAsync(string groupId, CancellationToken cancellationToken)
    {
        DescribeTagsCalls++;
        return _groups.DescribeTagsAsync(groupId, cancellationToken);
    }

    public Task<RevokeOutcome> RevokeRulesAsync(string groupId, bool isEgress, IReadOnlyList<string> ruleIds, CancellationToken cancellationToken)
    {
        RevokeCalls.Add((groupId, isEgress, ruleIds));
        if (RevokeFailure is not null)
        {
            throw RevokeFailure;
        }

        return _groups.RevokeRulesAsync(groupId, isEgress, ruleIds, cancellationToken);
    }
}
