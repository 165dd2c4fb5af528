using System.Globalization;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>What family a security-group rule's IP protocol belongs to, which decides how its ports are read.</summary>
public enum SecurityGroupProtocolKind
{
    /// <summary>Protocol <c>-1</c>: every protocol and every port.</summary>
    All,

    /// <summary>TCP (<c>tcp</c> or <c>6</c>): ports are a range.</summary>
    Tcp,

    /// <summary>UDP (<c>udp</c> or <c>17</c>): ports are a range.</summary>
    Udp,

    /// <summary>ICMP (<c>icmp</c> or <c>1</c>): "ports" are an ICMP type and code.</summary>
    Icmp,

    /// <summary>ICMPv6 (<c>icmpv6</c> or <c>58</c>): "ports" are an ICMPv6 type and code.</summary>
    IcmpV6,

    /// <summary>Any other protocol number (ESP, GRE, ...): a whole protocol without ports.</summary>
    Other,
}

/// <summary>An EC2 <c>ipProtocol</c> value normalized, so that <c>"6"</c> and <c>"tcp"</c> compare equal.</summary>
public readonly record struct SecurityGroupProtocol
{
    private SecurityGroupProtocol(SecurityGroupProtocolKind kind, int number)
    {
        Kind = kind;
        Number = number;
    }

    /// <summary>The protocol family.</summary>
    public SecurityGroupProtocolKind Kind { get; }

    /// <summary>The IANA protocol number; -1 for all protocols.</summary>
    public int Number { get; }

    /// <summary>Protocol <c>-1</c>.</summary>
    public static SecurityGroupProtocol All { get; } = new(SecurityGroupProtocolKind.All, -1);

    /// <summary>TCP.</summary>
    public static SecurityGroupProtocol Tcp { get; } = new(SecurityGroupProtocolKind.Tcp, 6);

    /// <summary>UDP.</summary>
    public static SecurityGroupProtocol Udp { get; } = new(SecurityGroupProtocolKind.Udp, 17);

    /// <summary>ICMP.</summary>
    public static SecurityGroupProtocol Icmp { get; } = new(SecurityGroupProtocolKind.Icmp, 1);

    /// <summary>ICMPv6.</summary>
    public static SecurityGroupProtocol IcmpV6 { get; } = new(SecurityGroupProtocolKind.IcmpV6, 58);

    /// <summary>The value EC2 accepts for this protocol: a name for the well-known ones, else the number.</summary>
    public string WireValue => Kind switch
    {
        SecurityGroupProtocolKind.All => "-1",
        SecurityGroupProtocolKind.Tcp => "tcp",
        SecurityGroupProtocolKind.Udp => "udp",
        SecurityGroupProtocolKind.Icmp => "icmp",
        SecurityGroupProtocolKind.IcmpV6 => "icmpv6",
        _ => Number.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads an <c>ipProtocol</c> value: a name (any case), a protocol number 0-255 as text, or <c>-1</c>.</summary>
    /// <exception cref="FormatException">The value is neither a known name nor a protocol number.</exception>
    public static SecurityGroupProtocol Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Equals("tcp", StringComparison.OrdinalIgnoreCase)) return Tcp;
        if (text.Equals("udp", StringComparison.OrdinalIgnoreCase)) return Udp;
        if (text.Equals("icmp", StringComparison.OrdinalIgnoreCase)) return Icmp;
        if (text.Equals("icmpv6", StringComparison.OrdinalIgnoreCase)) return IcmpV6;
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return All;

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number < -1 || number > 255)
        {
            throw new FormatException($"'{value}' is not an IP protocol (expected tcp, udp, icmp, icmpv6, -1 or a number 0-255)");
        }

        return number switch
        {
            -1 => All,
            6 => Tcp,
            17 => Udp,
            1 => Icmp,
            58 => IcmpV6,
            _ => new SecurityGroupProtocol(SecurityGroupProtocolKind.Other, number),
        };
    }

    /// <summary>The protocol as a reader would name it: "tcp", "all traffic", "protocol 50".</summary>
    public override string ToString() => Kind switch
    {
        SecurityGroupProtocolKind.All => "all traffic",
        SecurityGroupProtocolKind.Other => "protocol " + Number.ToString(CultureInfo.InvariantCulture),
        _ => WireValue,
    };
}
