using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TrailResponder.Aws;
using TrailResponder.Core.Diagnostics;
using TrailResponder.Core.Digests;
using TrailResponder.Core.Streams;

namespace TrailResponder.DigestValidator;

/// <summary>
/// The DigestValidator Lambda function: <c>DigestValidator::TrailResponder.DigestValidator.Function::HandleAsync</c>.
/// </summary>
/// <remarks>
/// Runs hourly on an EventBridge schedule and keeps no position: the event's time alone decides the range validated,
/// so a failed run is repeated by retrying the same event, and Security Hub updates the findings it already has (their
/// ids are deterministic). Store and delivery failures propagate so that the invocation fails and Lambda retries it.
/// </remarks>
public sealed class Function
{
    // EventBridge events are at most 256 KB.
    private const int MaxEventBytes = 256 * 1024;
    private readonly DigestValidatorServices _services;
    private readonly JsonLineLog _log;
    private readonly IntegrityNotice _notice;

    /// <summary>The constructor the Lambda runtime calls: configuration from the environment, AWS through the default credentials.</summary>
    public Function()
        : this(DigestValidatorServices.FromEnvironment(AwsClients.ProcessEnvironment()))
    {
    }

    /// <summary>Builds the function from explicit services (tests and <c>trailresponder invoke</c>).</summary>
    public Function(DigestValidatorServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _log = new JsonLineLog(services.Log);
        _notice = new IntegrityNotice(services.Settings.Delivery.Asff, services.Settings.Bucket, services.Clock);
    }

