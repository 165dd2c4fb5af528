using TrailResponder.Core.Delivery;

namespace TrailResponder.Tests.Core.Delivery;

/// <summary>Records every import, call by call and finding by finding; throws <see cref="Failure"/> when set.</summary>
internal sealed class RecordingImporter : IFindingImporter
{
    public List<IReadOnlyList<AsffFinding>> Calls { get; } = [];

    public List<AsffFinding> Imported { get; } = [];

    public Exception? Failure { get; set; }

    public Task ImportAsync(IReadOnlyList<AsffFinding> findings, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Calls.Add(findings);
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
