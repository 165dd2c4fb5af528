using TrailResponder.Core.Digests;

namespace TrailResponder.Tests.DigestValidator;

/// <summary>Answers ListPublicKeys with one set for every region and records each call.</summary>
internal sealed class RecordingPublicKeySource(PublicKeySet keys) : IPublicKeySource
{
    public List<(string Region, DateTimeOffset Start, DateTimeOffset End)> Calls { get; } = [];

    public Task<PublicKeySet> ListPublicKeysAsync(string region, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        Calls.Add((region, start, end));
        return Task.FromResult(keys);
    }
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
