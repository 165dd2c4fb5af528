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
    /// <remarks>
    /// With FUNCTION_TIMEOUT_SECONDS set, work stops at the <see cref="InvocationDeadline"/>: the file being read is
    /// reported as not finished, later objects as not started, and the invocation fails (Lambda retries it, then
    /// dead-letters the event with that reason; Batch Operations gets TemporaryFailure).
    /// </remarks>
    public async Task<Stream> HandleAsync(Stream input)
    {
        using var deadline = InvocationDeadline.Start(_services.Settings.Timeout, _services.Clock ?? TimeProvider.System);
        var delivery = LogDeliveryEvent.Parse(await ReadEventAsync(input).ConfigureAwait(false));
        var processor = await ProcessorAsync().ConfigureAwait(false);
        _log.Info("invocation", ("trigger", delivery.Kind), ("objects", delivery.Objects.Count));

        return delivery.Batch is { } batch
            ? await AnswerBatchAsync(processor, batch, delivery.Objects, deadline).ConfigureAwait(false)
            : await ProcessAllAsync(processor, delivery.Objects, deadline).ConfigureAwait(false);
    }

    private async Task<Stream> ProcessAllAsync(LogObjectProcessor processor, IReadOnlyList<LogObjectReference> objects, InvocationDeadline deadline)
    {
        var outcomes = new List<ObjectOutcome>();
        var failures = new List<string>();
        foreach (var reference in objects)
        {
            if (deadline.Reached)
            {
                failures.Add($"s3://{reference.Bucket}/{reference.Key}: {Failed(reference, null, deadline)}");
                continue;
            }

            try
            {
                outcomes.Add(await processor.ProcessAsync(reference, deadline.Token).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Keep going so one failure does not hold back the other objects; fail the invocation at the end.
                var detail = Failed(reference, e, deadline);
                failures.Add($"s3://{reference.Bucket}/{reference.Key}: {detail}");
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

    private async Task<Stream> AnswerBatchAsync(LogObjectProcessor processor, BatchInvocation batch, IReadOnlyList<LogObjectReference> objects, InvocationDeadline deadline)
    {
        var results = new List<BatchResult>();
        foreach (var reference in objects)
        {
            if (deadline.Reached)
            {
                results.Add(new BatchResult(reference.TaskId!, "TemporaryFailure", Failed(reference, null, deadline)));
                continue;
            }

            BatchResult result;
            try
            {
                var outcome = await processor.ProcessAsync(reference, deadline.Token).ConfigureAwait(false);
                result = new BatchResult(
                    reference.TaskId!,
                    outcome.Kind is ObjectOutcomeKind.Missing or ObjectOutcomeKind.Damaged ? "PermanentFailure" : "Succeeded",
                    outcome.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // S3 or a delivery failed after retries, or the deadline came: let Batch Operations drive the task again later.
                result = new BatchResult(reference.TaskId!, "TemporaryFailure", Failed(reference, e, deadline));
            }

            results.Add(result);
        }

        return Json(
            new BatchResponse(batch.InvocationSchemaVersion ?? "1.0", "PermanentFailure", batch.InvocationId!, results),
            LogProcessorJson.Default.BatchResponse);
    }

    // Logs the failure of one object (null: not started, the deadline having passed) and says what went wrong: for
    // one stopped by the deadline, how far it got.
    private string Failed(LogObjectReference reference, Exception? e, InvocationDeadline deadline)
    {
        var stopped = e is null || (deadline.Reached && e is OperationCanceledException);
        var detail = e is null ? $"not started: {deadline.Description}" : deadline.Explain(e);
        _log.Error(
            stopped ? "object not finished" : "object failed",
            ("object", $"s3://{reference.Bucket}/{reference.Key}"),
            ("error", e?.GetType().Name),
            ("detail", detail));
        return detail;
    }

    // Built once per execution environment. A failure is not kept: reading the rules from S3 can fail for a moment,
    // and the next invocation should try again rather than fail for the rest of the environment's life.
    private async Task<LogObjectProcessor> ProcessorAsync()
    {
        Task<LogObjectProcessor> task;
        lock (_processorLock)
        {
            task = _processor ??= CreateProcessorAsync();
        }

        try
        {
            return await task.ConfigureAwait(false);
        }
        catch
        {
            lock (_processorLock)
            {
                if (_processor == task)
                {
                    _processor = null;
                }
            }

            throw;
        }
    }

    private async Task<LogObjectProcessor> CreateProcessorAsync()
    {
        var settings = _services.Settings;
        var rules = await LoadRulesAsync(settings.RulesLocation).ConfigureAwait(false);

        var asff = new AsffFindingBuilder(settings.Delivery.Asff);
        var delivery = new FindingDelivery(_services.Importer, _services.Publisher, asff, settings.EmailThreshold);
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

    // A rule that cannot be used is a deployment error: fail every invocation, with every problem named, until the
    // rules are fixed, rather than run with fewer rules than the operator deployed.
    private async Task<RuleSet> LoadRulesAsync(string? location)
    {
        if (location is null)
        {
            return RuleSet.BuiltIn;
        }

        var root = Environment.GetEnvironmentVariable("LAMBDA_TASK_ROOT") ?? Directory.GetCurrentDirectory();
        var catalog = await RuleLocations.LoadAsync(location, _services.Stores, root).ConfigureAwait(false);
        foreach (var source in catalog.Report.Sources)
        {
            _log.Info("rules loaded", ("source", source.Source), ("summary", source.Summary()));
        }

        if (catalog.Report.HasErrors)
        {
            foreach (var problem in catalog.Report.Errors)
            {
                _log.Error("rule error", ("detail", problem));
            }

            throw new InvalidOperationException(
                $"RULES_LOCATION '{location}': {catalog.Report.Errors.Count} problem{(catalog.Report.Errors.Count == 1 ? string.Empty : "s")} in the rules; "
                + "fix them and deploy again; until then each log file fails, is retried, and waits in the dead-letter queue for a redrive: "
                + string.Join("; ", catalog.Report.Errors.Take(20)));
        }

        return new RuleSet(catalog.Rules);
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
