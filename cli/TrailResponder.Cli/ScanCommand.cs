using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;
using TrailResponder.Core.Trail;

namespace TrailResponder.Cli;

/// <summary><c>trailresponder scan PATH...</c>: evaluate the detection rules on CloudTrail log files.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Log files (.json.gz or .json) or folders that mirror a trail bucket (searched recursively).",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output: 'text' (grouped by rule, most severe first) or 'json' (one finding per line).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var rules = new Option<string?>("--rules")
        {
            Description = "A rules file (YAML or JSON) that adds rules, changes severities or disables built-ins.",
        };
        var minSeverity = new Option<string?>("--min-severity")
        {
            Description = $"Report only findings at or above this severity: {string.Join(", ", SeverityLabels.All)}.",
        };

        var command = new Command(
            "scan",
            "Scan CloudTrail log files with the built-in CIS and TrailResponder rules (plus your own) and report findings. "
            + "Insights files are scanned too; other objects (digests, Config files) are skipped and counted.\n"
            + "Example: trailresponder scan ./my-trail-bucket --min-severity MEDIUM --format json")
        {
            paths, format, rules, minSeverity,
        };
        command.SetAction(parse => Run(
            parse.GetValue(paths)!,
            parse.GetValue(format)!,
            parse.GetValue(rules),
            parse.GetValue(minSeverity),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] paths, string format, string? rulesFile, string? minSeverityLabel, TextWriter output, TextWriter error)
    {
        var minSeverity = Severity.Informational;
        if (minSeverityLabel is not null && !SeverityLabels.TryParse(minSeverityLabel, out minSeverity))
        {
            error.WriteLine($"error: --min-severity '{minSeverityLabel}' is not a severity (use {string.Join(", ", SeverityLabels.All)})");
            return ExitCodes.Usage;
        }

        RuleSet ruleSet;
        try
        {
            ruleSet = LoadRules(rulesFile);
        }
        catch (Exception e) when (e is RuleFileException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }

        return ScanAndReport(paths, ruleSet, format, minSeverity, output, error);
    }

    /// <summary>Scans the paths, writes the findings to <paramref name="output"/> and a summary to <paramref name="error"/>.</summary>
    public static int ScanAndReport(IReadOnlyList<string> paths, RuleSet ruleSet, string format, Severity minSeverity, TextWriter output, TextWriter error)
    {
        var clock = Stopwatch.StartNew();
        var files = TrailFileFinder.Find(paths, out var missing);
        foreach (var path in missing)
        {
            error.WriteLine($"error: {path}: no such file or folder");
        }

        var logFiles = files.Where(f => f.Key.Kind is TrailObjectKind.LogFile or TrailObjectKind.InsightFile).ToArray();
        var scans = ScanInParallel(new LogFileScanner(ruleSet), logFiles);
        clock.Stop();

        var findings = FindingReport.InReportOrder(scans
            .SelectMany(s => s.Findings)
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
        foreach (var scan in scans)
        {
            foreach (var problem in scan.Problems.Append(scan.Error).OfType<LogFileException>())
            {
                error.WriteLine($"error: {problem.Message}");
                errors++;
            }
        }

        error.WriteLine(Summary(files, scans, findings.Count, errors + missing.Count, ruleSet.Rules.Count, clock.Elapsed));
        return errors + missing.Count > 0 ? ExitCodes.InputError : ExitCodes.Ok;
    }

    private static RuleSet LoadRules(string? rulesFile)
    {
        if (rulesFile is null)
        {
            return RuleSet.BuiltIn;
        }

        using var reader = new StreamReader(rulesFile);
        return new RuleSet(RuleFile.Parse(reader, rulesFile).ApplyTo(BuiltInRules.All));
    }

    private static LogFileScan[] ScanInParallel(LogFileScanner scanner, IReadOnlyList<TrailFile> files)
    {
        var scans = new LogFileScan[files.Count];
        Parallel.For(
            0,
            files.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => scans[i] = ScanFile(scanner, files[i].Path));
        return scans;
    }

    private static LogFileScan ScanFile(LogFileScanner scanner, string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            return scanner.Scan(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var unreadable = new LogFileException(path, LogFileFault.Empty, "the file could not be read: " + e.Message, "at byte 0", e);
            return new LogFileScan(path, [], 0, 0, 0, [], unreadable, []);
        }
    }

    private static string Summary(IReadOnlyList<TrailFile> files, LogFileScan[] scans, int findings, int errors, int rules, TimeSpan elapsed)
    {
        var skipped = files.Where(f => f.Key.Kind is not (TrailObjectKind.LogFile or TrailObjectKind.InsightFile)).ToArray();
        var skippedKinds = skipped
            .GroupBy(f => f.Key.Kind switch
            {
                TrailObjectKind.DigestFile => "digest",
                _ => "other",
            })
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}");
        var json = scans.Sum(s => s.DecompressedBytes);
        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        return FormattableString.Invariant($"scanned {scans.Length} log files ({Megabytes(scans.Sum(s => s.CompressedBytes))} read, {Megabytes(json)} of JSON) with {rules} rules: ")
            + FormattableString.Invariant($"{scans.Sum(s => s.Records):N0} records, {findings:N0} findings, {skipped.Length} skipped")
            + (skipped.Length > 0 ? $" ({string.Join(", ", skippedKinds)})" : string.Empty)
            + FormattableString.Invariant($", {errors} errors in {elapsed.TotalSeconds:0.00} s ({json / 1e6 / seconds:0.0} MB/s of JSON)");
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
