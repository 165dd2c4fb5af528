namespace TrailResponder.Core.Digests;

/// <summary>CRC-32 (IEEE 802.3, the gzip trailer's checksum); written here because System.IO.Hashing is not part of the framework.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The register value before any byte is added.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Adds <paramref name="data"/> to a running register.</summary>
    public static uint Append(uint register, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            register = Table[(register ^ b) & 0xFF] ^ (register >> 8);
        }

        return register;
    }

    /// <summary>Turns a running register into the checksum gzip stores.</summary>
    public static uint Finish(uint register) => ~register;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