    /// <summary>Handles one scheduled event (or a manual <c>{"startTime", "endTime"}</c> range); returns the counts as JSON.</summary>
    public async Task<Stream> HandleAsync(Stream input)
    {
        var settings = _services.Settings;
        var window = ValidationWindow.FromEvent(await ReadEventAsync(input).ConfigureAwait(false), settings);
        _log.Info("invocation", ("trigger", window.Trigger), ("start", Time(window.Start)), ("end", Time(window.End)), ("bucket", settings.Bucket), ("prefix", settings.Prefix), ("trail", settings.TrailName));

        // Once per region per invocation: every digest of the run is checked against this one set.
        var keys = await RegionalPublicKeys.LoadAsync(_services.PublicKeys, _services.Store, settings.Prefix, window.Start, window.End, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        _log.Info("public keys loaded", ("regions", string.Join(",", keys.Regions)), ("keys", keys.Keys.Keys.Count));

        var options = new DigestValidationOptions
        {
            StartTime = window.Start,
            EndTime = window.End,
            TrailName = settings.TrailName,
            ListPrefix = settings.Prefix,
            BucketName = settings.Bucket,
            // A log file settled SETTLE_HOURS before the run must be in a digest. A scheduled run measures from its own
            // hour, so a retry judges alike; a manual range (often days old) from the clock.
            SettleTime = TimeSpan.FromHours(settings.SettleHours),
            Now = window.Trigger == WindowTrigger.Schedule ? window.End.AddHours(settings.SettleHours) : _services.Clock.GetUtcNow(),
        };
        var report = await new DigestChainValidator(_services.Store, keys.Keys, options).ValidateAsync(CancellationToken.None).ConfigureAwait(false);
        var problems = IntegrityProblem.Of(report);
        if (report.TrailNameMismatch is { } mismatch)
        {
            _log.Error("configuration error", ("variable", "TRAIL_NAME"), ("trail", mismatch.TrailName), ("trailsFound", string.Join(",", mismatch.TrailsFound)), ("reason", mismatch.Describe()));
        }

        foreach (var problem in problems)
        {
            _log.Warn("integrity problem", ("problem", problem.Kind), ("severity", problem.Severity.ToString().ToUpperInvariant()), ("key", problem.Key), ("trail", problem.Trail), ("reason", problem.Reason));
        }

        if (report.Digests.Total == 0)
        {
            _log.Warn("no digests in the window", ("start", Time(window.Start)), ("end", Time(window.End)), ("regions", keys.Regions.Count));
        }

        var imported = 0;
        var emails = 0;
        if (problems.Count > 0 && _services.Importer is { } importer)
        {
            await importer.ImportAsync([.. problems.Select(p => _notice.Finding(p, window.Start, window.End))], CancellationToken.None).ConfigureAwait(false);
            imported = problems.Count;
        }

        if (_services.Publisher is { } publisher && _notice.Email(problems, window.Start, window.End) is { } email)
        {
            await publisher.PublishAsync(email, CancellationToken.None).ConfigureAwait(false);
            emails = 1;
        }

        _log.Info(
            "validated",
            ("start", Time(window.Start)),
            ("end", Time(window.End)),
            ("digestsValid", report.Digests.Valid),
            ("digestsInvalid", report.Digests.Invalid),
            ("digestsMissing", report.Digests.Missing),
            ("logFilesValid", report.LogFiles.Valid),
            ("logFilesInvalid", report.LogFiles.Invalid),
            ("logFilesMissing", report.LogFiles.Missing),
            ("logFilesUnverified", report.LogFiles.Unverified),
            ("gaps", report.Gaps.Count),
            ("chainRestarts", report.ChainRestarts.Count),
            ("noDigest", report.Silences.Count),
            ("offChainDigests", report.OffChainDigests.Count),
            ("pendingLogFiles", report.PendingLogFiles),
            ("configurationErrors", report.TrailNameMismatch is null ? 0 : 1),
            ("problems", problems.Count),
            ("findingsImported", imported),
            ("emails", emails));
        await _services.Log.WriteLineAsync(DigestMetrics.Line(report, _services.Clock.GetUtcNow())).ConfigureAwait(false);
        await _services.Log.FlushAsync().ConfigureAwait(false);

        var answer = new DigestValidatorAnswer(
            new WindowAnswer(Time(window.Start), Time(window.End), window.Trigger == WindowTrigger.Schedule ? "schedule" : "range"),
            keys.Regions,
            new CountsAnswer(report.Digests.Valid, report.Digests.Invalid, report.Digests.Missing, report.Digests.Unverified),
            new CountsAnswer(report.LogFiles.Valid, report.LogFiles.Invalid, report.LogFiles.Missing, report.LogFiles.Unverified),
            report.Gaps.Count,
            report.ChainRestarts.Count,
            report.Silences.Count,
            report.OffChainDigests.Count,
            report.PendingLogFiles,
            report.TrailNameMismatch?.Describe(),
            problems.Count,
            imported,
            emails);
        var output = new MemoryStream();
        JsonSerializer.Serialize(output, answer, DigestValidatorJson.Default.DigestValidatorAnswer);
        output.Position = 0;
        return output;
    }

    private static async Task<JsonElement> ReadEventAsync(Stream input)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(new BoundedReadStream(input, MaxEventBytes, "The event")).ConfigureAwait(false);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FormatException($"The event is not valid JSON: {e.Message}", e);
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The function's answer: the range validated, the counts and what was delivered.</summary>
public sealed record DigestValidatorAnswer(
    [property: JsonPropertyName("window")] WindowAnswer Window,
    [property: JsonPropertyName("regions")] IReadOnlyList<string> Regions,
    [property: JsonPropertyName("digests")] CountsAnswer Digests,
    [property: JsonPropertyName("logFiles")] CountsAnswer LogFiles,
    [property: JsonPropertyName("gaps")] int Gaps,
    [property: JsonPropertyName("chainRestarts")] int ChainRestarts,
    [property: JsonPropertyName("noDigest")] int NoDigest,
    [property: JsonPropertyName("offChainDigests")] int OffChainDigests,
    [property: JsonPropertyName("pendingLogFiles")] int PendingLogFiles,
    [property: JsonPropertyName("configurationError")] string? ConfigurationError,
    [property: JsonPropertyName("problems")] int Problems,
    [property: JsonPropertyName("findingsImported")] int FindingsImported,
    [property: JsonPropertyName("emails")] int Emails);

/// <summary>The range a run validated and what set it.</summary>
public sealed record WindowAnswer(
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("trigger")] string Trigger);

/// <summary>How many files of one kind got each verdict.</summary>
public sealed record CountsAnswer(
    [property: JsonPropertyName("valid")] int Valid,
    [property: JsonPropertyName("invalid")] int Invalid,
    [property: JsonPropertyName("missing")] int Missing,
    [property: JsonPropertyName("unverified")] int Unverified);

/// <summary>Source-generated serialization of the answer.</summary>
[JsonSerializable(typeof(DigestValidatorAnswer))]
public sealed partial class DigestValidatorJson : JsonSerializerContext;
