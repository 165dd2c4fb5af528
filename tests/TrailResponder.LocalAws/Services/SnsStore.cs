namespace TrailResponder.LocalAws.Services;

/// <summary>A message attribute as published: data type and its string or binary value.</summary>
public sealed record SnsMessageAttribute(string DataType, string? StringValue, byte[]? BinaryValue);

/// <summary>A message accepted by Publish.</summary>
public sealed record PublishedMessage(string MessageId, string TopicArn, string Message, string? Subject, string? MessageStructure, IReadOnlyDictionary<string, SnsMessageAttribute> Attributes);

/// <summary>SNS state: topics and the messages published to each.</summary>
public sealed class SnsStore(string region, string accountId)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<PublishedMessage>> _topics = new(StringComparer.Ordinal);

    /// <summary>Creates (or finds) a topic and returns its ARN.</summary>
    public string CreateTopic(string name)
    {
        var arn = $"arn:aws:sns:{region}:{accountId}:{name}";
        lock (_lock)
        {
            _topics.TryAdd(arn, []);
        }
        return arn;
    }

    public bool TopicExists(string topicArn)
    {
        lock (_lock)
        {
            return _topics.ContainsKey(topicArn);
        }
    }

    /// <summary>Messages published to the topic, oldest first.</summary>
    public IReadOnlyList<PublishedMessage> Messages(string topicArn)
    {
        lock (_lock)
        {
            return _topics.TryGetValue(topicArn, out var messages) ? [.. messages] : [];
        }
    }

    internal void Add(PublishedMessage message)
    {
        lock (_lock)
        {
            _topics[message.TopicArn].Add(message);
        }
    }
}
