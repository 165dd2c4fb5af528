using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Scanning;

/// <summary>Reads one log file and evaluates every rule on every record: the job the LogProcessor and <c>scan</c> share.</summary>
/// <remarks>Thread-safe: each call gets its own evaluator, so one scanner serves parallel files.</remarks>
public sealed class LogFileScanner(RuleSet rules, LogReaderOptions? options = null)
{
    private readonly LogReaderOptions _options = options ?? LogReaderOptions.Default;

    /// <summary>The rules applied.</summary>
    public RuleSet Rules => rules;

    /// <summary>Scans a file read synchronously (local files), keeping every finding in <paramref name="collector"/>.</summary>
    public LogFileScan Scan(Stream input, string source, FindingCollector collector)
    {
        using var reader = new CloudTrailLogReader(input, source, _options);
        var evaluator = rules.CreateEvaluator();
        var findings = 0;
        try
        {
            while (reader.ReadBytes() is { } bytes)
            {
                var matched = evaluator.Match(bytes.Json.Span, out var isWatched);
                if (matched.Count == 0 && !isWatched)
                {
                    continue;
                }

                var record = bytes.Borrow(reader.Source);
                foreach (var rule in matched)
                {
                    collector.Add(FindingFactory.Create(rule, record));
                    findings++;
                }

                if (isWatched)
                {
                    collector.Watch(record);
                }
            }
        }
        catch (LogFileException e)
        {
            return Result(reader, findings, e);
        }

        return Result(reader, findings, null);
    }

    /// <summary>Scans a file read asynchronously (network streams), handing each finding to <paramref name="observer"/> as it is found.</summary>
    /// <remarks>
    /// Only a damaged file ends the scan with a result; an exception from the observer or the stream is thrown.
    /// Cancellation stops the reading within one buffer of records and throws <see cref="ScanStoppedException"/>.
    /// </remarks>
    public async Task<LogFileScan> ScanAsync(Stream input, string source, IScanObserver observer, CancellationToken cancellationToken = default)
    {
        using var reader = new CloudTrailLogReader(input, source, _options);
        var evaluator = rules.CreateEvaluator();
        var findings = 0;
        try
        {
            while (await reader.ReadBytesAsync(cancellationToken).ConfigureAwait(false) is { } bytes)
            {
                var matched = evaluator.Match(bytes.Json.Span, out var isWatched);
                if (matched.Count == 0 && !isWatched)
                {
                    continue;
                }

                // Borrowed: the reader does not move on until the observer's calls have returned.
                var record = bytes.Borrow(reader.Source);
                foreach (var rule in matched)
                {
                    await observer.OnFindingAsync(FindingFactory.Create(rule, record), cancellationToken).ConfigureAwait(false);
                    findings++;
                }

                if (isWatched)
                {
                    await observer.OnWatchedAsync(record, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (LogFileException e)
        {
            return Result(reader, findings, e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new ScanStoppedException(Result(reader, findings, null), e);
        }

        return Result(reader, findings, null);
    }

    private static LogFileScan Result(CloudTrailLogReader reader, int findings, LogFileException? error) =>
        new(reader.Source, findings, reader.RecordsRead, reader.CompressedBytes, reader.DecompressedBytes, reader.Problems.ToArray(), reader.ProblemCount, error);
}
