using System.Text;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Aws;

/// <summary>Publishes notifications to one SNS topic (Publish, query protocol), in the topic's own region.</summary>
public sealed class SnsNotificationPublisher : INotificationPublisher
{
    /// <summary>SNS's limit for the whole message, in UTF-8 bytes.</summary>
    public const int MaxMessageBytes = 262_144;

    /// <summary>The longest subject SNS accepts (it must be shorter than 100 characters).</summary>
    public const int MaxSubjectLength = 99;

    private const string TruncationNote = "\n\n[message truncated to SNS's size limit]";
    private readonly AwsRequestSender sender;

    internal SnsNotificationPublisher(AwsRequestSender sender, string topicArn)
    {
        this.sender = sender;
        TopicArn = topicArn;
        Region = RegionOf(topicArn);
    }

    /// <summary>The topic published to.</summary>
    public string TopicArn { get; }

    /// <summary>The topic's region, taken from its ARN: SNS only accepts a topic in the region called.</summary>
    public string Region { get; }

    /// <inheritdoc/>
    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "Publish"),
            new("Version", "2010-03-31"),
            new("TopicArn", TopicArn),
        };

        // An invalid subject fails the whole publish, so a subject that cannot be sent is cleaned rather than trusted.
        var subject = SanitizeSubject(notification.Subject);
        if (subject is not null)
        {
            form.Add(new("Subject", subject));
        }

        form.Add(new("Message", FitMessage(notification.Body)));
        using var content = new FormUrlEncodedContent(form);
        await sender.PostAsync(AwsService.Sns, "Publish", Region, "/", content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a subject SNS accepts: printable ASCII only (others become <c>?</c>), line breaks and tabs become spaces, runs of
    /// spaces collapse, at most <see cref="MaxSubjectLength"/> characters; null when nothing printable is left.
    /// </summary>
    public static string? SanitizeSubject(string? subject)
    {
        if (subject is null)
        {
            return null;
        }

        var builder = new StringBuilder(subject.Length);
        foreach (var c in subject)
        {
            var mapped = char.IsWhiteSpace(c) || char.IsControl(c) ? ' ' : c is >= '!' and <= '~' ? c : '?';
            if (mapped == ' ' && (builder.Length == 0 || builder[^1] == ' '))
            {
                continue;
            }

            builder.Append(mapped);
        }

        var text = builder.ToString().TrimEnd();
        if (text.Length > MaxSubjectLength)
        {
            text = text[..MaxSubjectLength].TrimEnd();
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>The body if it fits SNS's byte limit, else its longest whole-character prefix that fits, with a note saying so.</summary>
    public static string FitMessage(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (Encoding.UTF8.GetByteCount(body) <= MaxMessageBytes)
        {
            return body;
        }

        // A lost alert is worse than a shortened one.
        var budget = MaxMessageBytes - Encoding.UTF8.GetByteCount(TruncationNote);
        var length = 0;
        var bytes = 0;
        foreach (var rune in body.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return body[..length] + TruncationNote;
    }

    private static string RegionOf(string topicArn)
    {
        var parts = topicArn.Split(':');
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "sns" || parts[3].Length == 0)
        {
            throw new ArgumentException($"'{topicArn}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME).", nameof(topicArn));
        }

        return parts[3];
    }
}
