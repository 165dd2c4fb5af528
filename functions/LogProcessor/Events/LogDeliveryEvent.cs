using System.Net;
using System.Text.Json;

namespace TrailResponder.LogProcessor.Events;

/// <summary>An object a trigger asks the function to process.</summary>
/// <param name="Bucket">The bucket name.</param>
/// <param name="Key">The key, decoded (ready for S3).</param>
/// <param name="TaskId">For Batch Operations, the task it came from.</param>
public sealed record LogObjectReference(string Bucket, string Key, string? TaskId = null);

/// <summary>Which trigger delivered the event.</summary>
public enum LogDeliveryKind
{
    /// <summary>An S3 event notification.</summary>
    S3Notification,

    /// <summary>An EventBridge "Object Created" event.</summary>
    EventBridgeObjectCreated,

    /// <summary>CloudTrail's own SNS notification (or an S3 notification sent through SNS).</summary>
    SnsNotification,

    /// <summary>An S3 Batch Operations invocation, which expects a result per task.</summary>
    BatchOperations,
}

/// <summary>A parsed trigger event: the objects to process, and for Batch Operations the invocation to answer.</summary>
public sealed record LogDeliveryEvent(LogDeliveryKind Kind, IReadOnlyList<LogObjectReference> Objects, BatchInvocation? Batch = null)
{
    /// <summary>Recognises the event's shape and extracts the objects, decoding keys the way each producer encodes them.</summary>
    /// <exception cref="FormatException">The event is not JSON or not one of the supported shapes; the message says which part is wrong.</exception>
    public static LogDeliveryEvent Parse(ReadOnlySpan<byte> json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"The event is not valid JSON: {e.Message}", e);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The event is not a JSON object.");
        }

        if (root.TryGetProperty("invocationSchemaVersion", out _))
        {
            return FromBatch(root.Deserialize(LogProcessorJson.Default.BatchInvocation)!);
        }

        if (root.TryGetProperty("detail-type", out _))
        {
            return FromEventBridge(root.Deserialize(LogProcessorJson.Default.EventBridgeObjectCreated)!);
        }

        if (root.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array)
        {
            var first = records.EnumerateArray().FirstOrDefault();
            if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("EventSource", out var source) && source.GetString() == "aws:sns")
            {
                return FromSns(root.Deserialize(LogProcessorJson.Default.SnsDelivery)!);
            }

            return new LogDeliveryEvent(LogDeliveryKind.S3Notification, FromS3Records(root.Deserialize(LogProcessorJson.Default.S3Notification)!));
        }

        throw new FormatException(
            "The event is not one the LogProcessor handles: expected an S3 notification ({\"Records\":[...]}), an EventBridge "
            + "\"Object Created\" event, CloudTrail's SNS notification or an S3 Batch Operations invocation.");
    }

    /// <summary>Decodes a key as S3 encodes it in notifications: form encoding, '+' for space, decoded exactly once.</summary>
    public static string DecodeKey(string key) => WebUtility.UrlDecode(key);

    private static List<LogObjectReference> FromS3Records(S3Notification notification)
    {
        var objects = new List<LogObjectReference>();
        foreach (var (record, index) in (notification.Records ?? []).Select((r, i) => (r, i)))
        {
            if (record.EventSource != "aws:s3")
            {
                throw new FormatException($"Records[{index}].eventSource is '{record.EventSource}', not 'aws:s3'.");
            }

            // Only new objects are log deliveries; removals, restores and tag changes are not.
            if (record.EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) != true)
            {
                continue;
            }

            objects.Add(new LogObjectReference(
                record.S3?.Bucket?.Name ?? throw new FormatException($"Records[{index}].s3.bucket.name is missing."),
                DecodeKey(record.S3?.Object?.Key ?? throw new FormatException($"Records[{index}].s3.object.key is missing."))));
        }

        return objects;
    }

    private static LogDeliveryEvent FromEventBridge(EventBridgeObjectCreated created)
    {
        if (created.Source != "aws.s3" || created.DetailType != "Object Created")
        {
            throw new FormatException($"The EventBridge event is '{created.Source}' / '{created.DetailType}', not 'aws.s3' / 'Object Created'.");
        }

        var bucket = created.Detail?.Bucket?.Name ?? throw new FormatException("detail.bucket.name is missing.");
        var key = created.Detail?.Object?.Key ?? throw new FormatException("detail.object.key is missing.");
        return new LogDeliveryEvent(LogDeliveryKind.EventBridgeObjectCreated, [new LogObjectReference(bucket, DecodeKey(key))]);
    }

    private static LogDeliveryEvent FromSns(SnsDelivery delivery)
    {
        var objects = new List<LogObjectReference>();
        foreach (var (record, index) in (delivery.Records ?? []).Select((r, i) => (r, i)))
        {
            var message = record.Sns?.Message ?? throw new FormatException($"Records[{index}].Sns.Message is missing.");
            JsonElement body;
            try
            {
                using var document = JsonDocument.Parse(message);
                body = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new FormatException($"Records[{index}].Sns.Message is not JSON: {e.Message}", e);
            }

            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("s3ObjectKey", out _))
            {
                // CloudTrail's own notification: plain keys, no URL encoding.
                var cloudTrail = body.Deserialize(LogProcessorJson.Default.CloudTrailDeliveryMessage)!;
                var bucket = cloudTrail.S3Bucket ?? throw new FormatException($"Records[{index}].Sns.Message.s3Bucket is missing.");
                objects.AddRange((cloudTrail.S3ObjectKey ?? []).Select(key => new LogObjectReference(bucket, key)));
            }
            else if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("Records", out _))
            {
                objects.AddRange(FromS3Records(body.Deserialize(LogProcessorJson.Default.S3Notification)!));
            }
            else if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("Event", out var test) || test.GetString() != "s3:TestEvent")
            {
                throw new FormatException($"Records[{index}].Sns.Message is neither CloudTrail's delivery notification nor an S3 event.");
            }
        }

        return new LogDeliveryEvent(LogDeliveryKind.SnsNotification, objects);
    }

    private static LogDeliveryEvent FromBatch(BatchInvocation batch)
    {
        if (batch.InvocationId is null)
        {
            throw new FormatException("invocationId is missing.");
        }

        var objects = new List<LogObjectReference>();
        foreach (var (task, index) in (batch.Tasks ?? []).Select((t, i) => (t, i)))
        {
            var taskId = task.TaskId ?? throw new FormatException($"tasks[{index}].taskId is missing.");
            var bucket = task.S3Bucket ?? BucketFromArn(task.S3BucketArn) ?? throw new FormatException($"tasks[{index}] names no bucket (s3Bucket or s3BucketArn).");
            var key = task.S3Key ?? throw new FormatException($"tasks[{index}].s3Key is missing.");
            objects.Add(new LogObjectReference(bucket, DecodeKey(key), taskId));
        }

        return new LogDeliveryEvent(LogDeliveryKind.BatchOperations, objects, batch);
    }

    // arn:aws:s3:::bucket (the partition varies, so split on ":::").
    private static string? BucketFromArn(string? arn) =>
        arn?.IndexOf(":::", StringComparison.Ordinal) is >= 0 and var at ? arn[(at + 3)..] : null;
}
