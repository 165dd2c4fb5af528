using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TrailResponder.Core.Sigma;

/// <summary>An IPv4 or IPv6 network written <c>address/prefix</c> (host bits may be set; they are ignored).</summary>
internal sealed class SigmaCidr
{
    private readonly byte[] _network;
    private readonly int _prefix;
    private readonly string _text;

    private SigmaCidr(byte[] network, int prefix, string text)
    {
        _network = network;
        _prefix = prefix;
        _text = text;
    }

    /// <summary>Parses <c>10.0.0.0/8</c> or <c>2001:db8::/32</c>; a bare address is a network of one.</summary>
    public static SigmaCidr? Parse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(address, out var ip))
        {
            return null;
        }

        var bits = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return null;
        }

        return new SigmaCidr(ip.GetAddressBytes(), prefix, text);
    }

    /// <summary>Whether the text is an IP address in the network; any other text (a service name) is not.</summary>
    public bool Contains(ReadOnlySpan<char> text)
    {
        Span<byte> bytes = stackalloc byte[16];
        int length;
        if (_network.Length == 4 && TryParseIPv4(text, bytes))
        {
            // The common case, source addresses in dotted quads, is parsed here without allocating.
            length = 4;
        }
        else if (!TryParseAddress(text, out var ip)
            || !(ip.IsIPv4MappedToIPv6 && _network.Length == 4 ? ip.MapToIPv4() : ip).TryWriteBytes(bytes, out length))
        {
            return false;
        }

        if (length != _network.Length)
        {
            return false;
        }

        var whole = _prefix / 8;
        if (!bytes[..whole].SequenceEqual(_network.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = _prefix % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (bytes[whole] & mask) == (_network[whole] & mask);
    }

    /// <inheritdoc/>
    public override string ToString() => _text;

    // Four decimal octets, nothing else.
    private static bool TryParseIPv4(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        for (var octet = 0; octet < 4; octet++)
        {
            var end = octet < 3 ? text.IndexOf('.') : text.Length;
            if (end is < 1 or > 3 || !byte.TryParse(text[..end], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[octet]))
            {
                return false;
            }

            text = octet < 3 ? text[(end + 1)..] : [];
        }

        return true;
    }

    // Strict forms only: IPAddress.TryParse also reads "1" as 0.0.0.1, which a port or a count is not.
    private static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress ip)
    {
        ip = IPAddress.None;
        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out ip!) && ip.AddressFamily == AddressFamily.InterNetworkV6;
        }

        if (text.Count('.') != 3 || text.ContainsAnyExcept("0123456789.") || !IPAddress.TryParse(text, out ip!))
        {
            return false;
        }

        return ip.AddressFamily == AddressFamily.InterNetwork;
    }
}
