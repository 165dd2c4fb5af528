using System.Text.Json;
using TrailResponder.Aws;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Diagnostics;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;
using TrailResponder.Core.SecurityGroups;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Streams;
using TrailResponder.LogProcessor.Events;

namespace TrailResponder.LogProcessor;

/// <summary>
/// The LogProcessor Lambda function: <c>LogProcessor::TrailResponder.LogProcessor.Function::HandleAsync</c>.
/// </summary>
/// <remarks>
/// A Stream-in, Stream-out handler, so the managed runtime needs no serializer package. The runtime keeps one
/// instance per execution environment; clients and the compiled rules are built once and reused.
/// </remarks>
public sealed class Function
{
    // Lambda's own limit for a synchronous payload; anything larger is not an event.
    private const int MaxEventBytes = 6 * 1024 * 1024;

    private readonly LogProcessorServices _services;
    private readonly JsonLineLog _log;
    private readonly Lock _processorLock = new();
    private Task<LogObjectProcessor>? _processor;

    /// <summary>The constructor the Lambda runtime calls: configuration from the environment, AWS through the default credentials.</summary>
    public Function()
        : this(LogProcessorServices.FromEnvironment(AwsClients.ProcessEnvironment()))
    {
    }

    /// <summary>Builds the function from explicit services (tests and <c>trailresponder invoke</c>).</summary>
    public Function(LogProcessorServices services)
    {
        _services = services;
        _log = new JsonLineLog(services.Log);
    }

    /// <summary>Handles one invocation: an S3 notification, an EventBridge Object Created event, CloudTrail's SNS notification or an S3 Batch Operations task.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        var delivery = LogDeliveryEvent.Parse(await ReadEventAsync(input).ConfigureAwait(false));
        var processor = await ProcessorAsync().ConfigureAwait(false);
        _log.Info("invocation", ("trigger", delivery.Kind), ("objects", delivery.Objects.Count));

