using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Tests.Storage;

public sealed class AccountDayTests
{
    [Fact]
    public void Merging_keeps_sessions_ascending_with_the_later_time_and_the_newer_arrival()
    {
        var stored = AccountDay.Merge([], [new(1, 100, 10), new(3, -5_000, 11), new(5, 500, 12)]);
        var merged = AccountDay.Merge(stored, [new(2, 200, 20), new(3, -6_000, 21), new(6, 600, 22)]);

        var entries = Enumerable.Range(0, AccountDay.Count(merged)).Select(i => AccountDay.Read(merged, i)).ToList();
        Assert.Equal(
            [new(1, 100, 10), new(2, 200, 20), new SessionDay(3, -5_000, 21), new(5, 500, 12), new(6, 600, 22)],
            entries);
    }

    [Fact]
    public void Merging_nothing_into_a_day_leaves_it_as_it_was()
    {
        var stored = AccountDay.Merge([], [new(7, long.MinValue, 1), new(8, long.MaxValue, long.MaxValue)]);

        Assert.Equal(stored, AccountDay.Merge(stored, []));
        Assert.Equal(new SessionDay(7, long.MinValue, 1), AccountDay.Read(stored, 0));
        Assert.Equal(new SessionDay(8, long.MaxValue, long.MaxValue), AccountDay.Read(stored, 1));
    }
}
