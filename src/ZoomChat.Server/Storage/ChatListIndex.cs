using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ZoomChat.Server.Storage;

/// <summary>
/// Every account's session days (SQLite's <c>account_days</c>, PostgreSQL's <c>session_days</c>) as of one
/// snapshot mark, arranged so that a chat/list window of whole UTC days costs about the same whatever the
/// number of sessions in it. Reading a window's days and grouping them by session grows with the archive,
/// too fast for chat/list's latency to stay within its growth target (docs/benchmarks.md#sixth-pass).
/// <para>
/// Each session day (an entry) knows the previous and the next day on which its session has
/// messages. A session is in the window [first, last] once for each of its days there, so it is
/// counted at its first one (the previous day before the window), and placed in the window's order at
/// its last one (the next day after it): within a day, entries are kept latest message first, so a
/// page walks the window's days from its last, and the sessions' counts are a binary search per day
/// over the previous days, kept sorted.
/// </para>
/// <para>
/// Exact for queries whose snapshot mark is <see cref="Mark"/>: it was built in one read transaction
/// that saw every message up to that arrival and none after it. Other queries, and windows with a
/// partial day, go the way that reads the store.
/// </para>
/// </summary>
internal sealed class ChatListIndex
{
    /// <summary>Users in more sessions than this get session days of their own, built once per index.</summary>
    private const int BusyUserSessions = 1024;

    /// <summary>
    /// What the users' sessions kept for the index's life may take in all: 4 bytes per session of a
    /// quiet user, 8 more per session day of a busy one, and <see cref="BytesPerUser"/> each.
    /// </summary>
    private const long MaxUserBytes = 16L * 1024 * 1024;
    private const long BytesPerUser = 64;

    /// <summary>
    /// The most memory an index may take: 128 MB, an archive of about 33 million messages shaped as
    /// the benchmark's (docs/benchmarks.md#sixth-pass gives the index's size at 10 million).
    /// A larger archive's chat/list reads the store, as without the index, rather than outgrow a small
    /// server's memory.
    /// </summary>
    private const long MaxBytes = 128L * 1024 * 1024;

    // What an entry takes (session, time, next day, previous day, and the per-session arrays), and a session.
    private const long BytesPerEntry = 28;
    private const long BytesPerSession = 12;

    private readonly Dictionary<long, DaySet> _accounts;

    // Per entry: each account's entries together, its days ascending, each day's latest message first.
    private readonly int[] _session;
    private readonly long[] _last;
    private readonly int[] _nextDay;

    // Per session id: its entries, days ascending, at [_sessionStart[id], _sessionStart[id + 1]).
    private readonly int[] _sessionStart;
    private readonly int[] _sessionDay;
    private readonly int[] _sessionEntry;

    private readonly ConcurrentDictionary<long, UserSessions> _users = new();
    private long _userBytes;

    private ChatListIndex(
        long mark, Dictionary<long, DaySet> accounts, int[] session, long[] last, int[] nextDay,
        int[] sessionStart, int[] sessionDay, int[] sessionEntry)
    {
        Mark = mark;
        _accounts = accounts;
        _session = session;
        _last = last;
        _nextDay = nextDay;
        _sessionStart = sessionStart;
        _sessionDay = sessionDay;
        _sessionEntry = sessionEntry;
    }

    /// <summary>The snapshot mark the index is exact for.</summary>
    public long Mark { get; }

    /// <summary>The session days it holds.</summary>
    public int Entries => _session.Length;

    /// <summary>Whether an index of <paramref name="entries"/> session days and sessions numbered up to <paramref name="maxSession"/> fits <see cref="MaxBytes"/>.</summary>
    public static bool Fits(long maxSession, long entries) => (entries * BytesPerEntry) + (maxSession * BytesPerSession) <= MaxBytes;

