using TrailResponder.Core.Findings;
using TrailResponder.Core.Logs;
using TrailResponder.Core.Patterns;
using TrailResponder.Core.Rules;
using TrailResponder.Core.Scanning;
using TrailResponder.Tests.Core.Logs;

namespace TrailResponder.Tests.Core.Scanning;

public class LogFileScannerTests
{
    private const string RootLogin = """{"eventID":"e-root","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","eventType":"AwsConsoleSignIn","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"}}""";
    private const string SecurityGroupOpened = """{"eventID":"e-sg","eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com","requestParameters":{"groupId":"sg-1"}}""";
    private const string Quiet = """{"eventID":"e-quiet","eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com"}""";

    private static MemoryStream File(params string[] records) => new(LogFileBytes.Gzip(LogFileBytes.Document(records)));

    [Fact]
    public async Task The_scan_waits_for_the_observer_before_it_reads_on()
    {
        var observer = new GatedObserver();

        var scanning = new LogFileScanner(RuleSet.BuiltIn).ScanAsync(File(RootLogin, Quiet, SecurityGroupOpened), "f.json.gz", observer);
        await observer.FirstCall.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(scanning.IsCompleted);
        Assert.Equal(["CIS-4.3/e-root"], observer.Findings.Select(f => f.FindingId));

        observer.Gate.SetResult();
        var scan = await scanning;

        Assert.Equal(["CIS-4.3/e-root", "CIS-4.10/e-sg"], observer.Findings.Select(f => f.FindingId));
        Assert.Equal(2, scan.FindingCount);
        Assert.Equal(3, scan.Records);
        Assert.True(scan.IsComplete);
    }

    [Fact]
    public async Task Watched_records_are_handed_over_while_their_bytes_are_still_valid()
    {
        var rules = RuleSet.BuiltIn.WithWatch(FilterPattern.Parse("{ $.eventSource = ec2.amazonaws.com }"));
        var observer = new WatchRecorder();

        await new LogFileScanner(rules).ScanAsync(File(RootLogin, Quiet, SecurityGroupOpened), "f.json.gz", observer);

        Assert.Equal(["e-quiet", "e-sg"], observer.WatchedEventIds);
    }

    [Fact]
    public async Task A_damaged_file_ends_the_scan_with_the_fault_after_handing_over_the_findings_before_it()
    {
        var bytes = LogFileBytes.Gzip(LogFileBytes.Document([RootLogin, Quiet, Quiet]));
        var observer = new FindingCollector();

        var scan = await new LogFileScanner(RuleSet.BuiltIn).ScanAsync(new MemoryStream(bytes[..^12]), "f.json.gz", observer);

        Assert.Equal(LogFileFault.TruncatedGzip, scan.Error?.Fault);
        Assert.Equal("CIS-4.3/e-root", Assert.Single(observer.Findings).FindingId);
        Assert.Equal(1, scan.FindingCount);
    }

    [Fact]
    public async Task An_observer_that_fails_stops_the_scan_and_its_exception_reaches_the_caller()
    {
        var observer = new FailingObserver();

        await Assert.ThrowsAsync<InvalidOperationException>(() => new LogFileScanner(RuleSet.BuiltIn).ScanAsync(File(RootLogin, SecurityGroupOpened), "f.json.gz", observer));
        Assert.Equal(1, observer.Calls);
    }

    [Fact]
    public void The_synchronous_scan_collects_the_same_findings_as_the_asynchronous_one()
    {
        var collector = new FindingCollector();

        var scan = new LogFileScanner(RuleSet.BuiltIn).Scan(File(RootLogin, Quiet, SecurityGroupOpened), "f.json.gz", collector);

        Assert.Equal(["CIS-4.3/e-root", "CIS-4.10/e-sg"], collector.Findings.Select(f => f.FindingId));
        Assert.Equal(2, scan.FindingCount);
    }

