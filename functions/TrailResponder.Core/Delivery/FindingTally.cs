using TrailResponder.Core.Findings;
using TrailResponder.Core.Rules;

namespace TrailResponder.Core.Delivery;

/// <summary>
/// What the email about one log file needs, however many findings the file holds: how many findings each rule made,
/// and the most severe findings themselves, at most <see cref="MaxListed"/>.
/// </summary>
/// <remarks>
/// A file can hold 50,000 records and as many findings. Keeping them all until the email is written made memory grow
/// with the file; nobody reads the hundred-and-first finding of an email, and Security Hub has every one.
/// </remarks>
public sealed class FindingTally(Severity threshold)
{
    /// <summary>The most findings an email lists in full.</summary>
    public const int MaxListed = 100;

    // Most severe first, then earliest, then by rule; arrival breaks the remaining ties so the order is stable.
    private static readonly Comparer<(Finding Finding, long Arrival)> ReportOrder = Comparer<(Finding Finding, long Arrival)>.Create((a, b) =>
    {
        var order = b.Finding.Severity.CompareTo(a.Finding.Severity);
        if (order == 0)
        {
            order = string.CompareOrdinal(a.Finding.EventTime, b.Finding.EventTime);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(a.Finding.Rule.Id, b.Finding.Rule.Id);
        }

        return order != 0 ? order : a.Arrival.CompareTo(b.Arrival);
    });

    private readonly SortedSet<(Finding Finding, long Arrival)> _listed = new(ReportOrder);
    private readonly Dictionary<string, (DetectionRule Rule, int Count)> _byRule = new(StringComparer.Ordinal);
    private long _arrivals;

    /// <summary>The lowest severity the email reports.</summary>
    public Severity Threshold => threshold;

    /// <summary>Findings at or above <see cref="Threshold"/>.</summary>
    public int Reported { get; private set; }

    /// <summary>Findings below <see cref="Threshold"/>: counted, not listed.</summary>
    public int BelowThreshold { get; private set; }

    /// <summary>The findings the email lists, most severe first.</summary>
    public IReadOnlyList<Finding> Listed => _listed.Select(entry => entry.Finding).ToArray();

    /// <summary>Each rule that reported, with its number of findings: most severe rule first, then the busiest.</summary>
    public IReadOnlyList<(DetectionRule Rule, int Count)> ByRule => _byRule.Values
        .OrderByDescending(entry => entry.Rule.Severity)
        .ThenByDescending(entry => entry.Count)
        .ThenBy(entry => entry.Rule.Id, StringComparer.Ordinal)
        .ToArray();

    /// <summary>Counts one finding, and keeps it when it is among the <see cref="MaxListed"/> most severe so far.</summary>
    public void Add(Finding finding)
    {
        if (finding.Severity < threshold)
        {
            BelowThreshold++;
            return;
        }

        Reported++;
        _byRule[finding.Rule.Id] = _byRule.TryGetValue(finding.Rule.Id, out var entry) ? (entry.Rule, entry.Count + 1) : (finding.Rule, 1);
        _listed.Add((finding, _arrivals++));
        if (_listed.Count > MaxListed)
        {
            _listed.Remove(_listed.Max);
        }
    }

    /// <summary>A tally of <paramref name="findings"/>.</summary>
    public static FindingTally Of(IEnumerable<Finding> findings, Severity threshold)
    {
        var tally = new FindingTally(threshold);
        foreach (var finding in findings)
        {
            tally.Add(finding);
        }

        return tally;
    }
}
