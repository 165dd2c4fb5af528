namespace TrailResponder.SampleTrail;

/// <summary>One EC2 <c>IpPermission</c>: a protocol and port range and the sources (or destinations) it opens to.</summary>
/// <param name="IpProtocol"><c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>icmpv6</c>, <c>-1</c> (all) or a protocol number.</param>
/// <param name="FromPort">Start port (ICMP type); null for all traffic.</param>
/// <param name="ToPort">End port (ICMP code); null for all traffic.</param>
public sealed record SecurityGroupPermission(string IpProtocol, int? FromPort, int? ToPort)
{
    /// <summary>IPv4 CIDRs (<c>ipRanges</c>).</summary>
    public IReadOnlyList<string> Ipv4Cidrs { get; init; } = [];

    /// <summary>IPv6 CIDRs (<c>ipv6Ranges</c>).</summary>
    public IReadOnlyList<string> Ipv6Cidrs { get; init; } = [];

    /// <summary>Managed prefix lists (<c>prefixListIds</c>).</summary>
    public IReadOnlyList<string> PrefixListIds { get; init; } = [];

    /// <summary>Referenced security groups (<c>groups</c>).</summary>
    public IReadOnlyList<string> ReferencedGroupIds { get; init; } = [];

    /// <summary>The rule description, repeated on every source.</summary>
    public string? Description { get; init; }

    /// <summary>TCP on one port from the given CIDRs; CIDRs containing ':' are IPv6.</summary>
    public static SecurityGroupPermission Tcp(int port, params string[] cidrs) => Ports("tcp", port, port, cidrs);

    /// <summary>A protocol and port range from the given CIDRs; CIDRs containing ':' are IPv6.</summary>
    public static SecurityGroupPermission Ports(string ipProtocol, int fromPort, int toPort, params string[] cidrs) =>
        new(ipProtocol, fromPort, toPort)
        {
            Ipv4Cidrs = [.. cidrs.Where(c => !c.Contains(':', StringComparison.Ordinal))],
            Ipv6Cidrs = [.. cidrs.Where(c => c.Contains(':', StringComparison.Ordinal))],
        };

    /// <summary>All protocols and ports (<c>-1</c>) from the given CIDRs.</summary>
    public static SecurityGroupPermission AllTraffic(params string[] cidrs) =>
        new("-1", null, null)
        {
            Ipv4Cidrs = [.. cidrs.Where(c => !c.Contains(':', StringComparison.Ordinal))],
            Ipv6Cidrs = [.. cidrs.Where(c => c.Contains(':', StringComparison.Ordinal))],
        };
}
