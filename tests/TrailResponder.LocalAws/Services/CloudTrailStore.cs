namespace TrailResponder.LocalAws.Services;

/// <summary>A CloudTrail digest-signing public key: DER PKCS#1 bytes, validity window and fingerprint.</summary>
public sealed record CloudTrailPublicKey(byte[] Value, DateTimeOffset ValidityStart, DateTimeOffset ValidityEnd, string Fingerprint);

/// <summary>CloudTrail state: the public keys ListPublicKeys answers with.</summary>
public sealed class CloudTrailStore
{
    private readonly Lock _lock = new();
    private readonly List<CloudTrailPublicKey> _keys = [];

    /// <summary>How many keys one ListPublicKeys page holds before a NextToken is returned.</summary>
    public int KeysPerPage { get; set; } = 10;

    public CloudTrailPublicKey AddPublicKey(byte[] value, DateTimeOffset validityStart, DateTimeOffset validityEnd, string fingerprint)
    {
        var key = new CloudTrailPublicKey([.. value], validityStart, validityEnd, fingerprint);
        lock (_lock)
        {
            _keys.Add(key);
        }
        return key;
    }

    public IReadOnlyList<CloudTrailPublicKey> PublicKeys
    {
        get
        {
            lock (_lock)
            {
                return [.. _keys];
            }
        }
    }
}
