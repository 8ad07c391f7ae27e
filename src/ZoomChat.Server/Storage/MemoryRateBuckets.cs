namespace ZoomChat.Server.Storage;

/// <summary>
/// The rate limiter's buckets in this process's memory, for a store opened read-only, whose folder may
/// allow no file beside it (docs/operations.md#read-only-stores): the limits then count per process.
/// </summary>
internal sealed class MemoryRateBuckets
{
    private readonly Dictionary<(long ApiKeyId, string Name), (double Tokens, long StampMs)> _buckets = [];
    private readonly Lock _lock = new();

    /// <summary>Takes one request from every bucket of the key, or from none when any is empty.</summary>
    public RateDecision TryConsume(long apiKeyId, IReadOnlyList<RateBucket> buckets, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var levels = new double[buckets.Count];
        lock (_lock)
        {
            var held = buckets.Select(bucket => _buckets.TryGetValue((apiKeyId, bucket.Name), out var stored) ? stored : ((double, long)?)null).ToList();
            var retryAfter = RateBuckets.Levels(buckets, held, nowMs, levels);
            if (retryAfter > 0)
            {
                return new RateDecision(false, retryAfter);
            }

            for (var i = 0; i < buckets.Count; i++)
            {
                _buckets[(apiKeyId, buckets[i].Name)] = (levels[i] - 1, nowMs);
            }
        }

        return new RateDecision(true, 0);
    }
}
