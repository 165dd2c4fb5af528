using System.Globalization;
using TrailResponder.Core.Delivery;
using TrailResponder.Core.Scanning;

namespace TrailResponder.LogProcessor;

/// <summary>
/// When one invocation must stop working: the function's timeout (FUNCTION_TIMEOUT_SECONDS) less a margin, so that a
/// file too large to finish is reported as not finished and the invocation fails with the reason, instead of Lambda
/// killing it mid-file with only "Task timed out".
/// </summary>
/// <remarks>
/// A Stream handler gets no ILambdaContext, so the remaining time is not available (the runtime consumes the runtime
/// API's deadline header itself, and Lambda sets no variable with the timeout): the template passes the same value as
/// the function's Timeout. The clock starts when the handler is entered; the runtime's own overhead before that is
/// milliseconds, which the margin covers.
/// </remarks>
public sealed class InvocationDeadline : IDisposable
{
    /// <summary>The shortest and longest timeouts Lambda and this margin allow, in seconds.</summary>
    public const int MinTimeoutSeconds = 10;

    /// <summary>Lambda's largest function timeout, in seconds.</summary>
    public const int MaxTimeoutSeconds = 900;

    private readonly CancellationTokenSource? _source;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _budget;

    private InvocationDeadline(TimeSpan? timeout, TimeProvider clock)
    {
        if (timeout is { } limit)
        {
            _timeout = limit;
            _budget = limit - Margin(limit);
            _source = new CancellationTokenSource(_budget, clock);
        }
    }

    /// <summary>Cancelled when the deadline is reached; never, when no timeout is configured (the CLI's <c>invoke</c>, tests).</summary>
    public CancellationToken Token => _source?.Token ?? CancellationToken.None;

    /// <summary>Whether the deadline has been reached.</summary>
    public bool Reached => Token.IsCancellationRequested;

    /// <summary>The deadline in words, for failure messages.</summary>
    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"the invocation's deadline ({_budget.TotalSeconds:0} s, {(_timeout - _budget).TotalSeconds:0} s before the function's {_timeout.TotalSeconds:0} s timeout) was reached");

    /// <summary>Starts the clock for one invocation.</summary>
    public static InvocationDeadline Start(TimeSpan? timeout, TimeProvider clock) => new(timeout, clock);

    /// <summary>
    /// The time left for failing cleanly after the deadline (log, fail the invocation): a tenth of the timeout, at
    /// least five seconds. A retry then starts on a fresh timeout.
    /// </summary>
    public static TimeSpan Margin(TimeSpan timeout) => TimeSpan.FromSeconds(Math.Max(5, timeout.TotalSeconds / 10));

    /// <summary>Reads FUNCTION_TIMEOUT_SECONDS; absent means no deadline.</summary>
    public static TimeSpan? ReadTimeout(IReadOnlyDictionary<string, string?> environment, List<string> problems)
    {
        if (EnvironmentValue.Get(environment, "FUNCTION_TIMEOUT_SECONDS") is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= MinTimeoutSeconds and <= MaxTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        problems.Add($"FUNCTION_TIMEOUT_SECONDS '{text}' is not a whole number of seconds from {MinTimeoutSeconds} to {MaxTimeoutSeconds} (set it to the function's Timeout)");
        return null;
    }

    /// <summary>What to report for a failure: for one caused by the deadline, that it was reached.</summary>
    public string Explain(Exception failure) => Reached && failure is OperationCanceledException
        ? $"{(failure is ScanStoppedException ? failure.Message : "not finished")}: {Description}"
        : failure.Message;

    /// <inheritdoc />
    public void Dispose() => _source?.Dispose();
}
