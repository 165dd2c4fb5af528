using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Search;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Cli;

/// <summary><c>trailresponder search ROOT [filters]</c>: the lookup-events of a trail bucket, without the 90-day limit.</summary>
internal static class SearchCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var root = new Argument<string>("root") { Description = "A folder that mirrors a trail bucket, or s3://bucket[/prefix]" };
        Option<string?> Filter(string name, string description) => new(name) { Description = description };
        var eventName = Filter("--event-name", "API name, e.g. ConsoleLogin; * is a wildcard (Delete*)");
        var user = Filter("--user", "userName or principal ARN of the caller.");
        var accessKey = Filter("--access-key", "Access key id that signed the call.");
        var resourceName = Filter("--resource-name", "A resource the event names: ARN or name (e.g. a bucket name)");
        var resourceType = Filter("--resource-type", "Type of that resource, e.g. AWS::S3::Bucket.");
        var eventSource = Filter("--event-source", "Service endpoint, e.g. iam.amazonaws.com.");
        var sourceIp = Filter("--source-ip", "Caller's source IP address (wildcards allowed: 203.0.113.*).");
        var error = Filter("--error", "Only failed calls: '*' for any error, or an error code with wildcards (AccessDenied*)");
        var readOnly = Filter("--read-only", "true for read-only calls only, false for mutating calls only.");
        var startTime = Filter("--start-time", "Events at or after this UTC time (ISO-8601; a date alone is midnight).");
        var endTime = Filter("--end-time", "Events at or before this UTC time.");
        var region = Filter("--region", "Only events of this region (the awsRegion field).");
        var account = Filter("--account", "Only events delivered to this 12-digit account.");
        var format = new Option<string>("--format") { Description = "'table' for people, 'json' for the full records, one per line.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var maxResults = new Option<int?>("--max-results") { Description = "At most this many events, newest first." };
        var profile = Filter("--profile", "AWS profile for s3:// roots (default: the standard credential chain).");
        var awsRegion = Filter("--aws-region", "AWS region of the API calls for s3:// roots (default: AWS_REGION).");

        var command = new Command(
            "search",
            "Find events in a trail bucket or a local mirror, like lookup-events over all of history")
        {
            root, eventName, user, accessKey, resourceName, resourceType, eventSource, sourceIp, error, readOnly, startTime, endTime, region, account,
            format, maxResults, profile, awsRegion,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var errors = parse.InvocationConfiguration.Error;
            try
            {
                var query = new TrailSearchQuery
                {
                    EventName = parse.GetValue(eventName),
                    User = parse.GetValue(user),
                    AccessKey = parse.GetValue(accessKey),
                    ResourceName = parse.GetValue(resourceName),
                    ResourceType = parse.GetValue(resourceType),
                    EventSource = parse.GetValue(eventSource),
                    SourceIp = parse.GetValue(sourceIp),
                    Error = parse.GetValue(error),
                    ReadOnly = parse.GetValue(readOnly) is { } flag ? bool.TryParse(flag, out var value) ? value : throw new CliUsageException($"--read-only '{flag}' is not true or false") : null,
                    StartTime = Time(parse.GetValue(startTime), "--start-time"),
                    EndTime = Time(parse.GetValue(endTime), "--end-time"),
                    Region = parse.GetValue(region),
                    Account = parse.GetValue(account),
                };
                if (query.StartTime > query.EndTime)
                {
                    throw new CliUsageException("--start-time is after --end-time");
                }

                if (parse.GetValue(maxResults) is < 1)
                {
                    throw new CliUsageException("--max-results must be at least 1");
                }

                var store = TrailRoot.Open(parse.GetValue(root)!, environment, parse.GetValue(profile), parse.GetValue(awsRegion));
                return await RunAsync(store, query, parse.GetValue(format)!, parse.GetValue(maxResults), output, errors, cancellationToken).ConfigureAwait(false);
            }
            catch (CliUsageException e)
            {
                await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (AwsAccessException e)
            {
                await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (TrailObjectStoreException e)
            {
                await errors.WriteLineAsync($"error: {AwsAccess.Explain(e, parse.GetValue(root)!)}").ConfigureAwait(false);
                return ExitCodes.InputError;
            }
        });
        return command;
    }

    private static DateTimeOffset? Time(string? text, string option)
    {
        var problem = string.Empty;
        return CliTime.TryParse(text, option, out var time, ref problem) ? time : throw new CliUsageException(problem);
    }

    private static async Task<int> RunAsync(ITrailObjectStore store, TrailSearchQuery query, string format, int? maxResults, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var files = await LogFilesAsync(store, query, cancellationToken).ConfigureAwait(false);
        var matches = new NewestEvents(maxResults);
        var problems = new ConcurrentBag<string>();
        long records = 0;
        var done = 0;
        var progress = new SearchProgress(errors, files.Count);
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (key, token) =>
            {
                var matcher = query.CreateMatcher();
                try
                {
                    using var reader = new CloudTrailLogReader(await store.OpenReadAsync(key, token).ConfigureAwait(false), $"{store.Location.TrimEnd('/')}/{key}");
                    // Borrowed: a record is copied out of the reader's buffer only when it is kept for printing.
                    while (await reader.ReadBorrowedAsync(token).ConfigureAwait(false) is { } record)
                    {
                        Interlocked.Increment(ref records);
                        if (matcher.Matches(record))
                        {
                            matches.Offer(record);
                        }
                    }

                    foreach (var problem in reader.Problems)
                    {
                        problems.Add(problem.Message);
                    }

                    if (reader.ProblemCount > reader.Problems.Count)
                    {
                        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.Source}: {reader.ProblemCount - reader.Problems.Count:N0} more records were skipped (only the first {reader.Problems.Count} faults of a file are listed)"));
                    }
                }
                catch (Exception e) when (e is LogFileException or TrailObjectStoreException or TrailObjectNotFoundException)
                {
                    problems.Add(e.Message);
                }

                progress.Report(Interlocked.Increment(ref done), clock.Elapsed);
            }).ConfigureAwait(false);
        progress.Finish();

        // Newest first, as lookup-events answers; ties broken by event id so output is stable.
        var results = matches.InPrintOrder();
        if (format == "json")
        {
            foreach (var record in results)
            {
                await output.WriteLineAsync(Encoding.UTF8.GetString(record.Json.Span)).ConfigureAwait(false);
            }
        }
        else
        {
            WriteTable(results, output);
        }

        foreach (var problem in problems.Order(StringComparer.Ordinal))
        {
            await errors.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
        }

        await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"searched {files.Count} log files, {records:N0} records in {clock.Elapsed.TotalSeconds:0.00} s: {matches.Matched:N0} matching events{(results.Count < matches.Matched ? $" ({results.Count} shown)" : string.Empty)}, {problems.Count} errors")).ConfigureAwait(false);
        return problems.IsEmpty ? ExitCodes.Ok : ExitCodes.InputError;
    }

    // With a time range only the CloudTrail date folders of that range are listed; without one, every log file.
    private static async Task<List<string>> LogFilesAsync(ITrailObjectStore store, TrailSearchQuery query, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        if (query.Days() is { } days && await HasTrailLayoutAsync(store, cancellationToken).ConfigureAwait(false))
        {
            await foreach (var folder in TrailFolders.DateFoldersAsync(store, string.Empty, "CloudTrail", days.First, days.Last, query.Account, query.Region, cancellationToken).ConfigureAwait(false))
            {
                await foreach (var stored in store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
                {
                    keys.Add(stored.Key);
                }
            }
        }
        else
        {
            await foreach (var stored in store.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(stored.Key);
            }
        }

        return keys.Where(k => TrailObjectKey.Classify(k) is { Kind: TrailObjectKind.LogFile } key
                && (query.Account is null || key.AccountId == query.Account)
                && (query.Region is null || key.Region == query.Region))
            .ToList();
    }

    private static async Task<bool> HasTrailLayoutAsync(ITrailObjectStore store, CancellationToken cancellationToken)
    {
        await foreach (var folder in store.ListFoldersAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            if (folder == "AWSLogs/")
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteTable(IReadOnlyList<CloudTrailRecord> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            output.WriteLine("No matching events.");
            return;
        }

        output.WriteLine($"{"TIME",-20}  {"USER",-32}  {"EVENT",-40}  {"SOURCE IP",-18}  {"RESOURCES",-40}  ERROR");
        foreach (var record in results)
        {
            var identity = record.UserIdentity;
            var who = identity?.UserName ?? identity?.Arn?.Split('/')[^1] ?? identity?.Type ?? "-";
            var what = $"{record.EventSource?.Replace(".amazonaws.com", string.Empty, StringComparison.Ordinal)}:{record.EventName ?? record.InsightEventName}";
            var resources = string.Join(",", EventResources.Of(record).Select(r => r.Id));
            output.WriteLine(
                $"{Cell(record.EventTimeText, 20)}  {Cell(who, 32)}  {Cell(what, 40)}  {Cell(record.SourceIpAddress, 18)}  {Cell(resources, 40)}  {NotificationText.SingleLine(record.ErrorCode ?? "-")}");
        }
    }

    private static string Cell(string? value, int width)
    {
        var text = NotificationText.SingleLine(string.IsNullOrEmpty(value) ? "-" : value);
        return text.Length > width ? text[..(width - 1)] + "…" : text.PadRight(width);
    }

    /// <summary>A progress bar on stderr, only when stderr is a terminal and the search runs longer than a second.</summary>
    private sealed class SearchProgress(TextWriter errors, int total)
    {
        private readonly bool _enabled = ReferenceEquals(errors, Console.Error) && !Console.IsErrorRedirected;
        private readonly Lock _gate = new();
        private bool _shown;

        public void Report(int done, TimeSpan elapsed)
        {
            if (!_enabled || elapsed < TimeSpan.FromSeconds(1))
            {
                return;
            }

            lock (_gate)
            {
                const int width = 30;
                var filled = total == 0 ? width : done * width / total;
                errors.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} files");
                _shown = true;
            }
        }

        public void Finish()
        {
            if (_shown)
            {
                errors.WriteLine();
            }
        }
    }
}
