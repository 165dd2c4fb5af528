using System.Globalization;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>
/// One rule a CloudTrail record says was added or changed: one protocol, one port range, one peer.
/// </summary>
/// <remarks>
/// An <c>ipPermissions</c> item with several CIDRs becomes several of these, as EC2 itself stores them,
/// so that a decision can condemn the world-open CIDR and keep its narrow siblings.
/// </remarks>
public sealed record SecurityGroupRule
{
    /// <summary>The rule id (<c>sgr-...</c>) when the record gives it; null for records older than rule ids.</summary>
    public string? RuleId { get; init; }

    /// <summary>The group the rule belongs to, when known.</summary>
    public string? GroupId { get; init; }

    /// <summary>True for egress, false for ingress, null when the record does not say (ModifySecurityGroupRules).</summary>
    public bool? IsEgress { get; init; }

    /// <summary>The IP protocol.</summary>
    public required SecurityGroupProtocol Protocol { get; init; }

    /// <summary>First port (ICMP type); null or -1 means all.</summary>
    public int? FromPort { get; init; }

    /// <summary>Last port (ICMP code); null or -1 means all.</summary>
    public int? ToPort { get; init; }

    /// <summary>The peer the rule opens to.</summary>
    public required SecurityGroupRuleSource Source { get; init; }

    /// <summary>The rule's description, if any.</summary>
    public string? Description { get; init; }

    /// <summary>The protocol and ports as a reader would write them: "tcp 22", "tcp 79-81", "icmp 8/-1", "all traffic".</summary>
    public string DescribeTraffic()
    {
        switch (Protocol.Kind)
        {
            case SecurityGroupProtocolKind.Tcp:
            case SecurityGroupProtocolKind.Udp:
                var (from, to) = PortSpan;
                var name = Protocol.WireValue;
                if (from == 0 && to == 65535) return name + " all ports";
                return from == to
                    ? string.Create(CultureInfo.InvariantCulture, $"{name} {from}")
                    : string.Create(CultureInfo.InvariantCulture, $"{name} {from}-{to}");
            case SecurityGroupProtocolKind.Icmp:
            case SecurityGroupProtocolKind.IcmpV6:
                var type = FromPort ?? -1;
                return type < 0
                    ? Protocol.WireValue + " (all types)"
                    : string.Create(CultureInfo.InvariantCulture, $"{Protocol.WireValue} type {type} code {ToPort ?? -1}");
            default:
                return Protocol.ToString();
        }
    }

    /// <summary>TCP/UDP only: the ports covered, with absent or -1 bounds read as the whole range.</summary>
    internal (int From, int To) PortSpan
    {
        get
        {
            var from = FromPort is null or < 0 ? 0 : FromPort.Value;
            var to = ToPort is null or < 0 ? 65535 : ToPort.Value;
            return (from, to);
        }
    }
}