        return delivery.Batch is { } batch
            ? await AnswerBatchAsync(processor, batch, delivery.Objects).ConfigureAwait(false)
            : await ProcessAllAsync(processor, delivery.Objects).ConfigureAwait(false);
    }

    private async Task<Stream> ProcessAllAsync(LogObjectProcessor processor, IReadOnlyList<LogObjectReference> objects)
    {
        var outcomes = new List<ObjectOutcome>();
        var failures = new List<string>();
        foreach (var reference in objects)
        {
            try
            {
                outcomes.Add(await processor.ProcessAsync(reference, CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Keep going so one failure does not hold back the other objects; fail the invocation at the end.
                _log.Error("object failed", ("object", $"s3://{reference.Bucket}/{reference.Key}"), ("error", e.GetType().Name), ("detail", e.Message));
                failures.Add($"s3://{reference.Bucket}/{reference.Key}: {e.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new LogProcessingException($"{failures.Count} of {objects.Count} objects could not be processed; Lambda will retry: " + string.Join("; ", failures));
        }

        var summary = new InvocationSummary(
            objects.Count,
            outcomes.Count(o => o.Kind is ObjectOutcomeKind.Processed or ObjectOutcomeKind.Damaged),
            outcomes.Count(o => o.Kind == ObjectOutcomeKind.Skipped),
            outcomes.Sum(o => o.Records),
            outcomes.Sum(o => o.Findings),
            outcomes.Sum(o => o.Emails));
        return Json(summary, LogProcessorJson.Default.InvocationSummary);
    }

    private async Task<Stream> AnswerBatchAsync(LogObjectProcessor processor, BatchInvocation batch, IReadOnlyList<LogObjectReference> objects)
    {
        var results = new List<BatchResult>();
        foreach (var reference in objects)
        {
            BatchResult result;
            try
            {
                var outcome = await processor.ProcessAsync(reference, CancellationToken.None).ConfigureAwait(false);
                result = new BatchResult(
                    reference.TaskId!,
                    outcome.Kind is ObjectOutcomeKind.Missing or ObjectOutcomeKind.Damaged ? "PermanentFailure" : "Succeeded",
                    outcome.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // S3 or a delivery failed after retries: let Batch Operations drive the task again later.
                _log.Error("object failed", ("object", $"s3://{reference.Bucket}/{reference.Key}"), ("error", e.GetType().Name), ("detail", e.Message));
                result = new BatchResult(reference.TaskId!, "TemporaryFailure", e.Message);
            }

            results.Add(result);
        }

        return Json(
            new BatchResponse(batch.InvocationSchemaVersion ?? "1.0", "PermanentFailure", batch.InvocationId!, results),
            LogProcessorJson.Default.BatchResponse);
    }

    // Built once and reused; but a failed build (a rules file that is invalid or could not be read) is tried again by
    // the next invocation, so a corrected file or a passing S3 error does not need a new execution environment.
    private Task<LogObjectProcessor> ProcessorAsync()
    {
        lock (_processorLock)
        {
            if (_processor is null || _processor.IsFaulted || _processor.IsCanceled)
            {
                _processor = CreateProcessorAsync();
            }

            return _processor;
        }
    }

    private async Task<LogObjectProcessor> CreateProcessorAsync()
    {
        var settings = _services.Settings;
        RuleSet rules;
        try
        {
            rules = await LoadRulesAsync(settings.RulesLocation).ConfigureAwait(false);
        }
        catch (RuleFileException e)
        {
            _log.Error("rules file refused", ("rules", settings.RulesLocation), ("detail", e.Message));
            throw;
        }

        var asff = new AsffFindingBuilder(settings.Delivery.Asff);
        var delivery = new FindingDelivery(_services.Importer, _services.Publisher, asff, settings.EmailThreshold, asff.Partition);
        SecurityGroupResponder? backstop = null;
        if (settings.Backstop && _services.SecurityGroups is { } ec2)
        {
            backstop = new SecurityGroupResponder(
                new SecurityGroupPolicy(settings.Responder.Policy),
                ec2,
                new SecurityGroupNotice(settings.Delivery.Asff, settings.Responder.ExemptTagText),
                _services.Publisher,
                _services.Importer,
                settings.Responder.DryRun,
                _log);
            rules = rules.WithWatch(SecurityGroupChange.RecordPattern);
        }

        _log.Info("started", ("rules", rules.Rules.Count), ("securityHub", _services.Importer is not null), ("email", _services.Publisher is not null), ("emailMinSeverity", settings.EmailThreshold.ToLabel()), ("securityGroupBackstop", backstop is not null), ("dryRun", settings.Responder.DryRun));
        return new LogObjectProcessor(new LogFileScanner(rules, settings.ReaderOptions), delivery, backstop, _services.Stores, _log);
    }

    private async Task<RuleSet> LoadRulesAsync(string? location)
    {
        if (location is null)
        {
            return RuleSet.BuiltIn;
        }

        try
        {
            Stream content;
            if (location.StartsWith("s3://", StringComparison.Ordinal))
            {
                var path = location["s3://".Length..];
                var slash = path.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || slash == path.Length - 1)
                {
                    throw new RuleFileException($"RULES_LOCATION '{location}' is not s3://bucket/key.");
                }

                content = await _services.Stores(path[..slash]).OpenReadAsync(path[(slash + 1)..]).ConfigureAwait(false);
            }
            else
            {
                var root = Environment.GetEnvironmentVariable("LAMBDA_TASK_ROOT") ?? Directory.GetCurrentDirectory();
                content = File.OpenRead(Path.IsPathRooted(location) ? location : Path.Combine(root, location));
            }

            await using (content.ConfigureAwait(false))
            {
                return new RuleSet(RuleFile.Load(content, location).ApplyTo(BuiltInRules.All));
            }
        }
        catch (Exception e) when (e is not (RuleFileException or OutOfMemoryException))
        {
            // Whatever went wrong (S3 denied, no such key, no such file), the message must say which rules file.
            throw new RuleFileException($"{location}: the rules file could not be read: {e.Message}");
        }
    }

    private static async Task<byte[]> ReadEventAsync(Stream input)
    {
        using var buffer = new MemoryStream();
        await new BoundedReadStream(input, MaxEventBytes, "The event").CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static MemoryStream Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var output = new MemoryStream();
        JsonSerializer.Serialize(output, value, type);
        output.Position = 0;
        return output;
    }
}

/// <summary>Some objects of an invocation could not be processed; thrown so that Lambda retries the event.</summary>
public sealed class LogProcessingException(string message) : Exception(message);
