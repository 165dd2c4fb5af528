using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrailResponder.Aws;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Digests;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Cli;

/// <summary><c>trailresponder validate</c>: CloudTrail log file integrity validation of a trail bucket in S3 or of a local mirror of one.</summary>
public static partial class ValidateCommand
{
    /// <summary>Everything examined is valid.</summary>
    public const int ExitValid = ExitCodes.Ok;

    /// <summary>Something is invalid, missing or unverified.</summary>
    public const int ExitProblems = ExitCodes.Problems;

    /// <summary>The command line is wrong (bad option, unreadable public key file).</summary>
    public const int ExitUsage = ExitCodes.Usage;

    /// <summary>The source could not be read.</summary>
    public const int ExitSourceUnreadable = ExitCodes.InputError;

    // CloudTrail lists a log file in the digest it closes within the hour after delivery: the same wait as the function's default SETTLE_HOURS.
    private static readonly TimeSpan SettleTime = TimeSpan.FromHours(1);

    // Before CloudTrail signed its first digest: the key range asked for when an S3 root is validated without --start-time.
    private static readonly DateTimeOffset EarliestDigest = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Builds the command reaching AWS through <paramref name="aws"/> (tests pass their own environment and credentials).</summary>
    internal static Command Create(Func<AwsAccess> aws)
    {
        var root = new Argument<string>("root")
        {
            Description = "s3://BUCKET[/PREFIX], or a folder that mirrors a trail bucket (signatures in X.metadata.json)",
        };
        var publicKeys = new Option<string[]>("--public-keys")
        {
            Description = "Output of 'aws cloudtrail list-public-keys' (repeatable); needed for a folder, optional for s3://",
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "AWS profile for s3:// roots (default: AWS_PROFILE or the standard credential chain)",
        };
        var awsRegion = new Option<string?>("--aws-region")
        {
            Description = "Region to call S3 in for s3:// roots (default: AWS_REGION); keys come from each digest's region",
        };
        var startTime = new Option<string?>("--start-time")
        {
            Description = "Digests ending at or after this UTC time (a date alone is midnight; default: all)",
        };
        var endTime = new Option<string?>("--end-time")
        {
            Description = "Digests ending up to an hour after this UTC time, as the AWS CLI does (default: all)",
        };
        var account = new Option<string?>("--account")
        {
            Description = "Only this 12-digit account's digests and log files",
        };
        var region = new Option<string?>("--region")
        {
            Description = "Only this region's digests and log files",
        };
        var trailName = new Option<string?>("--trail-name")
        {
            Description = "Only this trail's digest chains (exit 2 when it matches none while other trails' do)",
        };
        var format = new Option<string>("--format")
        {
            Description = "text for people (problems first, then a summary), json for one object per line",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command(
            "validate",
            "Verify digest signatures, the digest chain and every log file's SHA-256 (exit 1 on any problem)")
        {
            root,
            publicKeys,
            startTime,
            endTime,
            account,
            region,
            trailName,
            format,
            profile,
            awsRegion,
        };

        command.Action = new ValidateAction(new ValidateSymbols(root, publicKeys, startTime, endTime, account, region, trailName, format, profile, awsRegion), aws);
        return command;
    }

    [GeneratedRegex(@"^\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    private sealed record ValidateSymbols(
        Argument<string> Root,
        Option<string[]> PublicKeys,
        Option<string?> StartTime,
        Option<string?> EndTime,
        Option<string?> Account,
        Option<string?> Region,
        Option<string?> TrailName,
        Option<string> Format,
        Option<string?> Profile,
        Option<string?> AwsRegion);

    /// <summary>The action; parse errors never reach it (CliApp answers them with exit code 2).</summary>
    private sealed class ValidateAction(ValidateSymbols symbols, Func<AwsAccess> aws) : AsynchronousCommandLineAction
    {
        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;

            if (!TryBuildOptions(parseResult, out var options, out var problem))
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
                return ExitUsage;
            }

            var rootText = parseResult.GetValue(symbols.Root)!;
            var keyFiles = parseResult.GetValue(symbols.PublicKeys) ?? [];
            var isS3 = AwsAccess.TryParseS3Url(rootText, out var bucket, out var prefix);
            if (!isS3 && rootText.StartsWith("s3:", StringComparison.OrdinalIgnoreCase))
            {
                await error.WriteLineAsync($"'{rootText}' is not s3://BUCKET[/PREFIX], e.g. s3://my-trail-bucket/team-a.").ConfigureAwait(false);
                return ExitUsage;
            }

            if (!isS3 && keyFiles.Length == 0)
            {
                await error.WriteLineAsync("Option '--public-keys' is required for a local folder: save 'aws cloudtrail list-public-keys --start-time ... --end-time ...' of each region to a file and pass it, e.g. --public-keys keys-us-east-1.json.").ConfigureAwait(false);
                return ExitUsage;
            }

            PublicKeySet? keys = null;
            if (keyFiles.Length > 0)
            {
                try
                {
                    keys = await LoadPublicKeysAsync(keyFiles, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                    return ExitUsage;
                }
            }

            AwsClients? clients = null;
            ITrailObjectStore store;
            if (isS3)
            {
                try
                {
                    clients = aws().Connect(parseResult.GetValue(symbols.Profile), parseResult.GetValue(symbols.AwsRegion));
                }
                catch (AwsAccessException ex)
                {
                    await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                    return ex.ExitCode;
                }

                // The store reads from the bucket root: digests name their full keys, prefix included.
                store = clients.TrailStore(bucket);
                // A live bucket is judged as of now; a folder (below) as of its newest file, i.e. when it was mirrored.
                options = options with { ListPrefix = prefix, BucketName = bucket, Now = DateTimeOffset.UtcNow };
            }
            else if (!Directory.Exists(rootText))
            {
                await error.WriteLineAsync($"Cannot read '{rootText}': not a folder. Give a local mirror of a trail bucket or s3://BUCKET[/PREFIX].").ConfigureAwait(false);
                return ExitSourceUnreadable;
            }
            else
            {
                store = new LocalFolderTrailStore(rootText);
            }

            using (clients)
            {
                var location = isS3 ? $"s3://{bucket}/{prefix}" : store.Location;
                DigestValidationReport report;
                try
                {
                    if (keys is null)
                    {
                        var regional = await RegionalPublicKeys.LoadAsync(
                            clients!.PublicKeys(),
                            store,
                            DigestRegions.TrailRoot(prefix),
                            options.StartTime ?? EarliestDigest,
                            options.EndTime ?? DateTimeOffset.UtcNow,
                            options.AccountId,
                            options.Region,
                            cancellationToken).ConfigureAwait(false);
                        keys = regional.Keys;
                        if (regional.Regions.Count == 0)
                        {
                            await error.WriteLineAsync($"Warning: no CloudTrail-Digest folders under {location}; is log file validation on for the trail, and is the prefix right?").ConfigureAwait(false);
                        }
                    }

                    if (keys.Keys.Count == 0)
                    {
                        await error.WriteLineAsync("Warning: no public keys were found; every digest will be reported as signed by an unknown key.").ConfigureAwait(false);
                    }

                    report = await new DigestChainValidator(store, keys, options).ValidateAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (TrailObjectStoreException ex)
                {
                    await error.WriteLineAsync(isS3 ? AwsAccess.Explain(ex, location) : $"Cannot read '{store.Location}': {ex.Message}").ConfigureAwait(false);
                    return ExitSourceUnreadable;
                }
                catch (Exception ex) when (AwsAccess.IsAwsFailure(ex))
                {
                    await error.WriteLineAsync($"Cannot read CloudTrail's public keys (the credentials need cloudtrail:ListPublicKeys, or pass --public-keys files): {ex.Message}").ConfigureAwait(false);
                    return ExitSourceUnreadable;
                }

                if (parseResult.GetValue(symbols.Format) == "json")
                {
                    await ValidationReportWriter.WriteJsonLinesAsync(report, output).ConfigureAwait(false);
                }
                else
                {
                    await ValidationReportWriter.WriteTextAsync(report, location, output).ConfigureAwait(false);
                }

                if (report.TrailNameMismatch is { } mismatch)
                {
                    await error.WriteLineAsync(NotificationText.SingleLine($"Configuration error: --trail-name names no trail here; {mismatch.Describe()}. Name one of those trails, or leave --trail-name out to validate every trail.")).ConfigureAwait(false);
                    return ExitUsage;
                }

                return report.AllValid ? ExitValid : ExitProblems;
            }
        }

        private bool TryBuildOptions(ParseResult parseResult, out DigestValidationOptions options, out string problem)
        {
            options = new DigestValidationOptions();
            problem = "";
            if (!CliTime.TryParse(parseResult.GetValue(symbols.StartTime), "--start-time", out var start, ref problem)
                || !CliTime.TryParse(parseResult.GetValue(symbols.EndTime), "--end-time", out var end, ref problem))
            {
                return false;
            }

            if (start is not null && end is not null && start > end)
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

            options = new DigestValidationOptions
            {
                StartTime = start,
                EndTime = end,
                AccountId = account,
                Region = parseResult.GetValue(symbols.Region),
                TrailName = parseResult.GetValue(symbols.TrailName),
                SettleTime = SettleTime,
            };
            return true;
        }

        private static async Task<PublicKeySet> LoadPublicKeysAsync(IEnumerable<string> files, CancellationToken cancellationToken)
        {
            var keys = new PublicKeySet([]);
            foreach (var file in files)
            {
                string json;
                try
                {
                    json = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new IOException($"Cannot read public key file '{file}': {ex.Message}", ex);
                }

                keys = keys.Merge(PublicKeySet.Parse(json, file));
            }

            return keys;
        }
    }
}

/// <summary>Writes a validation report as JSON lines or as grouped text for people.</summary>
internal static class ValidationReportWriter
{
    private static readonly VerdictStatus[] ProblemOrder = [VerdictStatus.Invalid, VerdictStatus.Missing, VerdictStatus.Unverified];

    /// <summary>One object per file verdict, gap and restart, then a summary object.</summary>
    public static async Task WriteJsonLinesAsync(DigestValidationReport report, TextWriter output)
    {
        foreach (var verdict in report.Verdicts)
        {
            await WriteLineAsync(output, w =>
            {
                w.WriteString("kind", verdict.Kind == VerdictFileKind.Digest ? "digest" : "log");
                w.WriteString("key", verdict.Key);
                w.WriteString("status", Name(verdict.Status));
                w.WriteString("reason", verdict.Reason);
            }).ConfigureAwait(false);
        }

        foreach (var gap in report.Gaps)
        {
            await WriteLineAsync(output, w =>
            {
                w.WriteString("kind", "gap");
                w.WriteString("chain", gap.Chain.ToString());
                w.WriteString("from", Time(gap.From));
                w.WriteString("to", Time(gap.To));
                w.WriteString("olderDigest", gap.OlderDigestKey);
                w.WriteString("newerDigest", gap.NewerDigestKey);
                w.WriteNumber("logFiles", gap.LogFilesInGap);
            }).ConfigureAwait(false);
        }

        foreach (var restart in report.ChainRestarts)
        {
            await WriteLineAsync(output, w =>
            {
                w.WriteString("kind", "chain-restart");
                w.WriteString("chain", restart.Chain.ToString());
                w.WriteString("from", Time(restart.From));
                w.WriteString("to", Time(restart.To));
                w.WriteString("olderDigest", restart.OlderDigestKey);
                w.WriteString("newDigest", restart.NewDigestKey);
                w.WriteNumber("logFiles", restart.LogFilesInBetween);
            }).ConfigureAwait(false);
        }

        foreach (var silence in report.Silences)
        {
            await WriteLineAsync(output, w =>
            {
                w.WriteString("kind", "no-digest");
                w.WriteString("trail", silence.TrailName);
                w.WriteString("account", silence.Folder.AccountId);
                w.WriteString("region", silence.Folder.Region);
                w.WriteString("digestFolder", silence.DigestFolder);
                if (silence.Since is { } since)
                {
                    w.WriteString("since", Time(since));
                    w.WriteString("lastDigest", silence.LastDigestKey);
                }

                w.WriteString("firstLogFileDelivered", Time(silence.FirstDelivered));
                w.WriteString("lastLogFileDelivered", Time(silence.LastDelivered));
                w.WriteNumber("logFiles", silence.LogFiles);
                w.WriteString("reason", silence.Describe());
            }).ConfigureAwait(false);
        }

        if (report.TrailNameMismatch is { } mismatch)
        {
            await WriteLineAsync(output, w =>
            {
                w.WriteString("kind", "configuration-error");
                w.WriteString("trailName", mismatch.TrailName);
                w.WriteStartArray("trailsFound");
                foreach (var trail in mismatch.TrailsFound)
                {
                    w.WriteStringValue(trail);
                }

                w.WriteEndArray();
                w.WriteString("reason", mismatch.Describe());
            }).ConfigureAwait(false);
        }

        await WriteLineAsync(output, w =>
        {
            w.WriteString("kind", "summary");
            w.WriteBoolean("allValid", report.AllValid);
            w.WriteNumber("digestsValid", report.Digests.Valid);
            w.WriteNumber("digestsInvalid", report.Digests.Invalid);
            w.WriteNumber("digestsMissing", report.Digests.Missing);
            w.WriteNumber("logFilesValid", report.LogFiles.Valid);
            w.WriteNumber("logFilesInvalid", report.LogFiles.Invalid);
            w.WriteNumber("logFilesMissing", report.LogFiles.Missing);
            w.WriteNumber("logFilesUnverified", report.LogFiles.Unverified);
            w.WriteNumber("gaps", report.Gaps.Count);
            w.WriteNumber("chainRestarts", report.ChainRestarts.Count);
            w.WriteNumber("noDigest", report.Silences.Count);
            w.WriteNumber("offChainDigests", report.OffChainDigests.Count);
            w.WriteNumber("pendingLogFiles", report.PendingLogFiles);
            w.WriteBoolean("configurationError", report.TrailNameMismatch is not null);
        }).ConfigureAwait(false);
    }

    /// <summary>Problems grouped by verdict, then gaps, restarts and a summary.</summary>
    public static async Task WriteTextAsync(DigestValidationReport report, string location, TextWriter output)
    {
        await output.WriteLineAsync(Line($"Validating CloudTrail log file integrity in {location}")).ConfigureAwait(false);
        if (report.TrailNameMismatch is { } mismatch)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync("CONFIGURATION ERROR:").ConfigureAwait(false);
            await output.WriteLineAsync(Line($"  {mismatch.Describe()}")).ConfigureAwait(false);
        }

        foreach (var status in ProblemOrder)
        {
            var group = report.Verdicts.Where(v => v.Status == status).ToList();
            if (group.Count == 0)
            {
                continue;
            }

            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"{Name(status).ToUpperInvariant()} ({group.Count}):").ConfigureAwait(false);
            foreach (var verdict in group.OrderBy(v => v.Kind).ThenBy(v => v.Key, StringComparer.Ordinal))
            {
                await output.WriteLineAsync(Line($"  {(verdict.Kind == VerdictFileKind.Digest ? "Digest file" : "Log file")}  {verdict.Key}")).ConfigureAwait(false);
                await output.WriteLineAsync(Line($"      {verdict.Reason}")).ConfigureAwait(false);
            }
        }

        await WriteSectionAsync(
            output,
            $"GAPS ({report.Gaps.Count}): hours no digest covers although the chain continues",
            report.Gaps.Select(gap => $"{gap.Chain}: no digest from {Time(gap.From)} to {Time(gap.To)} ({gap.LogFilesInGap} log files named in between)")).ConfigureAwait(false);
        await WriteSectionAsync(
            output,
            $"CHAIN RESTARTS ({report.ChainRestarts.Count}): logging or log file validation was off",
            report.ChainRestarts.Select(restart => $"{restart.Chain}: no digest between {Time(restart.From)} and {Time(restart.To)} ({restart.LogFilesInBetween} log files named in between); new chain starts at {restart.NewDigestKey}")).ConfigureAwait(false);
        await WriteSectionAsync(
            output,
            $"NO DIGEST ({report.Silences.Count}): log files kept arriving but the trail's digests did not",
            report.Silences.Select(silence => silence.Describe())).ConfigureAwait(false);
        await WriteSectionAsync(
            output,
            $"NOT ON ANY CHAIN ({report.OffChainDigests.Count}): digests the chain walk never reached (not judged, as the AWS CLI)",
            report.OffChainDigests).ConfigureAwait(false);

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("SUMMARY").ConfigureAwait(false);
        if (report.Digests.Total == 0)
        {
            await output.WriteLineAsync("  No digests found.").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"  {Counts(report.Digests, "digest files")}").ConfigureAwait(false);
        await output.WriteLineAsync($"  {Counts(report.LogFiles, "log files")}").ConfigureAwait(false);
        if (report.PendingLogFiles > 0)
        {
            await output.WriteLineAsync($"  {report.PendingLogFiles} log files no digest lists yet were not judged: delivered after the newest digest of their region, too recently for their digest to be due").ConfigureAwait(false);
        }

        await output.WriteLineAsync(report.AllValid ? "  Result: everything examined is valid." : "  Result: integrity problems found.").ConfigureAwait(false);
    }

