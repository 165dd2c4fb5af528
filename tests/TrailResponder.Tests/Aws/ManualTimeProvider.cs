namespace TrailResponder.Tests.Aws;

/// <summary>A clock that only moves when a test (or a recorded delay) moves it.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long ticks = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
