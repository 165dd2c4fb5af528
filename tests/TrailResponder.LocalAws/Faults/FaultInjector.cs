namespace TrailResponder.LocalAws.Faults;

/// <summary>Makes the next calls of an operation fail or slow down, so tests can prove retry and failure paths.</summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<PendingFault> _errors = [];
    private readonly List<PendingFault> _delays = [];
    private readonly List<FindingFailure> _findingFailures = [];

    /// <summary>The next <paramref name="times"/> calls answer with the service's throttling error and status.</summary>
    public void Throttle(string service, string operation, int times = 1) => Add(_errors, new PendingFault(service, operation, FaultKind.Throttle, TimeSpan.Zero, times));

    /// <summary>The next <paramref name="times"/> calls answer with the service's 500 internal error.</summary>
    public void FailInternally(string service, string operation, int times = 1) => Add(_errors, new PendingFault(service, operation, FaultKind.Internal, TimeSpan.Zero, times));

    /// <summary>The next <paramref name="times"/> calls wait <paramref name="delay"/> before being answered.</summary>
    public void Delay(string service, string operation, TimeSpan delay, int times = 1) => Add(_delays, new PendingFault(service, operation, FaultKind.Delay, delay, times));

    /// <summary>The given finding ids are reported in FailedFindings by the next <paramref name="imports"/> BatchImportFindings calls.</summary>
    public void FailFindings(IEnumerable<string> findingIds, string errorCode, string errorMessage, int imports = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imports, 1);
        lock (_lock)
        {
            _findingFailures.Add(new FindingFailure([.. findingIds], errorCode, errorMessage) { Remaining = imports });
        }
    }

    /// <summary>Forgets every pending fault.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _errors.Clear();
            _delays.Clear();
            _findingFailures.Clear();
        }
    }

    internal FaultKind? TakeError(string service, string operation) => Take(_errors, service, operation)?.Kind;

    internal TimeSpan TakeDelay(string service, string operation) => Take(_delays, service, operation)?.Delay ?? TimeSpan.Zero;

    /// <summary>Consumes one import from every finding-failure rule and returns the failures that apply to this import.</summary>
    internal IReadOnlyDictionary<string, (string Code, string Message)> TakeFindingFailures()
    {
        lock (_lock)
        {
            var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
            foreach (var failure in _findingFailures)
            {
                foreach (var id in failure.FindingIds)
                {
                    result.TryAdd(id, (failure.ErrorCode, failure.ErrorMessage));
                }
                failure.Remaining--;
            }
            _findingFailures.RemoveAll(f => f.Remaining <= 0);
            return result;
        }
    }

    private void Add(List<PendingFault> list, PendingFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Remaining, 1);
        lock (_lock)
        {
            list.Add(fault);
        }
    }

    private PendingFault? Take(List<PendingFault> list, string service, string operation)
    {
        lock (_lock)
        {
            var fault = list.FirstOrDefault(f => f.Service == service && f.Operation == operation);
            if (fault is null)
            {
                return null;
            }
            fault.Remaining--;
            if (fault.Remaining <= 0)
            {
                list.Remove(fault);
            }
            return fault;
        }
    }

    private sealed class PendingFault(string service, string operation, FaultKind kind, TimeSpan delay, int remaining)
    {
        public string Service { get; } = service;

        public string Operation { get; } = operation;

        public FaultKind Kind { get; } = kind;

        public TimeSpan Delay { get; } = delay;

        public int Remaining { get; set; } = remaining;
    }

    private sealed record FindingFailure(IReadOnlyList<string> FindingIds, string ErrorCode, string ErrorMessage)
    {
        public int Remaining { get; set; }
    }
}

/// <summary>The kinds of injected fault.</summary>
internal enum FaultKind
{
    Throttle,
    Internal,
    Delay,
}
