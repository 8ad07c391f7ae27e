using System.Collections.Concurrent;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// The <c>account_days</c> blobs chat/list has read, kept in memory: reading them from SQLite on
/// every request copies their overflow pages in from the file and makes a fresh array for each, a
/// large part of chat/list's CPU on a large archive (docs/benchmarks.md#fifth-pass).
/// <para>
/// Each day is kept with the snapshot mark of the request that read it; what SQLite returned then is
/// the day as of that mark or later. A blob read later than a query's snapshot is still right for it
/// (chat/list seeks the messages of any day holding an arrival newer than the snapshot), so an entry
/// serves every query whose mark is at most its own; a query with a newer mark, as after an import,
/// reads the days again. Bounded by the memory its entries take: past it the cache starts again empty.
/// </para>
/// </summary>
internal sealed class AccountDayCache(long maxBytes)
{
    /// <summary>
    /// The longest window kept, in days: a window may span millennia (from 0001-01-01), and keeping an
    /// entry for each of its days would fill memory with empty ones. Longer windows read SQLite.
    /// </summary>
    public const int MaxWindowDays = 400;

    /// <summary>What an entry takes besides its blob: key, mark, array reference and the dictionary's node.</summary>
    private const long EntryBytes = 64;

    private readonly ConcurrentDictionary<(long AccountId, long Day), Entry> _entries = new();
    private long _bytes;

    /// <summary>Adds the window's days that hold sessions to <paramref name="days"/>, if every day of it is kept for this mark.</summary>
    public bool TryGet(long accountId, long fromDay, long toDay, long mark, List<(long Day, byte[] Sessions)> days)
    {
        if (toDay - fromDay >= MaxWindowDays)
        {
            return false;
        }

        for (var day = fromDay; day <= toDay; day++)
        {
            if (!_entries.TryGetValue((accountId, day), out var entry) || entry.Mark < mark)
            {
                days.Clear();
                return false;
            }

            if (entry.Sessions.Length > 0)
            {
                days.Add((day, entry.Sessions));
            }
        }

        return true;
    }

    /// <summary>Keeps the window's days as read for <paramref name="mark"/>: those in <paramref name="days"/>, and the others as empty.</summary>
    public void Set(long accountId, long fromDay, long toDay, long mark, List<(long Day, byte[] Sessions)> days)
    {
        if (toDay - fromDay >= MaxWindowDays)
        {
            return;
        }

        var read = 0;
        for (var day = fromDay; day <= toDay; day++)
        {
            var entry = new Entry(mark, read < days.Count && days[read].Day == day ? days[read++].Sessions : []);
            var key = (accountId, day);
            if (_entries.TryGetValue(key, out var kept) && kept.Mark >= mark)
            {
                // A read as new or newer stays: it serves at least as many queries.
                continue;
            }

            // Each entry counts its blob and the bytes it takes in the dictionary, so that empty days
            // are bounded too; under concurrent writers the count is close, not exact.
            var grown = entry.Sessions.Length + (kept.Sessions is null ? EntryBytes : -kept.Sessions.Length);
            if (Interlocked.Add(ref _bytes, grown) > maxBytes)
            {
                _entries.Clear();
                Interlocked.Exchange(ref _bytes, entry.Sessions.Length + EntryBytes);
            }

            _entries[key] = entry;
        }
    }

    /// <summary>Drops every entry: the chat/list index now answers the windows they served (whole days, the newest mark).</summary>
    public void Clear()
    {
        _entries.Clear();
        Interlocked.Exchange(ref _bytes, 0);
    }

    private readonly record struct Entry(long Mark, byte[] Sessions);
}
