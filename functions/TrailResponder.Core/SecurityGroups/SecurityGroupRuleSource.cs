using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>Which kind of source (ingress) or destination (egress) a security-group rule names.</summary>
public enum SecurityGroupRuleSourceKind
{
    /// <summary>An IPv4 CIDR block (<c>cidrIp</c> / <c>cidrIpv4</c>).</summary>
    Ipv4Cidr,

    /// <summary>An IPv6 CIDR block (<c>cidrIpv6</c>).</summary>
    Ipv6Cidr,

    /// <summary>A managed prefix list (<c>pl-...</c>).</summary>
    PrefixList,

    /// <summary>Another security group (<c>sg-...</c>), possibly in another account.</summary>
    SecurityGroup,
}

/// <summary>
/// The one peer a security-group rule names. CIDRs are parsed once, here, so that deciding is only comparisons.
/// </summary>
public sealed record SecurityGroupRuleSource
{
    private SecurityGroupRuleSource(SecurityGroupRuleSourceKind kind, string value, string? userId, bool isWorldOpen)
    {
        Kind = kind;
        Value = value;
        UserId = userId;
        IsWorldOpen = isWorldOpen;
    }

    /// <summary>What the peer is.</summary>
    public SecurityGroupRuleSourceKind Kind { get; }

    /// <summary>The CIDR in canonical text (lower-case, compressed IPv6), the prefix list id, or the group id.</summary>
    public string Value { get; }

    /// <summary>Security-group peers only: the account owning the referenced group, when the record says.</summary>
    public string? UserId { get; }

    /// <summary>True for a CIDR with prefix length 0 (<c>0.0.0.0/0</c>, <c>::/0</c>): the whole internet.</summary>
    public bool IsWorldOpen { get; }

    /// <summary>An IPv4 CIDR such as <c>0.0.0.0/0</c>.</summary>
    /// <exception cref="FormatException">The text is not an IPv4 CIDR.</exception>
    public static SecurityGroupRuleSource Ipv4Cidr(string cidr) => Cidr(cidr, AddressFamily.InterNetwork, 32, SecurityGroupRuleSourceKind.Ipv4Cidr);

    /// <summary>An IPv6 CIDR such as <c>::/0</c>.</summary>
    /// <exception cref="FormatException">The text is not an IPv6 CIDR.</exception>
    public static SecurityGroupRuleSource Ipv6Cidr(string cidr) => Cidr(cidr, AddressFamily.InterNetworkV6, 128, SecurityGroupRuleSourceKind.Ipv6Cidr);

    /// <summary>A managed prefix list. Its entries are unknown here, so it never counts as world-open.</summary>
    public static SecurityGroupRuleSource PrefixList(string prefixListId) =>
        new(SecurityGroupRuleSourceKind.PrefixList, RequireText(prefixListId, "prefix list id"), null, false);

    /// <summary>A referenced security group, optionally with its owner account.</summary>
    public static SecurityGroupRuleSource SecurityGroup(string groupId, string? userId = null) =>
        new(SecurityGroupRuleSourceKind.SecurityGroup, RequireText(groupId, "group id"), string.IsNullOrEmpty(userId) ? null : userId, false);

    /// <summary>The peer as written in a rule: the CIDR or id.</summary>
    public override string ToString() => Value;

    /// <summary>Same peer, ignoring the optional owner account (EC2 matches group references by id).</summary>
    internal bool SamePeerAs(SecurityGroupRuleSource other) =>
        Kind == other.Kind && string.Equals(Value, other.Value, StringComparison.Ordinal);

    private static SecurityGroupRuleSource Cidr(string cidr, AddressFamily family, int maxPrefix, SecurityGroupRuleSourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        var text = cidr.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var familyName = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

        // A bare address is a host route; EC2 itself requires the prefix, but a missing one must not read as /0.
        var addressText = slash < 0 ? text : text[..slash];
        var prefix = maxPrefix;
        if (slash >= 0
            && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            throw new FormatException($"'{cidr}' is not an {familyName} CIDR (bad prefix length)");
        }

        if (!IPAddress.TryParse(addressText, out var address) || address.AddressFamily != family)
        {
            throw new FormatException($"'{cidr}' is not an {familyName} CIDR");
        }

        var canonical = address.ToString() + "/" + prefix.ToString(CultureInfo.InvariantCulture);
        return new SecurityGroupRuleSource(kind, canonical, null, prefix == 0);
    }

    private static string RequireText(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? throw new FormatException($"empty {what}") : value;
    }
}
