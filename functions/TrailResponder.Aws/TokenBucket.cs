namespace TrailResponder.Aws;

/// <summary>Paces calls to a sustained rate with a burst allowance, waiting through the injectable clock and delay.</summary>
public sealed class TokenBucket
{
    private readonly double ratePerSecond;
    private readonly double capacity;
    private readonly TimeProvider timeProvider;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;
    private readonly SemaphoreSlim gate = new(1, 1);
    private double tokens;
    private long lastRefill;

    /// <summary>Creates a full bucket of <paramref name="burst"/> tokens refilled at <paramref name="ratePerSecond"/>.</summary>
    public TokenBucket(double ratePerSecond, int burst, TimeProvider timeProvider, Func<TimeSpan, CancellationToken, Task> delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(delay);
        this.ratePerSecond = ratePerSecond;
        capacity = burst;
        this.timeProvider = timeProvider;
        this.delay = delay;
        tokens = burst;
        lastRefill = timeProvider.GetTimestamp();
    }

    /// <summary>Takes one token, first waiting for it to refill when the bucket is empty.</summary>
    public async Task TakeAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                Refill();
                if (tokens >= 1)
                {
                    tokens -= 1;
                    return;
                }

                await delay(TimeSpan.FromSeconds((1 - tokens) / ratePerSecond), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Empties the bucket: after the service throttled us, the burst it allowed is evidently used up.</summary>
    public void Drain()
    {
        Refill();
        tokens = 0;
    }

    private void Refill()
    {
        var now = timeProvider.GetTimestamp();
        var elapsed = timeProvider.GetElapsedTime(lastRefill, now);
        lastRefill = now;
        tokens = Math.Min(capacity, tokens + (elapsed.TotalSeconds * ratePerSecond));
    }
}