    /// <summary>
    /// Makes an index from every session day of a store as of <paramref name="mark"/>, read in one
    /// transaction that saw every message up to the mark and none after it (each store reads its own
    /// tables). Days come in (account, day) order; within a day in any order.
    /// </summary>
    internal sealed class Builder
    {
        private readonly long _mark;
        private readonly int[] _session;
        private readonly long[] _last;
        private readonly int[] _previousDays;
        private readonly int[] _nextDay;
        private readonly int[] _latestEntry;
        private readonly int[] _latestDay;
        private readonly int[] _sessionStart;
        private readonly Dictionary<long, DaySet> _accounts = [];
        private readonly List<int> _days = [];
        private readonly List<int> _dayStart = [];
        private long _account;
        private int _count;
        private bool _overflowed;

        /// <param name="mark">The snapshot mark the rows were read at.</param>
        /// <param name="maxSession">The largest session id; <see cref="Fits"/> must hold.</param>
        /// <param name="entries">The number of session days that will be added.</param>
        public Builder(long mark, long maxSession, long entries)
        {
            _mark = mark;
            var (sessionCount, entryCount) = (checked((int)maxSession + 1), checked((int)entries));
            _session = new int[entryCount];
            _last = new long[entryCount];
            _previousDays = new int[entryCount];
            _nextDay = new int[entryCount];
            _latestEntry = new int[sessionCount];
            _latestDay = new int[sessionCount];
            _sessionStart = new int[sessionCount + 1];
            Array.Fill(_latestEntry, -1);
            Array.Fill(_latestDay, int.MinValue);
        }

        /// <summary>
        /// One session day: each entry learns its session's previous day, and gives the previous entry of
        /// its session its next day.
        /// </summary>
        public void Add(long accountId, long day, long sessionId, long lastTime)
        {
            if (_count == _session.Length)
            {
                _overflowed = true;
                return;
            }

            var (dayNumber, id) = (checked((int)day), checked((int)sessionId));
            if (_days.Count == 0 || accountId != _account || dayNumber != _days[^1])
            {
                if (_days.Count > 0 && accountId != _account)
                {
                    EndAccount();
                }

                _account = accountId;
                _days.Add(dayNumber);
                _dayStart.Add(_count);
            }

            var before = _latestEntry[id];
            _session[_count] = id;
            _last[_count] = lastTime;
            _nextDay[_count] = int.MaxValue;
            _previousDays[_count] = _latestDay[id];
            if (before >= 0)
            {
                _nextDay[before] = dayNumber;
            }

            _latestDay[id] = dayNumber;
            _latestEntry[id] = _count++;
            _sessionStart[id + 1]++;
        }

        /// <summary>The index; null if the rows were not as many as counted, which one transaction never sees.</summary>
        public ChatListIndex? Build()
        {
            if (_overflowed || _count != _session.Length)
            {
                return null;
            }

            if (_days.Count > 0)
            {
                EndAccount();
            }

            // Each day latest message first, sorted in place a day at a time; its entries' previous
            // days sorted apart. Session by session, entries in day order for the lookups.
            foreach (var accountDays in _accounts.Values)
            {
                for (var k = 0; k < accountDays.Days.Length; k++)
                {
                    var (from, length) = (accountDays.Start[k], accountDays.Start[k + 1] - accountDays.Start[k]);
                    SortLatestFirst(_session.AsSpan(from, length), _last.AsSpan(from, length), _nextDay.AsSpan(from, length));
                    Array.Sort(_previousDays, from, length);
                }
            }

            var sessionCount = _latestEntry.Length;
            for (var id = 0; id < sessionCount; id++)
            {
                _sessionStart[id + 1] += _sessionStart[id];
            }

            var sessionDay = new int[_count];
            var sessionEntry = new int[_count];
            var filled = _latestEntry;
            Array.Copy(_sessionStart, filled, sessionCount);
            foreach (var accountDays in _accounts.Values)
            {
                for (var k = 0; k < accountDays.Days.Length; k++)
                {
                    for (var p = accountDays.Start[k]; p < accountDays.Start[k + 1]; p++)
                    {
                        var slot = filled[_session[p]]++;
                        sessionDay[slot] = accountDays.Days[k];
                        sessionEntry[slot] = p;
                    }
                }
            }

            return new ChatListIndex(_mark, _accounts, _session, _last, _nextDay, _sessionStart, sessionDay, sessionEntry);
        }

