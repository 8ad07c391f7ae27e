namespace ZoomChat.Server.Storage;

/// <summary>
/// Token-bucket arithmetic shared by every backend (docs/api.md#rate-limits): a bucket holds up to
/// its capacity and refills evenly over its period; a calendar-day bucket refills whole at 00:00 UTC.
/// </summary>
internal static class RateBuckets
{
    /// <summary>
    /// One request against a key's buckets, given what each held when last used (null: never used, so
    /// full): fills <paramref name="levels"/> with what each holds now, and returns the seconds until the
    /// request may be tried again, or 0 when every bucket holds a token. A refused request takes nothing.
    /// </summary>
    public static int Levels(IReadOnlyList<RateBucket> buckets, IReadOnlyList<(double Tokens, long StampMs)?> held, long nowMs, double[] levels)
    {
        var retryAfter = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            var bucket = buckets[i];
            levels[i] = held[i] is { } stored ? Refill(bucket, stored.Tokens, stored.StampMs, nowMs) : bucket.Capacity;
            if (levels[i] < 1)
            {
                retryAfter = Math.Max(retryAfter, SecondsUntilNext(bucket, levels[i], nowMs));
            }
        }

        return retryAfter;
    }

    /// <summary>The tokens a bucket holds now, given what it held at <paramref name="stampMs"/>.</summary>
    public static double Refill(RateBucket bucket, double tokens, long stampMs, long nowMs)
    {
        if (bucket.CalendarDay)
        {
            return UtcDay.Of(stampMs) == UtcDay.Of(nowMs) ? tokens : bucket.Capacity;
        }

        var elapsed = Math.Max(0, nowMs - stampMs);
        var refilled = tokens + (elapsed * bucket.Capacity / bucket.Period.TotalMilliseconds);
        return Math.Min(bucket.Capacity, refilled);
    }

    /// <summary>Whole seconds, at least 1, until the bucket holds one token again.</summary>
    public static int SecondsUntilNext(RateBucket bucket, double tokens, long nowMs)
    {
        double waitMs = bucket.CalendarDay
            ? ((UtcDay.Of(nowMs) + 1) * UtcDay.Milliseconds) - nowMs
            : (1 - tokens) * bucket.Period.TotalMilliseconds / bucket.Capacity;
        return Math.Max(1, (int)Math.Ceiling(waitMs / 1000));
    }
}
