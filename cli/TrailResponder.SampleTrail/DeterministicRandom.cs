namespace TrailResponder.SampleTrail;

/// <summary>Identifiers and values drawn from one seeded <see cref="Random"/>, so a seed always yields the same bytes.</summary>
internal sealed class DeterministicRandom(int seed)
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string UpperAlphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string LowerHex = "0123456789abcdef";

    // The seeded constructor uses the legacy algorithm, which .NET keeps stable across versions and platforms.
    private readonly Random random = new(seed);

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => random.Next(minInclusive, maxExclusive);

    public bool Chance(int percent) => random.Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A version-4 shaped UUID, as CloudTrail's eventID and most request ids are.</summary>
    public string Uuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    public string Alphanumeric(int length) => Draw(Alphanumerics, length);

    public string UpperAlphanumeric(int length) => Draw(UpperAlphanumerics, length);

    public string Hex(int length) => Draw(LowerHex, length);

    /// <summary>A public-looking IPv4 address from the documentation and a few cloud-provider ranges.</summary>
    public string PublicIpv4()
    {
        return Next(4) switch
        {
            0 => $"198.51.100.{Next(1, 255)}",
            1 => $"203.0.113.{Next(1, 255)}",
            2 => $"54.{Next(64, 240)}.{Next(256)}.{Next(1, 255)}",
            _ => $"81.{Next(2, 250)}.{Next(256)}.{Next(1, 255)}",
        };
    }

    private string Draw(string alphabet, int length)
    {
        return string.Create(length, (alphabet, random), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });
    }
}
