using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TrailResponder.Cli.Storage;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;
using TrailResponder.Core.Storage;
using TrailResponder.Core.Trail;

namespace TrailResponder.Cli;

/// <summary><c>trailresponder scan PATH...</c>: evaluate the detection rules on CloudTrail log files.</summary>
internal static class ScanCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Log files (.json.gz, .json), folders that mirror a trail bucket, or s3://bucket[/prefix]",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format")
        {
            Description = "text (grouped by rule, most severe first) or json (one finding per line)",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var rules = new RuleOptions();
        var minSeverity = new Option<string?>("--min-severity")
        {
            Description = $"Report only findings at or above this severity: {string.Join(", ", SeverityLabels.All)}",
        };

        var profile = new Option<string?>("--profile") { Description = "AWS profile for s3:// paths (default: the standard credential chain)" };
        var awsRegion = new Option<string?>("--aws-region") { Description = "AWS region of the API calls for s3:// paths (default: AWS_REGION)" };

        var command = new Command(
            "scan",
            "Evaluate the built-in rules, and yours, on log files, folders or s3:// prefixes")
        {
            paths, format, minSeverity, profile, awsRegion,
        };
        foreach (var option in rules.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var threshold = Severity.Informational;
            if (parse.GetValue(minSeverity) is { } label && !SeverityLabels.TryParse(label, out threshold))
            {
                error.WriteLine($"error: --min-severity '{label}' is not a severity (use {string.Join(", ", SeverityLabels.All)})");
                return ExitCodes.Usage;
            }

            if (rules.Load(parse, error) is not { } catalog)
            {
                return ExitCodes.Usage;
            }

            return ScanAndReport(
                parse.GetValue(paths)!,
                new RuleSet(catalog.Rules),
                parse.GetValue(format)!,
                threshold,
                new ScanSources(environment, parse.GetValue(profile), parse.GetValue(awsRegion)),
                parse.InvocationConfiguration.Output,
                error);
        });
        return command;
    }

    /// <summary>Scans the paths, writes the findings to <paramref name="output"/> and a summary to <paramref name="error"/>.</summary>
    public static int ScanAndReport(IReadOnlyList<string> paths, RuleSet ruleSet, string format, Severity minSeverity, ScanSources sources, TextWriter output, TextWriter error)
    {
        var clock = Stopwatch.StartNew();
        var files = TrailFileFinder.Find(paths.Where(p => !TrailRoot.IsS3(p)), out var missing, out var notRegular).ToList();
        foreach (var path in missing)
        {
            error.WriteLine($"error: {path}: no such file or folder");
        }

        var unreadableRoots = 0;
        foreach (var root in paths.Where(TrailRoot.IsS3))
        {
            try
            {
                var store = TrailRoot.Open(root, sources.Environment, sources.Profile, sources.AwsRegion);
                files.AddRange(TrailFileFinder.FindAsync(store, root, CancellationToken.None).GetAwaiter().GetResult());
            }
            catch (AwsAccessException e)
            {
                error.WriteLine($"error: {e.Message}");
                return e.ExitCode;
            }
            catch (TrailObjectStoreException e)
            {
                error.WriteLine($"error: {AwsAccess.Explain(e, root)}");
                unreadableRoots++;
            }
        }

        var logFiles = files.Where(f => f.Key.Kind is TrailObjectKind.LogFile or TrailObjectKind.InsightFile).ToArray();
        var scans = ScanInParallel(new LogFileScanner(ruleSet), logFiles);
        clock.Stop();

        var findings = FindingReport.InReportOrder(scans
            .SelectMany(s => s.Collector.Findings)
            .Where(f => f.Severity >= minSeverity));
        if (format == "json")
        {
            foreach (var finding in findings)
            {
                output.WriteLine(FindingJson.ToLine(finding));
            }
        }
        else
        {
            FindingReport.WriteText(findings, output);
        }

        output.Flush();
        var errors = 0;
        foreach (var (scan, _) in scans)
        {
            foreach (var problem in scan.Problems.Append(scan.Error).OfType<LogFileException>())
            {
                error.WriteLine($"error: {problem.Message}");
            }

            // The reader keeps only the first faults of a file: a file of millions of bad elements gets one line for the rest.
            if (scan.UnlistedProblems > 0)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: {scan.Source}: {scan.UnlistedProblems:N0} more records were skipped (only the first {scan.Problems.Count} faults of a file are listed)"));
            }

            errors += scan.ProblemCount + (scan.Error is null ? 0 : 1);
        }

        var failures = errors + missing.Count + unreadableRoots;
        error.WriteLine(Summary(files, notRegular.Count, scans.Select(s => s.Scan).ToArray(), findings.Count, failures, ruleSet.Rules.Count, clock.Elapsed));
        return failures > 0 ? ExitCodes.InputError : ExitCodes.Ok;
    }

    // Local files are read synchronously on a plain Parallel.For: blocking on an async loop here would starve the
    // thread pool its own workers need (badly so on one core). S3 objects are read asynchronously, several per core.
    // The report groups findings across files, so each file's are collected.
    private static ScannedFile[] ScanInParallel(LogFileScanner scanner, IReadOnlyList<TrailFile> files)
    {
        var scans = new ScannedFile[files.Count];
        if (files.All(f => f.Store is null))
        {
            Parallel.For(
                0,
                files.Count,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                i => scans[i] = ScanLocalFile(scanner, files[i].Path));
            return scans;
        }

        Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(8, Environment.ProcessorCount * 2) },
            async (i, token) => scans[i] = files[i].Store is null
                ? ScanLocalFile(scanner, files[i].Path)
                : await ScanFileAsync(scanner, files[i], token).ConfigureAwait(false)).GetAwaiter().GetResult();
        return scans;
    }

    private static ScannedFile ScanLocalFile(LogFileScanner scanner, string path)
    {
        var findings = new FindingCollector();
        try
        {
            return new(scanner.Scan(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan), path, findings), findings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(path, e);
        }
    }

    private static async Task<ScannedFile> ScanFileAsync(LogFileScanner scanner, TrailFile file, CancellationToken cancellationToken)
    {
        var findings = new FindingCollector();
        try
        {
            var content = await file.Store!.OpenReadAsync(file.StoreKey!, cancellationToken).ConfigureAwait(false);
            return new(await scanner.ScanAsync(content, file.Path, findings, cancellationToken).ConfigureAwait(false), findings);
        }
        catch (Exception e) when (e is IOException or TrailObjectStoreException or TrailObjectNotFoundException)
        {
            return Unreadable(file.Path, e);
        }
    }

    private static ScannedFile Unreadable(string path, Exception e) => new(
        new(path, 0, 0, 0, 0, [], 0, new LogFileException(path, LogFileFault.Empty, "the file could not be read: " + e.Message, "at byte 0", e)),
        new FindingCollector());

    /// <summary>One file's scan and the findings it produced.</summary>
    private sealed record ScannedFile(LogFileScan Scan, FindingCollector Collector);

    private static string Summary(IReadOnlyList<TrailFile> files, int notRegular, LogFileScan[] scans, int findings, int errors, int rules, TimeSpan elapsed)
    {
        var skippedKinds = files
            .Where(f => f.Key.Kind is not (TrailObjectKind.LogFile or TrailObjectKind.InsightFile))
            .Select(f => f.Key.Kind switch
            {
                TrailObjectKind.DigestFile => "digest",
                _ => "other",
            })
            .Concat(Enumerable.Repeat("not a regular file", notRegular))
            .GroupBy(kind => kind)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}")
            .ToArray();
        var skipped = files.Count(f => f.Key.Kind is not (TrailObjectKind.LogFile or TrailObjectKind.InsightFile)) + notRegular;
        var json = scans.Sum(s => s.DecompressedBytes);
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        return FormattableString.Invariant($"scanned {scans.Length} log files ({Megabytes(scans.Sum(s => s.CompressedBytes))} read, {Megabytes(json)} of JSON) with {rules} rules: ")
            + FormattableString.Invariant($"{scans.Sum(s => s.Records):N0} records, {findings:N0} findings, {skipped} skipped")
            + (skipped > 0 ? $" ({string.Join(", ", skippedKinds)})" : string.Empty)
            + FormattableString.Invariant($", {errors} errors in {elapsed.TotalSeconds:0.00} s ({json / 1e6 / seconds:0.0} MB/s of JSON)");
    }

    /// <summary>What s3:// paths need: the environment and the AWS options of the command.</summary>
    internal sealed record ScanSources(CliEnvironment Environment, string? Profile, string? AwsRegion);

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
