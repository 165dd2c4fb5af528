using System.Diagnostics;

namespace TrailResponder.Bench;

/// <summary>Timing helpers: best of several runs (the least disturbed), and external commands timed from outside.</summary>
internal static class Measure
{
    public static TimeSpan BestOf(int runs, Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        return best;
    }

    /// <summary>
    /// The peak resident memory of a shell command, from GNU time (Debian package <c>time</c>); null without it.
    /// </summary>
    public static long? PeakResidentBytes(string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists("/usr/bin/time"))
        {
            return null;
        }

        var (_, _, error) = Shell($"/usr/bin/time -f 'peak-resident-kb %M' {command}", environment);
        var line = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("peak-resident-kb ", StringComparison.Ordinal));
        return long.Parse(line["peak-resident-kb ".Length..], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Runs a shell command and returns its wall time, standard output and standard error.</summary>
    public static (TimeSpan Elapsed, string Output, string Error) Shell(string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {error.Result}");
        }

        return (elapsed, output.Result, error.Result);
    }
}
