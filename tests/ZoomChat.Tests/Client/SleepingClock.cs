using Microsoft.Extensions.Time.Testing;

namespace ZoomChat.Tests.Client;

/// <summary>
/// The client's clock in tests: each wait (a Retry-After) ends at once by moving the fake clock forward by
/// its length, as if the client had slept that long. Given the server's clock, the server sees the time
/// pass too, so its rate limiter refills; no test sleeps.
/// </summary>
internal sealed class SleepingClock(FakeTimeProvider clock) : TimeProvider
{
    private long _sleptTicks;
    private int _sleeps;

    public TimeSpan Slept => TimeSpan.FromTicks(Interlocked.Read(ref _sleptTicks));

    public int Sleeps => Volatile.Read(ref _sleeps);

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = clock.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _sleptTicks, dueTime.Ticks);
            Interlocked.Increment(ref _sleeps);
            clock.Advance(dueTime);
        }

        return timer;
    }
}
