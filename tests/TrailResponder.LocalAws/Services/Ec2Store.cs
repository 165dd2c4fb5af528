namespace TrailResponder.LocalAws.Services;

/// <summary>A security group with its tags.</summary>
public sealed record SecurityGroup(string GroupId, string GroupName, string Description, string VpcId, string OwnerId, IReadOnlyDictionary<string, string> Tags);

/// <summary>One security group rule with exactly one source (CIDR, IPv6 CIDR, prefix list or referenced group), as DescribeSecurityGroupRules shows it.</summary>
public sealed record SecurityGroupRule(
    string RuleId,
    string GroupId,
    bool IsEgress,
    string IpProtocol,
    int? FromPort,
    int? ToPort,
    string? CidrIpv4,
    string? CidrIpv6,
    string? PrefixListId,
    string? ReferencedGroupId,
    string? Description,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>EC2 state: security groups and their rules, in creation order.</summary>
public sealed class Ec2Store(string accountId)
{
    private readonly Lock _lock = new();
    private readonly List<SecurityGroup> _groups = [];
    private readonly List<SecurityGroupRule> _rules = [];
    private long _nextRule = 0x1000;

    public SecurityGroup AddSecurityGroup(string groupId, string groupName, string vpcId = "vpc-0a1b2c3d4e5f60000", IReadOnlyDictionary<string, string>? tags = null, string description = "")
    {
        var group = new SecurityGroup(groupId, groupName, description, vpcId, accountId, new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal));
        lock (_lock)
        {
            if (_groups.Any(g => g.GroupId == groupId))
            {
                throw new InvalidOperationException($"Security group {groupId} already exists.");
            }
            _groups.Add(group);
        }
        return group;
    }

    /// <summary>Adds a rule to an existing group and returns it with its new sgr- id.</summary>
    public SecurityGroupRule AddRule(
        string groupId,
        bool isEgress,
        string ipProtocol,
        int? fromPort = null,
        int? toPort = null,
        string? cidrIpv4 = null,
        string? cidrIpv6 = null,
        string? prefixListId = null,
        string? referencedGroupId = null,
        string? description = null,
        IReadOnlyDictionary<string, string>? tags = null)
    {
        lock (_lock)
        {
            if (!_groups.Any(g => g.GroupId == groupId))
            {
                throw new InvalidOperationException($"Security group {groupId} does not exist; add it first.");
            }
            var rule = new SecurityGroupRule(
                $"sgr-{_nextRule++:x17}", groupId, isEgress, ipProtocol, fromPort, toPort, cidrIpv4, cidrIpv6, prefixListId, referencedGroupId, description,
                new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal));
            _rules.Add(rule);
            return rule;
        }
    }

    /// <summary>
    /// Changes a rule in place, as ModifySecurityGroupRules (the console's "Edit inbound rules") does: same id, group,
    /// direction and tags, new protocol, ports, peer and description. Returns the rule as it is now.
    /// </summary>
    public SecurityGroupRule ModifyRule(
        string ruleId,
        string ipProtocol,
        int? fromPort = null,
        int? toPort = null,
        string? cidrIpv4 = null,
        string? cidrIpv6 = null,
        string? prefixListId = null,
        string? referencedGroupId = null,
        string? description = null)
    {
        lock (_lock)
        {
            var index = _rules.FindIndex(r => r.RuleId == ruleId);
            if (index < 0)
            {
                throw new InvalidOperationException($"Security group rule {ruleId} does not exist.");
            }
            _rules[index] = _rules[index] with
            {
                IpProtocol = ipProtocol,
                FromPort = fromPort,
                ToPort = toPort,
                CidrIpv4 = cidrIpv4,
                CidrIpv6 = cidrIpv6,
                PrefixListId = prefixListId,
                ReferencedGroupId = referencedGroupId,
                Description = description,
            };
            return _rules[index];
        }
    }

    /// <summary>Removes a rule by id, as a person revoking it by hand would; false when there is no such rule.</summary>
    public bool RemoveRule(string ruleId)
    {
        lock (_lock)
        {
            return _rules.RemoveAll(r => r.RuleId == ruleId) > 0;
        }
    }

    public IReadOnlyList<SecurityGroupRule> Rules(string groupId)
    {
        lock (_lock)
        {
            return [.. _rules.Where(r => r.GroupId == groupId)];
        }
    }

    public IReadOnlyList<SecurityGroup> Groups
    {
        get
        {
            lock (_lock)
            {
                return [.. _groups];
            }
        }
    }

    internal IReadOnlyList<SecurityGroupRule> AllRules
    {
        get
        {
            lock (_lock)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>Replaces rules of one group in one step, so a modification is all-or-nothing; <paramref name="update"/> throws to refuse.</summary>
    internal void Modify(string groupId, Func<IReadOnlyList<SecurityGroupRule>, IReadOnlyList<SecurityGroupRule>> update)
    {
        lock (_lock)
        {
            foreach (var replacement in update([.. _rules.Where(r => r.GroupId == groupId)]))
            {
                _rules[_rules.FindIndex(r => r.RuleId == replacement.RuleId)] = replacement;
            }
        }
    }

    /// <summary>Chooses and removes rules of one group in one step, so a revoke is all-or-nothing; the chooser throws to refuse.</summary>
    internal IReadOnlyList<SecurityGroupRule> Revoke(string groupId, bool isEgress, Func<IReadOnlyList<SecurityGroupRule>, IReadOnlyList<SecurityGroupRule>> choose)
    {
        lock (_lock)
        {
            var chosen = choose([.. _rules.Where(r => r.GroupId == groupId && r.IsEgress == isEgress)]);
            foreach (var rule in chosen)
            {
                _rules.Remove(rule);
            }
            return chosen;
        }
    }
}
