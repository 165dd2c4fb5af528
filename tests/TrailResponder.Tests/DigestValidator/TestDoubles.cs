using TrailResponder.Core.Delivery;
using TrailResponder.Core.Digests;

namespace TrailResponder.Tests.DigestValidator;

/// <summary>Records the findings imported; throws <see cref="Failure"/> when set.</summary>
internal sealed class RecordingImporter : IFindingImporter
{
    public List<AsffFinding> Imported { get; } = [];

    public Exception? Failure { get; set; }

    public Task ImportAsync(IReadOnlyList<AsffFinding> findings, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Imported.AddRange(findings);
        return Task.CompletedTask;
    }
}

/// <summary>Records the notifications published; throws <see cref="Failure"/> when set.</summary>
internal sealed class RecordingPublisher : INotificationPublisher
{
    public List<Notification> Published { get; } = [];

    public Exception? Failure { get; set; }

    public Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Published.Add(notification);
        return Task.CompletedTask;
    }
}

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
