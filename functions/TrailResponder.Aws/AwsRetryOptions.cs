namespace TrailResponder.Aws;

/// <summary>How AWS calls are retried and timed: the SDKs' standard mode, with the clock and delays injectable for tests.</summary>
public sealed record AwsRetryOptions
{
    /// <summary>Total attempts per call, the first included (standard mode: 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The cap of one backoff delay (standard mode: 20 s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one attempt (sending and reading the whole response) may take before it is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The clock for attempt timeouts, pacing and the default delay.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Waits between attempts; null waits on <see cref="TimeProvider"/>. Tests record the requested delays here.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>A random number in [0, 1) for full jitter; tests fix it.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>The full-jitter delay before retry number <paramref name="retry"/> (1-based): random × 2^(retry−1) s, capped.</summary>
    public TimeSpan BackoffBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var ceiling = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromSeconds(Jitter() * ceiling);
    }

    /// <summary>Waits <paramref name="delay"/> through <see cref="Delay"/> or the clock.</summary>
    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Delay is { } custom ? custom(delay, cancellationToken) : Task.Delay(delay, TimeProvider, cancellationToken);
}