    [Fact]
    public async Task Cancellation_stops_a_file_of_tiny_records_and_says_how_far_the_scan_got()
    {
        // Plain JSON from a stream that never looks at the token: the reader itself must stop.
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"Records\":[" + RootLogin + "," + string.Join(",", Enumerable.Repeat("{}", 400_000)) + "]}");
        using var cancel = new CancellationTokenSource();
        var observer = new CancellingObserver(cancel);

        var stopped = await Assert.ThrowsAsync<ScanStoppedException>(() => new LogFileScanner(RuleSet.BuiltIn).ScanAsync(new DeafToCancellation(new MemoryStream(bytes)), "tiny.json", observer, cancel.Token));

        Assert.Equal(cancel.Token, stopped.CancellationToken);
        Assert.Equal("tiny.json", stopped.Progress.Source);
        Assert.Equal(1, stopped.Progress.FindingCount);
        Assert.InRange(stopped.Progress.Records, 1, 200_000);
        Assert.StartsWith($"not finished: reading stopped after {stopped.Progress.Records} records (", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_records_are_counted_in_the_scan_beyond_the_ones_listed()
    {
        var bytes = LogFileBytes.Gzip("{\"Records\":[" + string.Join(",", Enumerable.Repeat("null", 25)) + "," + RootLogin + "]}");

        var scan = new LogFileScanner(RuleSet.BuiltIn).Scan(new MemoryStream(bytes), "f.json.gz", new FindingCollector());

        Assert.Equal(25, scan.ProblemCount);
        Assert.Equal(10, scan.Problems.Count);
        Assert.Equal(15, scan.UnlistedProblems);
        Assert.Equal(1, scan.FindingCount);
        Assert.False(scan.IsComplete);
    }

    [Fact]
    public void A_matching_record_nested_deeper_than_64_levels_still_becomes_a_finding()
    {
        var deepRootLogin = RootLogin[..^1] + ",\"requestParameters\":{\"a\":" + new string('[', 100) + new string(']', 100) + "}}";
        var collector = new FindingCollector();

        var scan = new LogFileScanner(RuleSet.BuiltIn).Scan(File(deepRootLogin), "f.json.gz", collector);

        Assert.True(scan.IsComplete);
        Assert.Equal("CIS-4.3/e-root", Assert.Single(collector.Findings).FindingId);
    }

    /// <summary>Reads on whatever the token says, as a stream with its data already buffered may.</summary>
    private sealed class DeafToCancellation(Stream inner) : TrailResponder.Core.Streams.ReadOnlyStream
    {
        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, CancellationToken.None);
    }

    /// <summary>Cancels the scan at its first finding, as a deadline would.</summary>
    private sealed class CancellingObserver(CancellationTokenSource cancel) : IScanObserver
    {
        public ValueTask OnFindingAsync(Finding finding, CancellationToken cancellationToken)
        {
            cancel.Cancel();
            return ValueTask.CompletedTask;
        }

        public ValueTask OnWatchedAsync(CloudTrailRecord record, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Holds the scan at its first finding until the test opens the gate.</summary>
    private sealed class GatedObserver : IScanObserver
    {
        public TaskCompletionSource FirstCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<Finding> Findings { get; } = [];

        public ValueTask OnFindingAsync(Finding finding, CancellationToken cancellationToken)
        {
            lock (Findings)
            {
                Findings.Add(finding);
            }

            FirstCall.TrySetResult();
            return new ValueTask(Gate.Task);
        }

        public ValueTask OnWatchedAsync(CloudTrailRecord record, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>Reads each watched record's event id during the call, while the record is still borrowed.</summary>
    private sealed class WatchRecorder : IScanObserver
    {
        public List<string?> WatchedEventIds { get; } = [];

        public ValueTask OnFindingAsync(Finding finding, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnWatchedAsync(CloudTrailRecord record, CancellationToken cancellationToken)
        {
            WatchedEventIds.Add(record.EventId);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingObserver : IScanObserver
    {
        public int Calls { get; private set; }

        public ValueTask OnFindingAsync(Finding finding, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InvalidOperationException("delivery failed");
        }

        public ValueTask OnWatchedAsync(CloudTrailRecord record, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
