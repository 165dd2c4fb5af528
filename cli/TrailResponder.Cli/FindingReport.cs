using System.Globalization;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Findings;
using TrailResponder.Core.Rules;

namespace TrailResponder.Cli;

/// <summary>Writes findings for people (text, grouped by rule) or for programs (one JSON object per line).</summary>
internal static class FindingReport
{
    /// <summary>The order findings are reported in: by event time, then file, then rule.</summary>
    public static IReadOnlyList<Finding> InReportOrder(IEnumerable<Finding> findings) => findings
        .OrderBy(f => f.EventTime, StringComparer.Ordinal)
        .ThenBy(f => f.LogFile, StringComparer.Ordinal)
        .ThenBy(f => f.Rule.Id, StringComparer.Ordinal)
        .ThenBy(f => f.EventId, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Findings grouped by rule, most severe first, each group with what to do; hidden characters of event data and rules shown as escapes.</summary>
    public static void WriteText(IReadOnlyList<Finding> findings, TextWriter output)
    {
        if (findings.Count == 0)
        {
            output.WriteLine("No findings.");
            return;
        }

        var groups = findings
            .GroupBy(f => f.Rule.Id, StringComparer.Ordinal)
            .OrderByDescending(g => g.First().Severity)
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var rule = group.First().Rule;
            var label = string.Create(CultureInfo.InvariantCulture, $"{rule.Severity.ToLabel(),-13}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Colored(label, rule.Severity, output)} {NotificationText.SingleLine(rule.Id)}  {NotificationText.SingleLine(rule.Title)}  ({group.Count()} finding{(group.Count() == 1 ? string.Empty : "s")})"));
            output.WriteLine(NotificationText.SingleLine($"              What to do: {rule.Remediation}"));
            foreach (var finding in InReportOrder(group))
            {
                var who = finding.Principal?.Arn ?? finding.Principal?.UserName ?? finding.Principal?.Type ?? "(no identity)";
                var error = finding.ErrorCode is null ? string.Empty : $"  error {finding.ErrorCode}";
                output.WriteLine(NotificationText.SingleLine($"  {finding.EventTime}  {finding.EventName}  by {who}  from {finding.SourceIpAddress}  in {finding.AwsRegion} of {finding.AccountId}{error}"));
                if (finding.Resources.Count > 0)
                {
                    output.WriteLine(NotificationText.SingleLine($"      resources: {string.Join(", ", finding.Resources.Select(r => r.Id))}"));
                }

                output.WriteLine(NotificationText.SingleLine($"      {finding.LogFile}  (event {finding.EventId})"));
            }

            output.WriteLine();
        }
    }

    // Colour only for a person at a terminal, and never when NO_COLOR is set (https://no-color.org).
    private static string Colored(string text, Severity severity, TextWriter output)
    {
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
        {
            return text;
        }

        var code = severity switch
        {
            Severity.Critical => "1;31",
            Severity.High => "31",
            Severity.Medium => "33",
            Severity.Low => "36",
            _ => "2",
        };
        return $"\u001b[{code}m{text}\u001b[0m";
    }
}
