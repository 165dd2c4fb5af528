using System.Globalization;

namespace TrailResponder.Core.SecurityGroups;

/// <summary>An inclusive range of TCP/UDP ports, written <c>443</c> or <c>8000-8080</c>.</summary>
public readonly record struct PortRange
{
    /// <summary>Creates a range; both ends must be 0-65535 and in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 0-65535 or the range is reversed.</exception>
    public PortRange(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, 65535);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);
        From = from;
        To = to;
    }

    /// <summary>First port.</summary>
    public int From { get; }

    /// <summary>Last port.</summary>
    public int To { get; }

    /// <summary>Reads <c>443</c> or <c>8000-8080</c>.</summary>
    public static bool TryParse(string text, out PortRange range)
    {
        ArgumentNullException.ThrowIfNull(text);
        range = default;
        var trimmed = text.AsSpan().Trim();
        var dash = trimmed.IndexOf('-');
        var fromText = dash < 0 ? trimmed : trimmed[..dash].Trim();
        var toText = dash < 0 ? trimmed : trimmed[(dash + 1)..].Trim();
        if (!int.TryParse(fromText, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !int.TryParse(toText, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            || from > 65535 || to > 65535 || from > to)
        {
            return false;
        }

        range = new PortRange(from, to);
        return true;
    }

    /// <summary>True when the two ranges share a port.</summary>
    public bool Overlaps(int from, int to) => from <= To && to >= From;

    /// <summary><c>443</c> or <c>8000-8080</c>.</summary>
    public override string ToString() => From == To
        ? From.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{From}-{To}");
}
