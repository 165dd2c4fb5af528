using System.Globalization;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Cli.Local;

/// <summary>The SNS email topic replaced by a folder: each message becomes a numbered text file with its subject.</summary>
internal sealed class LocalEmailTopic(string folder) : INotificationPublisher
{
    private int _sent;

    public int Sent => _sent;

    public Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var number = Interlocked.Increment(ref _sent);
        File.WriteAllText(
            Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{number:D3}.txt")),
            $"Subject: {notification.Subject}\n\n{notification.Body}");
        return Task.CompletedTask;
    }
}
