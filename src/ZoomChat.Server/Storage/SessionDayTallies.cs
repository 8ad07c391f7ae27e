using System.Collections;
using System.Runtime.InteropServices;

namespace ZoomChat.Server.Storage;

/// <summary>
/// What an import adds to each session's UTC day: how many messages, the latest time and the newest
/// arrival, summed in the importer and written once per day rather than by every message (SQLite's
/// <c>session_day_stats</c> and <c>account_days</c>, PostgreSQL's <c>session_days</c>).
/// </summary>
internal sealed class SessionDayTallies : IEnumerable<KeyValuePair<(long SessionId, long Day), SessionDayTally>>
{
    private readonly Dictionary<(long SessionId, long Day), SessionDayTally> _days = [];

    public int Count => _days.Count;

    /// <summary>Counts a message; messages come in arrival order, so each one's arrival is its day's newest.</summary>
    public void Add(in NewMessage message)
    {
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_days, (message.SessionId, UtcDay.Of(message.DateTimeMs)), out var exists);
        tally = exists
            ? tally with { Messages = tally.Messages + 1, LastTime = Math.Max(tally.LastTime, message.DateTimeMs), MaxArrival = message.Arrival }
            : new SessionDayTally(message.AccountId, 1, message.DateTimeMs, message.Arrival);
    }

    public void Clear() => _days.Clear();

    public Dictionary<(long SessionId, long Day), SessionDayTally>.Enumerator GetEnumerator() => _days.GetEnumerator();

    IEnumerator<KeyValuePair<(long SessionId, long Day), SessionDayTally>> IEnumerable<KeyValuePair<(long SessionId, long Day), SessionDayTally>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

internal readonly record struct SessionDayTally(long AccountId, long Messages, long LastTime, long MaxArrival);
