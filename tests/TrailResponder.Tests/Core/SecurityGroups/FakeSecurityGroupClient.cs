using TrailResponder.Cli.Local;
using TrailResponder.Core.SecurityGroups;

namespace TrailResponder.Tests.Core.SecurityGroups;

/// <summary>
/// The command line's in-memory EC2 (groups with rules and tags; revoking removes rules, as EC2 does), with what the
/// tests ask of it besides: how often it was called, and a revoke that fails on demand.
/// </summary>
internal sealed class FakeSecurityGroupClient : ISecurityGroupClient
{
    private readonly LocalSecurityGroups _groups = new();

    public List<(string GroupId, bool IsEgress, IReadOnlyList<string> RuleIds)> RevokeCalls { get; } = [];

    public int DescribeRulesCalls { get; private set; }

    public int DescribeTagsCalls { get; private set; }

    public Exception? RevokeFailure { get; set; }

    public void AddGroup(string groupId, IReadOnlyDictionary<string, string>? tags = null) =>
        _groups.AddGroup(groupId, new Dictionary<string, string>(tags ?? new Dictionary<string, string>()));

    public void AddRule(DescribedSecurityGroupRule rule) => _groups.AddRule(rule);

    public IReadOnlyList<string> RuleIds(string groupId) => _groups.Rules(groupId).Select(r => r.RuleId).ToList();

    public Task<IReadOnlyList<DescribedSecurityGroupRule>> DescribeRulesAsync(string groupId, CancellationToken cancellationToken)
    {
        DescribeRulesCalls++;
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
