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

    /// <summary>Scans a file read synchronously (local files).</summary>
    public LogFileScan Scan(Stream input, string source)
    {
        using var reader = new CloudTrailLogReader(input, source, _options);
        var evaluator = rules.CreateEvaluator();
        var findings = new List<Finding>();
        var watched = new List<CloudTrailRecord>();
        try
        {
            while (reader.ReadBytes() is { } record)
            {
                Evaluate(evaluator, record, reader.Source, findings, watched);
            }
        }
        catch (LogFileException e)
        {
            return Result(reader, findings, watched, e);
        }

        return Result(reader, findings, watched, null);
    }

    /// <summary>Scans a file read asynchronously (network streams).</summary>
    public async Task<LogFileScan> ScanAsync(Stream input, string source, CancellationToken cancellationToken = default)
    {
        using var reader = new CloudTrailLogReader(input, source, _options);
        var evaluator = rules.CreateEvaluator();
        var findings = new List<Finding>();
        var watched = new List<CloudTrailRecord>();
        try
        {
            while (await reader.ReadBytesAsync(cancellationToken).ConfigureAwait(false) is { } record)
            {
                Evaluate(evaluator, record, reader.Source, findings, watched);
            }
        }
        catch (LogFileException e)
        {
            return Result(reader, findings, watched, e);
        }

        return Result(reader, findings, watched, null);
    }

    private static void Evaluate(RuleEvaluator evaluator, RecordBytes bytes, string source, List<Finding> findings, List<CloudTrailRecord> watched)
    {
        var rules = evaluator.Match(bytes.Json.Span, out var isWatched);
        if (rules.Count == 0 && !isWatched)
        {
            return;
        }

        var record = bytes.Borrow(source);
        foreach (var rule in rules)
        {
            findings.Add(FindingFactory.Create(rule, record));
        }

        // The bytes are the reader's: keep a copy of the few records that outlive this step.
        if (isWatched)
        {
            watched.Add(record.Detach());
        }
    }

    private static LogFileScan Result(CloudTrailLogReader reader, List<Finding> findings, List<CloudTrailRecord> watched, LogFileException? error) =>
        new(reader.Source, findings, reader.RecordsRead, reader.CompressedBytes, reader.DecompressedBytes, reader.Problems.ToArray(), error, watched);
}
