using System.Data.Common;

namespace ZoomChat.Server.Storage;

/// <summary>A chat/list page made from its candidate sessions, the same on every store.</summary>
internal static class SessionPages
{
    /// <summary>
    /// The page among <paramref name="candidates"/> (<see cref="ChatListIndex.PageCandidates"/>, with their latest times
    /// in <paramref name="lastOf"/>): those after the cursor in the page order, latest time descending
    /// and then public id ascending, at most <paramref name="limit"/>.
    /// </summary>
    public static List<(StoredSession Session, long Last)> Page(
        IEnumerable<StoredSession> candidates, Dictionary<long, long> lastOf, SessionCursor? after, int limit)
    {
        var page = new List<(StoredSession Session, long Last)>();
        foreach (var session in candidates)
        {
            var last = lastOf[session.Id];
            if (after is not { } c || last < c.LastMessageTimeMs || Utf8Order.Compare(session.PublicId, c.SessionId) > 0)
            {
                page.Add((session, last));
            }
        }

        page.Sort((a, b) => a.Last != b.Last ? b.Last.CompareTo(a.Last) : Utf8Order.Compare(a.Session.PublicId, b.Session.PublicId));
        if (page.Count > limit)
        {
            page.RemoveRange(limit, page.Count - limit);
        }

        return page;
    }

    /// <summary>
    /// The page's rows with their participants: only 1:1 sessions show theirs (docs/api.md#listing-sessions-chatlist),
    /// as they are now, read by <paramref name="participants"/> (session id, e-mail; by session, then e-mail),
    /// one query for the whole page, or null when the page holds no 1:1 session.
    /// </summary>
    public static async Task<SessionPage> WithParticipantsAsync(
        List<(StoredSession Session, long Last)> page, int total, DbDataReader? participants, CancellationToken cancellationToken)
    {
        var emailsOf = new Dictionary<long, List<string>>();
        while (participants is not null && await participants.ReadAsync(cancellationToken))
        {
            var sessionId = participants.GetInt64(0);
            if (!emailsOf.TryGetValue(sessionId, out var emails))
            {
                emailsOf.Add(sessionId, emails = []);
            }

            emails.Add(participants.GetString(1));
        }

        var rows = page.ConvertAll(row => new SessionActivity(row.Session, row.Last, emailsOf.TryGetValue(row.Session.Id, out var emails) ? emails : []));
        return new SessionPage(rows, total);
    }

    /// <summary>The ids of the page's 1:1 sessions, whose participants it shows.</summary>
    public static long[] OneOnOne(List<(StoredSession Session, long Last)> page) =>
        [.. page.Where(row => row.Session.Type == Client.Wire.ChatSessionTypes.OneOnOne).Select(row => row.Session.Id)];
}
