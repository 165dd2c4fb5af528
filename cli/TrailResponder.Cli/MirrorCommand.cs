using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Cli;

/// <summary><c>trailresponder mirror</c>: copies a trail bucket (or a time range of it) into a local folder that <c>validate</c> and <c>scan</c> read.</summary>
public static partial class MirrorCommand
{
    /// <summary>The mirror is complete.</summary>
    public const int ExitOk = ExitCodes.Ok;

    /// <summary>The command line is wrong.</summary>
    public const int ExitUsage = ExitCodes.Usage;

    /// <summary>The bucket (or the folder) could not be read or written.</summary>
    public const int ExitSourceUnreadable = ExitCodes.InputError;

    /// <summary>How many objects are downloaded at once unless --concurrency says otherwise.</summary>
    public const int DefaultConcurrency = 8;

    /// <summary>Builds the command reaching AWS through <paramref name="aws"/> (tests pass their own environment and credentials).</summary>
    internal static Command Create(Func<AwsAccess> aws)
    {
        var source = new Argument<string>("source")
        {
            Description = "The trail bucket as s3://BUCKET[/PREFIX] (PREFIX: the trail's key prefix, before AWSLogs/)",
        };
        var target = new Argument<string>("dir")
        {
            Description = "The local folder to mirror into (created when missing); objects keep their keys as paths",
        };
        var startTime = new Option<string?>("--start-time")
        {
            Description = "Only date folders from this UTC time's day, less one (e.g. 2024-03-01T00:00:00Z)",
        };
        var endTime = new Option<string?>("--end-time")
        {
            Description = "Only date folders up to this UTC time's day, plus one (needs --start-time; default: now)",
        };
        var account = new Option<string?>("--account")
        {
            Description = "Only this 12-digit account's folders",
        };
        var region = new Option<string?>("--region")
        {
            Description = "Only this trail region's folders (S3 is called in --aws-region)",
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "AWS profile (default: AWS_PROFILE or the standard credential chain)",
        };
        var awsRegion = new Option<string?>("--aws-region")
        {
            Description = "Region to call S3 in, the bucket's (default: AWS_REGION)",
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = $"Objects downloaded at once, 1-64 (default {DefaultConcurrency})",
            DefaultValueFactory = _ => DefaultConcurrency,
        };

        var command = new Command(
            "mirror",
            "Copy a trail bucket, or a time range of it, to a folder that validate and scan read offline")
        {
            source,
            target,
            startTime,
            endTime,
            account,
            region,
            profile,
            awsRegion,
            concurrency,
        };

        command.Action = new MirrorAction(new MirrorSymbols(source, target, startTime, endTime, account, region, profile, awsRegion, concurrency), aws);
        return command;
    }

    [GeneratedRegex(@"^\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    private sealed record MirrorSymbols(
        Argument<string> Source,
        Argument<string> Target,
        Option<string?> StartTime,
        Option<string?> EndTime,
        Option<string?> Account,
        Option<string?> Region,
        Option<string?> Profile,
        Option<string?> AwsRegion,
        Option<int> Concurrency);

    /// <summary>What to copy: the bucket, the prefix, and the optional time range, account and region.</summary>
    private sealed record MirrorRequest(string Bucket, string Prefix, DateTimeOffset? Start, DateTimeOffset? End, string? Account, string? Region, string Target, int Concurrency);

    /// <summary>The action; parse errors never reach it (CliApp answers them with exit code 2).</summary>
    private sealed class MirrorAction(MirrorSymbols symbols, Func<AwsAccess> aws) : AsynchronousCommandLineAction
    {
        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!TryBuildRequest(parseResult, out var request, out var problem))
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
                return ExitUsage;
            }

