namespace TrailResponder.Core.Scanning;

/// <summary>
/// A scan was cancelled before the end of its file (the LogProcessor's deadline): carries how far it got, because a
/// file that was not finished must be reported as such rather than as read. The message leaves the file to the caller.
/// </summary>
public sealed class ScanStoppedException : OperationCanceledException
{
    /// <summary>Creates the exception for the scan so far.</summary>
    public ScanStoppedException(LogFileScan progress, OperationCanceledException inner)
        : base(
            FormattableString.Invariant($"not finished: reading stopped after {progress.Records} records ({progress.DecompressedBytes} bytes of JSON)"),
            inner,
            inner.CancellationToken)
    {
        Progress = progress;
    }

    /// <summary>The scan up to where it stopped: records read, findings handed over, faults met.</summary>
    public LogFileScan Progress { get; }
}
