using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using TrailResponder.Core.Delivery;

namespace TrailResponder.Aws;

/// <summary>
/// Imports findings with Security Hub's BatchImportFindings: batches of at most 100, paced to the service's 10 calls per
/// second (burst 30), throttled batches backed off and sent again, and findings the service reports as failed retried.
/// </summary>
/// <remarks>
/// A backfill can produce thousands of findings; without pacing most batches would be throttled and, once the retries
/// ran out, lost. The pacing state lives in the instance, so one importer should serve a whole process.
/// </remarks>
public sealed class SecurityHubFindingImporter : IFindingImporter
{
    private readonly AwsRequestSender sender;
    private readonly AwsRetryOptions retry;
    private readonly SecurityHubImportOptions options;
    private readonly TokenBucket pacer;

    internal SecurityHubFindingImporter(AwsRequestSender sender, string region, AwsRetryOptions retry, SecurityHubImportOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFindingsPerBatch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxFindingsPerBatch, 100);
        this.sender = sender;
        this.retry = retry;
        this.options = options;
        Region = region;
        pacer = new TokenBucket(options.CallsPerSecond, options.Burst, retry.TimeProvider, retry.DelayAsync);
    }

    /// <summary>The Security Hub region imported into.</summary>
    public string Region { get; }

    /// <inheritdoc/>
    public async Task ImportAsync(IReadOnlyList<AsffFinding> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        IReadOnlyList<AsffFinding> pending = findings;
        for (var round = 0; pending.Count > 0; round++)
        {
            var failures = new List<(AsffFinding? Finding, FailedFinding Failure)>();
            foreach (var batch in Batches(pending))
            {
                failures.AddRange(await ImportBatchAsync(batch, cancellationToken).ConfigureAwait(false));
            }

            var retryable = failures.Where(f => f.Finding is not null).Select(f => f.Finding!).ToList();
            if (failures.Count == 0)
            {
                return;
            }

            if (round >= options.FailedFindingRetries || retryable.Count < failures.Count)
            {
                throw new FindingImportException(failures.Select(f => f.Failure).ToList());
            }

            await retry.DelayAsync(retry.BackoffBefore(round + 1), cancellationToken).ConfigureAwait(false);
            pending = retryable;
        }
    }

    private async Task<List<(AsffFinding? Finding, FailedFinding Failure)>> ImportBatchAsync(IReadOnlyList<AsffFinding> batch, CancellationToken cancellationToken)
    {
        var body = RequestBody(batch);
        for (var attempt = 0; ; attempt++)
        {
            await pacer.TakeAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var content = new ReadOnlyMemoryContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var response = await sender.PostAsync(AwsService.SecurityHub, "BatchImportFindings", Region, "/findings/import", content, cancellationToken).ConfigureAwait(false);
                return Failures(response.Body, batch);
            }
            catch (AwsServiceException ex) when (ex.IsThrottling && attempt < options.ThrottledBatchRetries)
            {
                // The HTTP retries ran out on throttling: other callers share the account's quota, so slow down for a while.
                pacer.Drain();
                await retry.DelayAsync(retry.BackoffBefore(attempt + 2), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private IEnumerable<IReadOnlyList<AsffFinding>> Batches(IReadOnlyList<AsffFinding> findings)
    {
        var batch = new List<AsffFinding>();
        var bytes = 0L;
        foreach (var finding in findings)
        {
            if (batch.Count > 0 && (batch.Count >= options.MaxFindingsPerBatch || bytes + finding.Json.Length + 1 > options.MaxBatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(finding);
            bytes += finding.Json.Length + 1;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static ReadOnlyMemory<byte> RequestBody(IReadOnlyList<AsffFinding> batch)
    {
        // Sized for the whole body at once (with room for the writer's own requests for space): a growing buffer
        // would copy a batch of up to 6 MB several times over.
        var buffer = new ArrayBufferWriter<byte>(batch.Sum(f => f.Json.Length + 1) + 8192);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Findings");
            foreach (var finding in batch)
            {
                // The finding is complete ASFF already; re-serializing it could only lose or reorder something.
                writer.WriteRawValue(finding.Json.Span);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static List<(AsffFinding? Finding, FailedFinding Failure)> Failures(byte[] responseBody, IReadOnlyList<AsffFinding> batch)
    {
        var failures = new List<(AsffFinding?, FailedFinding)>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(responseBody);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Security Hub BatchImportFindings returned a response that is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var failedCount = root.TryGetProperty("FailedCount", out var count) && count.TryGetInt32(out var n) ? n : 0;
            var byId = batch.ToLookup(f => f.Id, StringComparer.Ordinal);
            if (root.TryGetProperty("FailedFindings", out var failed) && failed.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in failed.EnumerateArray())
                {
                    var id = String(item, "Id") ?? "(no id)";
                    var failure = new FailedFinding(id, String(item, "ErrorCode") ?? "(no code)", String(item, "ErrorMessage") ?? "(no message)");
                    var matches = byId[id].ToList();
                    if (matches.Count == 0)
                    {
                        failures.Add((null, failure));
                    }

                    failures.AddRange(matches.Select(m => ((AsffFinding?)m, failure)));
                }
            }

            // A count without the list must not pass for success: without ids nothing can be retried.
            if (failedCount > 0 && failures.Count == 0)
            {
                failures.Add((null, new FailedFinding("(unknown)", "FailedCount", $"Security Hub reported {failedCount} failed finding(s) without listing them")));
            }
        }

        return failures;
    }

    private static string? String(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