        private void EndAccount()
        {
            _accounts.Add(_account, new DaySet([.. _days], [.. _dayStart, _count], _previousDays, null));
            _days.Clear();
            _dayStart.Clear();
        }
    }

    /// <summary>
    /// The window's session count, and the sessions that can be on the page after
    /// <paramref name="cursorTime"/> with their latest times; a user's sessions as of
    /// the index's mark come from <paramref name="userSessions"/> (ascending), read once while they fit.
    /// </summary>
    public async Task<(Dictionary<long, long> Candidates, int Total)> WindowAsync(
        ChatListQuery query, long? cursorTime, int limit, Func<long, long, CancellationToken, Task<int[]>> userSessions, CancellationToken cancellationToken)
    {
        var (firstDay, lastDay) = ((int)UtcDay.Of(query.FromMs), (int)UtcDay.Of(query.ToMs));
        if (query.UserId is not { } user)
        {
            return Window(query.AccountId, firstDay, lastDay, cursorTime, limit);
        }

        var sessions = _users.GetValueOrDefault(user) ?? Keep(user, await userSessions(user, Mark, cancellationToken));
        if (sessions.Days is { } busy)
        {
            return Window(busy, firstDay, lastDay, cursorTime, limit);
        }

        var joined = Joined(query.AccountId, firstDay, lastDay, sessions.Sessions);
        return (PageCandidates(CollectionsMarshal.AsSpan(joined), cursorTime, limit), joined.Count);
    }

    /// <summary>
    /// The window's session count, and the sessions that can be on the page after
    /// <paramref name="cursorTimeMs"/> with their latest times (as <c>PageCandidates</c> in the
    /// store selects them: all tied with the cursor, then as many as the page holds, and any tied with
    /// the last of those).
    /// </summary>
    public (Dictionary<long, long> Candidates, int Total) Window(long accountId, int firstDay, int lastDay, long? cursorTimeMs, int limit) =>
        _accounts.TryGetValue(accountId, out var account) ? Window(account, firstDay, lastDay, cursorTimeMs, limit) : ([], 0);

    /// <summary>The same as <see cref="Window(long, int, int, long?, int)"/>, for the sessions of a busy user (<see cref="UserSessions.Days"/>).</summary>
    private (Dictionary<long, long> Candidates, int Total) Window(DaySet set, int firstDay, int lastDay, long? cursorTimeMs, int limit)
    {
        var candidates = new Dictionary<long, long>();
        var (low, high) = set.Range(firstDay, lastDay);
        var total = 0;
        for (var k = low; k < high; k++)
        {
            total += CountBefore(set.PreviousDays, set.Start[k], set.Start[k + 1], firstDay);
        }

        var atOrBefore = cursorTimeMs ?? long.MaxValue;
        var cursorDay = cursorTimeMs is { } cursor ? UtcDay.Of(cursor) : long.MaxValue;
        var taken = 0;
        var lowest = long.MaxValue;
        for (var k = high - 1; k >= low; k--)
        {
            if (set.Days[k] > cursorDay)
            {
                continue;
            }

            for (var q = set.Start[k]; q < set.Start[k + 1]; q++)
            {
                var p = set.Positions is { } positions ? positions[q] : q;
                var time = _last[p];
                if (_nextDay[p] <= lastDay || time > atOrBefore)
                {
                    // Not the session's last day in the window, or before the cursor in the page order.
                    continue;
                }

                if (taken >= limit && time < lowest)
                {
                    return (candidates, total);
                }

                candidates.Add(_session[p], time);
                lowest = time;
                if (time != cursorTimeMs)
                {
                    taken++;
                }
            }
        }

        return (candidates, total);
    }

    /// <summary>
    /// The window's sessions among a user's few sessions, with their latest times: each session's last
    /// day up to the window's end, found by a binary search among its days.
    /// </summary>
    private List<ActiveSession> Joined(long accountId, int firstDay, int lastDay, int[] sessions)
    {
        var joined = new List<ActiveSession>();
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            return joined;
        }

