namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// A rule as EC2's DescribeSecurityGroupRules reports it now: what the AWS layer hands back for matching.
/// </summary>
/// <remarks>
/// Mirrors one <c>securityGroupRuleSet</c> item: id, group, direction, protocol, ports and exactly one of
/// <c>cidrIpv4</c> / <c>cidrIpv6</c> / <c>prefixListId</c> / <c>referencedGroupInfo</c>, carried as
/// <see cref="Source"/> so that the CIDR is parsed when the rule is built, not on every decision.
/// </remarks>
public sealed record DescribedSecurityGroupRule
{
    /// <summary>The rule id (<c>sgr-...</c>).</summary>
    public required string RuleId { get; init; }

    /// <summary>The group holding the rule (<c>sg-...</c>).</summary>
    public required string GroupId { get; init; }

    /// <summary>The account owning the group, when known.</summary>
    public string? GroupOwnerId { get; init; }

    /// <summary>True for an egress rule, false for ingress.</summary>
    public required bool IsEgress { get; init; }

    /// <summary>The IP protocol (<c>ipProtocol</c>).</summary>
    public required SecurityGroupProtocol Protocol { get; init; }

    /// <summary><c>fromPort</c>; -1 for all.</summary>
    public int? FromPort { get; init; }

    /// <summary><c>toPort</c>; -1 for all.</summary>
    public int? ToPort { get; init; }

    /// <summary>The peer: <c>cidrIpv4</c>, <c>cidrIpv6</c>, <c>prefixListId</c> or <c>referencedGroupInfo.groupId</c>.</summary>
    public required SecurityGroupRuleSource Source { get; init; }

    /// <summary>The rule's description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// Builds a described rule from the fields of a DescribeSecurityGroupRules item as EC2 writes them.
    /// </summary>
    /// <exception cref="FormatException">The protocol or a CIDR is malformed, or not exactly one peer is given.</exception>
    public static DescribedSecurityGroupRule Create(
        string ruleId,
        string groupId,
        bool isEgress,
        string ipProtocol,
        int? fromPort,
        int? toPort,
        string? cidrIpv4 = null,
        string? cidrIpv6 = null,
        string? prefixListId = null,
        string? referencedGroupId = null,
        string? referencedUserId = null,
        string? description = null,
        string? groupOwnerId = null)
    {
        var peers = (cidrIpv4 is null ? 0 : 1) + (cidrIpv6 is null ? 0 : 1) + (prefixListId is null ? 0 : 1) + (referencedGroupId is null ? 0 : 1);
        if (peers != 1)
        {
            throw new FormatException($"rule {ruleId} must name exactly one of cidrIpv4, cidrIpv6, prefixListId, referencedGroupId; it names {peers}");
        }

        var source = cidrIpv4 is not null ? SecurityGroupRuleSource.Ipv4Cidr(cidrIpv4)
            : cidrIpv6 is not null ? SecurityGroupRuleSource.Ipv6Cidr(cidrIpv6)
            : prefixListId is not null ? SecurityGroupRuleSource.PrefixList(prefixListId)
            : SecurityGroupRuleSource.SecurityGroup(referencedGroupId!, referencedUserId);

        return new DescribedSecurityGroupRule
        {
            RuleId = ruleId,
            GroupId = groupId,
            GroupOwnerId = groupOwnerId,
            IsEgress = isEgress,
            Protocol = SecurityGroupProtocol.Parse(ipProtocol),
            FromPort = fromPort,
            ToPort = toPort,
            Source = source,
            Description = description,
        };
    }

    /// <summary><c>cidrIpv4</c> as described, or null.</summary>
    public string? CidrIpv4 => Source.Kind == SecurityGroupRuleSourceKind.Ipv4Cidr ? Source.Value : null;

    /// <summary><c>cidrIpv6</c> as described, or null.</summary>
    public string? CidrIpv6 => Source.Kind == SecurityGroupRuleSourceKind.Ipv6Cidr ? Source.Value : null;

    /// <summary><c>prefixListId</c> as described, or null.</summary>
    public string? PrefixListId => Source.Kind == SecurityGroupRuleSourceKind.PrefixList ? Source.Value : null;

    /// <summary><c>referencedGroupInfo.groupId</c> as described, or null.</summary>
    public string? ReferencedGroupId => Source.Kind == SecurityGroupRuleSourceKind.SecurityGroup ? Source.Value : null;

    /// <summary>This rule as a <see cref="SecurityGroupRule"/>, so that the policy judges what EC2 holds now as it judges a record.</summary>
    public SecurityGroupRule ToRule() => new()
    {
        RuleId = RuleId,
        GroupId = GroupId,
        IsEgress = IsEgress,
        Protocol = Protocol,
        FromPort = FromPort,
        ToPort = ToPort,
        Source = Source,
        Description = Description,
    };

    /// <summary>For people: "tcp 22 from 10.3.0.0/16", "egress all traffic to 0.0.0.0/0".</summary>
    public string Describe() => IsEgress
        ? $"egress {ToRule().DescribeTraffic()} to {Source}"
        : $"{ToRule().DescribeTraffic()} from {Source}";

    /// <summary>
    /// True when this described rule is the one a requested permission created: same group (when the request
    /// names one), direction, protocol, ports and peer. Ports are ignored for all-traffic rules, whose ports EC2
    /// reports as -1 however the request wrote them.
    /// </summary>
    public bool Matches(SecurityGroupRule requested, bool isEgress)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (IsEgress != isEgress || Protocol != requested.Protocol || !Source.SamePeerAs(requested.Source))
        {
            return false;
        }

        if (requested.GroupId is not null && !string.Equals(GroupId, requested.GroupId, StringComparison.Ordinal))
        {
            return false;
        }

        if (Protocol.Kind == SecurityGroupProtocolKind.All)
        {
            return true;
        }

        return NormalizedPort(FromPort) == NormalizedPort(requested.FromPort)
            && NormalizedPort(ToPort) == NormalizedPort(requested.ToPort);
    }

    private static int NormalizedPort(int? port) => port is null or < 0 ? -1 : port.Value;
}
