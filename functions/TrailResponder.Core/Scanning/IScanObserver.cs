using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;

namespace TrailResponder.Core.Scanning;

/// <summary>Takes what a scan finds while the file is still being read, so that nothing piles up until its end.</summary>
/// <remarks>
/// The scanner awaits each call before it reads on, so an observer can deliver as it goes and memory stays the same
/// for a file of 1,000 records or of 50,000. An exception thrown here ends the scan and reaches its caller.
/// </remarks>
public interface IScanObserver
{
    /// <summary>One finding, in record order.</summary>
    ValueTask OnFindingAsync(Finding finding, CancellationToken cancellationToken);

    /// <summary>A record the rule set's watch pattern matched: borrowed from the reader, valid until this call returns.</summary>
    ValueTask OnWatchedAsync(CloudTrailRecord record, CancellationToken cancellationToken);
}
