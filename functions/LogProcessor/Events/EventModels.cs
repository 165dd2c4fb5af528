using System.Text.Json.Serialization;

namespace TrailResponder.LogProcessor.Events;

// The shapes of the events that can deliver a log file to the function (lambda-events.md §1, §2, §5, §6).
// Property names are given explicitly: the same idea is spelled differently by different producers.

/// <summary>An S3 event notification (<c>{"Records":[...]}</c>, eventSource <c>aws:s3</c>).</summary>
public sealed record S3Notification([property: JsonPropertyName("Records")] IReadOnlyList<S3NotificationRecord>? Records);

/// <summary>One record of an S3 event notification.</summary>
public sealed record S3NotificationRecord(
    [property: JsonPropertyName("eventSource")] string? EventSource,
    [property: JsonPropertyName("eventName")] string? EventName,
    [property: JsonPropertyName("s3")] S3Entity? S3);

/// <summary>The <c>s3</c> part of a notification record.</summary>
public sealed record S3Entity(
    [property: JsonPropertyName("bucket")] S3Bucket? Bucket,
    [property: JsonPropertyName("object")] S3Object? Object);

/// <summary>A bucket in an S3 event.</summary>
public sealed record S3Bucket([property: JsonPropertyName("name")] string? Name);

/// <summary>An object in an S3 event; the key arrives form-encoded.</summary>
public sealed record S3Object(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("size")] long? Size);

/// <summary>An EventBridge "Object Created" event from S3.</summary>
public sealed record EventBridgeObjectCreated(
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("detail-type")] string? DetailType,
    [property: JsonPropertyName("detail")] ObjectCreatedDetail? Detail);

/// <summary>The <c>detail</c> of an S3 EventBridge event.</summary>
public sealed record ObjectCreatedDetail(
    [property: JsonPropertyName("bucket")] S3Bucket? Bucket,
    [property: JsonPropertyName("object")] S3Object? Object);

/// <summary>An SNS delivery to Lambda (<c>{"Records":[{"EventSource":"aws:sns","Sns":{...}}]}</c>).</summary>
public sealed record SnsDelivery([property: JsonPropertyName("Records")] IReadOnlyList<SnsDeliveryRecord>? Records);

/// <summary>One record of an SNS delivery.</summary>
public sealed record SnsDeliveryRecord(
    [property: JsonPropertyName("EventSource")] string? EventSource,
    [property: JsonPropertyName("Sns")] SnsMessage? Sns);

/// <summary>The SNS message itself; <see cref="Message"/> is a JSON string.</summary>
public sealed record SnsMessage(
    [property: JsonPropertyName("TopicArn")] string? TopicArn,
    [property: JsonPropertyName("Message")] string? Message);

/// <summary>CloudTrail's "log file delivered" message, carried inside an SNS message.</summary>
public sealed record CloudTrailDeliveryMessage(
    [property: JsonPropertyName("s3Bucket")] string? S3Bucket,
    [property: JsonPropertyName("s3ObjectKey")] IReadOnlyList<string>? S3ObjectKey);

/// <summary>An S3 Batch Operations invocation (schema 1.0 or 2.0).</summary>
public sealed record BatchInvocation(
    [property: JsonPropertyName("invocationSchemaVersion")] string? InvocationSchemaVersion,
    [property: JsonPropertyName("invocationId")] string? InvocationId,
    [property: JsonPropertyName("tasks")] IReadOnlyList<BatchTask>? Tasks);

/// <summary>One Batch Operations task: an object to process. Schema 1.0 names the bucket by ARN, 2.0 by name.</summary>
public sealed record BatchTask(
    [property: JsonPropertyName("taskId")] string? TaskId,
    [property: JsonPropertyName("s3Key")] string? S3Key,
    [property: JsonPropertyName("s3Bucket")] string? S3Bucket,
    [property: JsonPropertyName("s3BucketArn")] string? S3BucketArn);

/// <summary>The answer Batch Operations expects: one result per task.</summary>
public sealed record BatchResponse(
    [property: JsonPropertyName("invocationSchemaVersion")] string InvocationSchemaVersion,
    [property: JsonPropertyName("treatMissingKeysAs")] string TreatMissingKeysAs,
    [property: JsonPropertyName("invocationId")] string InvocationId,
    [property: JsonPropertyName("results")] IReadOnlyList<BatchResult> Results);

/// <summary>One task's result: <c>Succeeded</c>, <c>TemporaryFailure</c> (re-driven) or <c>PermanentFailure</c>.</summary>
public sealed record BatchResult(
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("resultCode")] string ResultCode,
    [property: JsonPropertyName("resultString")] string ResultString);

/// <summary>What the function answers to every other trigger: a summary for logs and <c>sam local invoke</c>.</summary>
public sealed record InvocationSummary(
    [property: JsonPropertyName("objects")] int Objects,
    [property: JsonPropertyName("processed")] int Processed,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("records")] int Records,
    [property: JsonPropertyName("findings")] int Findings,
    [property: JsonPropertyName("emails")] int Emails);

/// <summary>Source-generated serialization for the event models: no reflection at run time.</summary>
[JsonSerializable(typeof(S3Notification))]
[JsonSerializable(typeof(EventBridgeObjectCreated))]
[JsonSerializable(typeof(SnsDelivery))]
[JsonSerializable(typeof(CloudTrailDeliveryMessage))]
[JsonSerializable(typeof(BatchInvocation))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(InvocationSummary))]
public sealed partial class LogProcessorJson : JsonSerializerContext;