    private static string Counts(VerdictCounts counts, string what)
    {
        var parts = new List<string> { $"{counts.Valid}/{counts.Total} {what} valid" };
        if (counts.Invalid > 0)
        {
            parts.Add($"{counts.Invalid} invalid");
        }

        if (counts.Missing > 0)
        {
            parts.Add($"{counts.Missing} missing");
        }

        if (counts.Unverified > 0)
        {
            parts.Add($"{counts.Unverified} unverified");
        }

        return string.Join(", ", parts);
    }

    private static string Name(VerdictStatus status) => status switch
    {
        VerdictStatus.Valid => "valid",
        VerdictStatus.Invalid => "invalid",
        VerdictStatus.Missing => "missing",
        _ => "unverified",
    };

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A heading and one indented line per item; nothing at all when there are no items.
    private static async Task WriteSectionAsync(TextWriter output, string heading, IEnumerable<string> items)
    {
        var lines = items.ToList();
        if (lines.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(heading).ConfigureAwait(false);
        foreach (var line in lines)
        {
            await output.WriteLineAsync(Line($"  {line}")).ConfigureAwait(false);
        }
    }

    // Keys and reasons come from object keys and digest content anyone with write access to the bucket chose: never let
    // them break a line or drive the terminal.
    private static string Line(string text) => NotificationText.SingleLine(text);

    private static async Task WriteLineAsync(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: the lines are read by people and JSON parsers, never embedded in HTML, and "doesn't" reads better than "doesn\u0027t".
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        await output.WriteLineAsync(NotificationText.InJson(System.Text.Encoding.UTF8.GetString(buffer.ToArray()))).ConfigureAwait(false);
    }
}
