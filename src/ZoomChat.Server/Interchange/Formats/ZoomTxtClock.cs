namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// Places the time stamps of one Zoom chat file on the time line (docs/import-formats.md#time): times of day on
/// <c>--date</c> in <c>--timezone</c>, dated stamps (variant E) in <c>--timezone</c>, elapsed times
/// (variant D) after <c>--start</c>. A time of day that would fall before the previous message moves
/// to the next day: the file runs past midnight. Where a clock change makes a local time ambiguous,
/// the earliest instant not before the previous message is taken (so that the hour repeated in
/// autumn is not read as the next day); a local time skipped in spring is read as the moment of the
/// change.
/// </summary>
internal sealed class ZoomTxtClock(TimeZoneInfo? zone, DateOnly? date, DateTimeOffset? start)
{
    private int _dayOffset;
    private long? _previousMs;

    /// <summary>A time of day of variants A, B and C.</summary>
    public long PlaceTimeOfDay(TimeOnly time)
    {
        var day = (date ?? throw new InvalidOperationException("A time of day needs --date.")).AddDays(_dayOffset);
        var instant = EarliestNotBeforePrevious(Candidates(day.ToDateTime(time)));
        if (instant is null)
        {
            _dayOffset++;
            instant = Candidates(day.AddDays(1).ToDateTime(time))[0];
        }

        return Remember(instant.Value);
    }

    /// <summary>A local date and time of variant E; it names its day, so it never moves to the next.</summary>
    public long PlaceLocal(DateOnly day, TimeOnly time)
    {
        var candidates = Candidates(day.ToDateTime(time));
        return Remember(EarliestNotBeforePrevious(candidates) ?? candidates[0]);
    }

    /// <summary>An elapsed time of variant D.</summary>
    public long PlaceElapsed(TimeSpan elapsed) =>
        Remember((start ?? throw new InvalidOperationException("An elapsed time needs --start.")).ToUnixTimeMilliseconds() + (long)elapsed.TotalMilliseconds);

    /// <summary>The instants a local time names in the zone, earliest first: one, or two in the hour repeated in autumn.</summary>
    public static long[] InstantsOf(TimeZoneInfo zone, DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            return [.. zone.GetAmbiguousTimeOffsets(local).Select(offset => UnixMs(local, offset)).Order()];
        }

        return zone.IsInvalidTime(local) ? [MomentOfChange(zone, local)] : [UnixMs(local, zone.GetUtcOffset(local))];
    }

    /// <summary>
    /// A local time skipped in spring, which the Zoom client never writes: read as the moment the
    /// clocks changed, so that the file's order holds on either side of it.
    /// </summary>
    private static long MomentOfChange(TimeZoneInfo zone, DateTime local)
    {
        var before = zone.GetUtcOffset(local.AddDays(-1));
        var (early, late) = (UnixMs(local, zone.GetUtcOffset(local.AddDays(1))), UnixMs(local, before));
        while (late - early > 1)
        {
            var middle = early + ((late - early) / 2);
            if (zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(middle)) == before)
            {
                early = middle;
            }
            else
            {
                late = middle;
            }
        }

        return late;
    }

    private long[] Candidates(DateTime local) =>
        InstantsOf(zone ?? throw new InvalidOperationException("A local time needs --timezone."), local);

    private long? EarliestNotBeforePrevious(long[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (_previousMs is not { } previous || candidate >= previous)
            {
                return candidate;
            }
        }

        return null;
    }

    private long Remember(long instant)
    {
        _previousMs = instant;
        return instant;
    }

    // Not DateTimeOffset: the local mean time of old zone data has offsets in seconds, which it refuses.
    private static long UnixMs(DateTime local, TimeSpan offset) => (local.Ticks - offset.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
