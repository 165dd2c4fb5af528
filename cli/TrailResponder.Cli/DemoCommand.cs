using System.CommandLine;
using System.Globalization;
using TrailResponder.Core.Rules;
using TrailResponder.SampleTrail;

namespace TrailResponder.Cli;

/// <summary><c>trailresponder demo [DIR]</c>: build a realistic sample trail and run TrailResponder on it, no AWS account needed.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var folder = new Argument<string?>("dir")
        {
            Description = "Where to write the sample trail (a new or empty folder). Default: a new folder under the system temp folder.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command(
            "demo",
            "Write a day of sample CloudTrail logs (two regions, thousands of benign events, a handful of planted violations) "
            + "and scan them with the built-in rules.\nExample: trailresponder demo ./demo-trail")
        {
            folder,
        };
        command.SetAction(parse => Run(parse.GetValue(folder), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string? folder, TextWriter output, TextWriter error)
    {
        var root = folder ?? Path.Combine(Path.GetTempPath(), "trailresponder-demo-" + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal));
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            error.WriteLine($"error: {root} is not empty; give a new or empty folder so the sample trail is not mixed with other files");
            return ExitCodes.Usage;
        }

        var manifest = SampleTrailGenerator.Generate(root, new SampleTrailOptions());
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Wrote a sample trail to {root}: {manifest.Files.Count} log files, {manifest.TotalRecords:N0} records, {manifest.PlantedEvents.Count(p => p.Event.ExpectedRuleIds.Count > 0)} planted CIS violations among them."));
        output.WriteLine();

        var exitCode = ScanCommand.ScanAndReport([root], RuleSet.BuiltIn, "text", Severity.Informational, new ScanCommand.ScanSources(CliEnvironment.Process(), null, null), output, error);

        output.WriteLine("Next:");
        output.WriteLine($"  trailresponder scan {root} --format json --min-severity HIGH   # machine-readable findings");
        output.WriteLine($"  trailresponder scan {root} --rules MY-RULES.yaml               # add your own rules (see README)");
        return exitCode;
    }
}
