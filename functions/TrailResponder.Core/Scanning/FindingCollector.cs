using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;

namespace TrailResponder.Core.Scanning;

/// <summary>An observer that keeps everything: for reports over many files, which need every finding at the end.</summary>
public sealed class FindingCollector : IScanObserver
{
    private readonly List<Finding> _findings = [];
    private readonly List<CloudTrailRecord> _watched = [];

    /// <summary>The findings so far, in the order they came.</summary>
    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>The watched records so far, each with its own copy of its bytes.</summary>
    public IReadOnlyList<CloudTrailRecord> Watched => _watched;

    /// <inheritdoc/>
    public ValueTask OnFindingAsync(Finding finding, CancellationToken cancellationToken)
    {
        Add(finding);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask OnWatchedAsync(CloudTrailRecord record, CancellationToken cancellationToken)
    {
        Watch(record);
        return ValueTask.CompletedTask;
    }

    // The synchronous scan of local files calls these directly: collecting never waits.
    internal void Add(Finding finding) => _findings.Add(finding);

    internal void Watch(CloudTrailRecord record) => _watched.Add(record.Detach());
}
