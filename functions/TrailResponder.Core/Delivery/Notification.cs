namespace TrailResponder.Core.Delivery;

/// <summary>A message for people (the SNS email): a short subject and a plain-text body.</summary>
/// <param name="Subject">At most 99 printable ASCII characters (SNS's email subject limit is 100).</param>
/// <param name="Body">Plain text, within SNS's message size limit.</param>
public sealed record Notification(string Subject, string Body);

/// <summary>Sends notifications to the security team (SNS in production).</summary>
public interface INotificationPublisher
{
    /// <summary>Publishes one notification; throws when it could not be delivered after retries.</summary>
    Task PublishAsync(Notification notification, CancellationToken cancellationToken);
}
