using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Tests.Storage;

public sealed class AccountDayCacheTests
{
    private static readonly byte[] Day11 = [1, 1];
    private static readonly byte[] Day13 = [3, 3, 3];

    [Fact]
    public void A_window_read_for_a_mark_serves_that_mark_and_older_ones_but_not_a_newer_one()
    {
        var cache = new AccountDayCache(maxBytes: 1 << 20);
        cache.Set(accountId: 1, fromDay: 10, toDay: 14, mark: 500, [(11, Day11), (13, Day13)]);

        var days = new List<(long Day, byte[] Sessions)>();
        Assert.True(cache.TryGet(1, 10, 14, 500, days));
        Assert.Equal([(11, Day11), (13, Day13)], days);
        days.Clear();
        Assert.True(cache.TryGet(1, 12, 13, 400, days));
        Assert.Equal([(13, Day13)], days);

        // After an import (a newer mark) the days are read again; so are days never read, and other accounts.
        Assert.False(cache.TryGet(1, 10, 14, 501, days));
        Assert.Empty(days);
        Assert.False(cache.TryGet(1, 10, 15, 500, days));
        Assert.False(cache.TryGet(2, 10, 14, 500, days));
    }

    [Fact]
    public void A_newer_read_of_a_day_is_kept_over_an_older_one()
    {
        var cache = new AccountDayCache(maxBytes: 1 << 20);
        cache.Set(1, 11, 11, mark: 600, [(11, Day13)]);
        cache.Set(1, 11, 11, mark: 500, [(11, Day11)]);

        var days = new List<(long Day, byte[] Sessions)>();
        Assert.True(cache.TryGet(1, 11, 11, 600, days));
        Assert.Equal([(11, Day13)], days);
    }

    [Fact]
    public void Long_windows_are_not_kept_and_the_cache_starts_again_when_full()
    {
        var cache = new AccountDayCache(maxBytes: 1000);
        var days = new List<(long Day, byte[] Sessions)>();

        // A window of a thousand years would take an entry per day.
        cache.Set(1, 0, AccountDayCache.MaxWindowDays, 500, []);
        Assert.False(cache.TryGet(1, 0, AccountDayCache.MaxWindowDays, 500, days));

        // Each day counts for 64 bytes besides its blob: ten days fit in 1000; the sixth of the next ten
        // passes it, and the cache starts again from that day. Days kept again count nothing more.
        cache.Set(1, 0, 9, 500, []);
        cache.Set(1, 0, 9, 500, []);
        Assert.True(cache.TryGet(1, 0, 9, 500, days));
        cache.Set(1, 10, 19, 500, []);
        Assert.False(cache.TryGet(1, 0, 9, 500, days));
        Assert.False(cache.TryGet(1, 10, 19, 500, days));
        Assert.True(cache.TryGet(1, 15, 19, 500, days));
    }
}