            Aws.AwsClients clients;
            try
            {
                clients = aws().Connect(parseResult.GetValue(symbols.Profile), parseResult.GetValue(symbols.AwsRegion));
            }
            catch (AwsAccessException ex)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ex.ExitCode;
            }

            using (clients)
            {
                // The bucket root, not the prefix: the mirror keeps full keys, which is what digests name.
                var store = clients.TrailStore(request.Bucket);
                var location = $"s3://{request.Bucket}/{request.Prefix}";
                MirrorCounts counts;
                try
                {
                    Directory.CreateDirectory(request.Target);
                    counts = await new TrailMirror(store, request.Target, request.Concurrency, error).CopyAsync(SelectAsync(store, request, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                catch (TrailObjectStoreException ex)
                {
                    await error.WriteLineAsync(AwsAccess.Explain(ex, location)).ConfigureAwait(false);
                    return ExitSourceUnreadable;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"Cannot write to '{request.Target}': {ex.Message}").ConfigureAwait(false);
                    return ExitSourceUnreadable;
                }

                await output.WriteLineAsync(
                    $"Mirrored {location} to {Path.GetFullPath(request.Target)}: {counts.Downloaded} downloaded ({counts.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes), "
                    + $"{counts.AlreadyPresent} already present, {counts.Skipped} skipped, {counts.Vanished} deleted while mirroring.").ConfigureAwait(false);
                return ExitOk;
            }
        }

        // With a time range only the date folders around it are listed, as validate lists them, so a mirror of a day reads
        // a day's keys and not the bucket's history; without one the whole prefix is listed.
        private static async IAsyncEnumerable<StoredObject> SelectAsync(ITrailObjectStore store, MirrorRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (request.Start is { } start && request.End is { } end && !request.Prefix.Contains("AWSLogs/", StringComparison.Ordinal))
            {
                var firstDay = DateOnly.FromDateTime(start.UtcDateTime).AddDays(-1);
                var lastDay = DateOnly.FromDateTime(end.UtcDateTime.AddHours(1)).AddDays(1);
                foreach (var service in new[] { "CloudTrail-Digest", "CloudTrail" })
                {
                    await foreach (var folder in TrailFolders.DateFoldersAsync(store, request.Prefix, service, firstDay, lastDay, request.Account, request.Region, cancellationToken).ConfigureAwait(false))
                    {
                        await foreach (var stored in store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
                        {
                            yield return stored;
                        }
                    }
                }

                yield break;
            }

            await foreach (var stored in store.ListAsync(request.Prefix, cancellationToken).ConfigureAwait(false))
            {
                var key = TrailObjectKey.Classify(stored.Key);
                if ((request.Account is null || key.AccountId == request.Account) && (request.Region is null || key.Region == request.Region))
                {
                    yield return stored;
                }
            }
        }

        private bool TryBuildRequest(ParseResult parseResult, out MirrorRequest request, out string problem)
        {
            request = null!;
            problem = string.Empty;
            var sourceText = parseResult.GetValue(symbols.Source)!;
            if (!AwsAccess.TryParseS3Url(sourceText, out var bucket, out var prefix))
            {
                problem = $"'{sourceText}' is not s3://BUCKET[/PREFIX], e.g. s3://my-trail-bucket or s3://my-trail-bucket/team-a.";
                return false;
            }

            if (!CliTime.TryParse(parseResult.GetValue(symbols.StartTime), "--start-time", out var start, ref problem)
                || !CliTime.TryParse(parseResult.GetValue(symbols.EndTime), "--end-time", out var end, ref problem))
            {
                return false;
            }

            if (end is not null && start is null)
            {
                problem = "--end-time needs --start-time, e.g. --start-time 2024-03-01 --end-time 2024-03-02.";
                return false;
            }

            end ??= start is null ? null : DateTimeOffset.UtcNow;
            if (start > end)
            {
                problem = "--start-time must not be after --end-time.";
                return false;
            }

            var account = parseResult.GetValue(symbols.Account);
            if (account is not null && !AccountId().IsMatch(account))
            {
                problem = $"--account '{account}' is not a 12-digit AWS account id.";
                return false;
            }

            var concurrency = parseResult.GetValue(symbols.Concurrency);
            if (concurrency is < 1 or > 64)
            {
                problem = $"--concurrency {concurrency} is not from 1 to 64.";
                return false;
            }

            request = new MirrorRequest(bucket, prefix, start, end, account, parseResult.GetValue(symbols.Region), parseResult.GetValue(symbols.Target)!, concurrency);
            return true;
        }
    }
}