        foreach (var id in sessions)
        {
            if (id < 0 || id + 1 >= _sessionStart.Length)
            {
                continue;
            }

            var (from, to) = (_sessionStart[id], _sessionStart[id + 1]);
            var upTo = from + CountBefore(_sessionDay, from, to, lastDay + 1) - 1;
            if (upTo >= from && _sessionDay[upTo] >= firstDay && account.Holds(_sessionEntry[upTo]))
            {
                joined.Add(new(id, _last[_sessionEntry[upTo]]));
            }
        }

        return joined;
    }

    /// <summary>
    /// The user's sessions (read at <see cref="Mark"/>), kept for the index's life while they fit
    /// <see cref="MaxUserBytes"/>, so that the pages of a user's traversal read them once; a busy user's
    /// with session days of their own: their positions among the index's entries, so that a window of
    /// a busy user's sessions is walked as an account's is.
    /// </summary>
    private UserSessions Keep(long userId, int[] sessions)
    {
        var user = new UserSessions(sessions, null);
        if (sessions.Length < BusyUserSessions)
        {
            var bytes = BytesPerUser + (4L * sessions.Length);
            return Reserve(bytes) ? Add(userId, user, bytes) : user;
        }

        var valid = Array.FindAll(sessions, id => id >= 0 && id + 1 < _sessionStart.Length);
        var count = valid.Sum(id => _sessionStart[id + 1] - _sessionStart[id]);
        var busyBytes = BytesPerUser + (4L * sessions.Length) + (8L * count);
        if (!Reserve(busyBytes))
        {
            return user;
        }

        var entries = new List<(int Position, int Day, int PreviousDay)>(count);
        foreach (var id in valid)
        {
            for (var slot = _sessionStart[id]; slot < _sessionStart[id + 1]; slot++)
            {
                entries.Add((_sessionEntry[slot], _sessionDay[slot], slot > _sessionStart[id] ? _sessionDay[slot - 1] : int.MinValue));
            }
        }

        // Positions ascend with the day within an account and, within a day, with the latest message first.
        entries.Sort((a, b) => a.Position.CompareTo(b.Position));
        var (days, start) = (new List<int>(), new List<int>());
        var (positions, previousDays) = (new int[entries.Count], new int[entries.Count]);
        for (var q = 0; q < entries.Count; q++)
        {
            if (days.Count == 0 || days[^1] != entries[q].Day)
            {
                days.Add(entries[q].Day);
                start.Add(q);
            }

            (positions[q], previousDays[q]) = (entries[q].Position, entries[q].PreviousDay);
        }

        start.Add(entries.Count);
        for (var k = 0; k < days.Count; k++)
        {
            Array.Sort(previousDays, start[k], start[k + 1] - start[k]);
        }

        return Add(userId, user with { Days = new DaySet([.. days], [.. start], previousDays, positions) }, busyBytes);
    }

    /// <summary>What the users' sessions kept take of <see cref="MaxUserBytes"/> (for tests).</summary>
    internal long KeptUserBytes => Interlocked.Read(ref _userBytes);

    /// <summary>
    /// Keeps the user's sessions, whose <paramref name="bytes"/> are reserved; when a concurrent request kept
    /// the same user's first, gives the bytes back, so that only what is kept counts against the budget.
    /// </summary>
    private UserSessions Add(long userId, UserSessions sessions, long bytes)
    {
        if (_users.TryAdd(userId, sessions))
        {
            return sessions;
        }

        Interlocked.Add(ref _userBytes, -bytes);
        return _users[userId];
    }

    /// <summary>Takes <paramref name="bytes"/> of <see cref="MaxUserBytes"/>, if they are left.</summary>
    private bool Reserve(long bytes)
    {
        if (Interlocked.Add(ref _userBytes, bytes) <= MaxUserBytes)
        {
            return true;
        }

        Interlocked.Add(ref _userBytes, -bytes);
        return false;
    }

    /// <summary>
    /// The sessions that can be on the page after <paramref name="cursorTimeMs"/>, with their latest
    /// times. The page's order is (latest time descending, public id ascending), and the window's
    /// sessions are known by internal id only: so, among those at or before the cursor's time, all
    /// tied with the cursor (the public ids decide which of them come after it), then as many as the
    /// page holds, and any tied with the last of those. A selection, not a sort: a page needs at most
    /// 30 of the window's sessions, which on a large archive number thousands
    /// (docs/benchmarks.md#fourth-pass).
    /// </summary>
    public static Dictionary<long, long> PageCandidates(ReadOnlySpan<ActiveSession> active, long? cursorTimeMs, int limit)
    {
        var atOrBefore = cursorTimeMs ?? long.MaxValue;
        var tiedWithCursor = 0;
        foreach (var session in active)
        {
            if (session.Last == cursorTimeMs)
            {
                tiedWithCursor++;
            }
        }

        // The smallest of the latest times the page needs: the k-th largest at or before the cursor.
        var wanted = tiedWithCursor + limit;
        var largest = new PriorityQueue<long, long>(wanted);
        foreach (var session in active)
        {
            if (session.Last > atOrBefore)
            {
                continue;
            }

            if (largest.Count < wanted)
            {
                largest.Enqueue(session.Last, session.Last);
            }
            else if (session.Last > largest.Peek())
            {
                largest.EnqueueDequeue(session.Last, session.Last);
            }
        }

        var lowest = largest.Count < wanted ? long.MinValue : largest.Peek();
        var candidates = new Dictionary<long, long>();
        foreach (var session in active)
        {
            if (session.Last <= atOrBefore && session.Last >= lowest)
            {
                candidates.Add(session.Id, session.Last);
            }
        }

        return candidates;
    }

    /// <summary>Puts one day's entries latest message first, with temporary arrays the size of the day.</summary>
    private static void SortLatestFirst(Span<int> session, Span<long> last, Span<int> nextDay)
    {
        var length = session.Length;
        var keys = ArrayPool<long>.Shared.Rent(length);
        var order = ArrayPool<int>.Shared.Rent(length);
        var moved = ArrayPool<int>.Shared.Rent(2 * length);
        try
        {
            for (var j = 0; j < length; j++)
            {
                keys[j] = -last[j];
                order[j] = j;
            }

            keys.AsSpan(0, length).Sort(order.AsSpan(0, length));
            for (var j = 0; j < length; j++)
            {
                moved[j] = session[order[j]];
                moved[length + j] = nextDay[order[j]];
            }

            for (var j = 0; j < length; j++)
            {
                session[j] = moved[j];
                nextDay[j] = moved[length + j];
                last[j] = -keys[j];
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(moved);
        }
    }

    /// <summary>How many of <paramref name="sorted"/>[from..to) are below <paramref name="value"/>.</summary>
    private static int CountBefore(int[] sorted, int from, int to, int value)
    {
        var (low, high) = (from, to);
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            if (sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low - from;
    }

    /// <summary>A user's sessions, ascending; for a busy user also their session days (<see cref="Keep"/>).</summary>
    internal sealed record UserSessions(int[] Sessions, DaySet? Days);

    /// <summary>
    /// Session days walked as a window: the days that hold any, ascending, where each day's start
    /// (one more at the end), and the previous days of each day's entries, sorted per day. An
    /// account's are the index's entries themselves; a busy user's name their <paramref name="Positions"/>.
    /// </summary>
    internal sealed record DaySet(int[] Days, int[] Start, int[] PreviousDays, int[]? Positions)
    {
        /// <summary>The positions in <see cref="Days"/> of the days in [first, last].</summary>
        public (int Low, int High) Range(int first, int last) =>
            (CountBefore(Days, 0, Days.Length, first), CountBefore(Days, 0, Days.Length, last + 1));

        /// <summary>Whether an entry of the index lies among an account's.</summary>
        public bool Holds(int position) => position >= Start[0] && position < Start[^1];
    }
}

/// <summary>A session of a <c>chat/list</c> window and its latest message time in it.</summary>
internal readonly record struct ActiveSession(long Id, long Last);
