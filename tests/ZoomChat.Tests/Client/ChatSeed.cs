using ZoomChat.Client.Wire;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

/// <summary>One message a test imports, and what the API must answer for it.</summary>
internal sealed record SeedMessage(
    string SessionId, string Type, string GroupName, string[] Participants, string? Sender, DateTimeOffset Time, string Text);

/// <summary>
/// Archives for client tests: imported through the interchange format, with the answers
/// docs/api.md#listing-sessions-chatlist and docs/api.md#reading-a-session-chatget say chat/list and chat/get give for them, worked out here independently of the server.
/// </summary>
internal static class ChatSeed
{
    public static readonly DateTimeOffset Day = new(2016, 1, 18, 0, 0, 0, TimeSpan.Zero);

    public static SeedMessage Group(string sessionId, string sender, DateTimeOffset time, string text, string groupName = "Team") =>
        new(sessionId, ChatSessionTypes.Group, groupName, ["ann@acme.com", "bob@acme.com", "cy@acme.com"], sender, time, text);

    public static SeedMessage OneOnOne(string sessionId, string? sender, DateTimeOffset time, string text, string a = "ann@acme.com", string b = "bob@acme.com") =>
        new(sessionId, ChatSessionTypes.OneOnOne, string.Empty, [a, b], sender, time, text);

    /// <summary>A varied archive: groups and 1:1s, ties, same-instant messages, an unknown sender, text to escape, one session out of range.</summary>
    public static List<SeedMessage> Varied()
    {
        var messages = new List<SeedMessage>();
        for (var i = 0; i < 13; i++)
        {
            messages.Add(Group("general", i % 2 == 0 ? "ann@acme.com" : "bob@acme.com", Day.AddHours(i * 7), $"general {i}"));
        }

        // Four messages of one instant: they keep their arrival order (docs/api.md#reading-a-session-chatget).
        for (var i = 0; i < 4; i++)
        {
            messages.Add(Group("general", "cy@acme.com", Day.AddHours(30).AddMilliseconds(250), $"burst {i}"));
        }

        messages.Add(Group("design", "cy@acme.com", Day.AddDays(1), "Grüße, \"quoted\" \\ and\nnew line ✓ 🎉", "Design ✏️"));
        messages.Add(Group("design", "ann@acme.com", Day.AddDays(2).AddMinutes(3), "design 2", "Design ✏️"));
        for (var i = 0; i < 7; i++)
        {
            messages.Add(OneOnOne("ann-bob", i % 3 == 0 ? "bob@acme.com" : "ann@acme.com", Day.AddMinutes(95 * i).AddSeconds(1), $"dm {i}"));
        }

        // Its latest message ties with design's (the list orders ties by session_id).
        messages.Add(OneOnOne("cy-dee", "dee@acme.com", Day.AddDays(1).AddHours(1), "hi", "cy@acme.com", "dee@acme.com"));
        messages.Add(OneOnOne("cy-dee", null, Day.AddDays(2).AddMinutes(3), "from nobody known", "cy@acme.com", "dee@acme.com"));
        messages.Add(Group("later", "ann@acme.com", Day.AddDays(30), "outside the range"));
        return messages;
    }

    public static async Task ImportAsync(this TestArchive archive, string account, IEnumerable<SeedMessage> messages) =>
        await archive.ImportAsync(account, [.. messages.Select(m => Lines.Message(
            m.SessionId,
            ZoomTime.ToWire(m.Time),
            m.Text,
            sender: m.Sender,
            type: m.Type,
            groupName: m.Type == ChatSessionTypes.Group ? m.GroupName : null,
            participants: m.Participants))]);

    /// <summary>chat/list's answer: sessions with a message in [from, to], latest first, ties by session_id.</summary>
    public static List<ChatSession> ExpectedSessions(IEnumerable<SeedMessage> messages, DateTimeOffset from, DateTimeOffset to) =>
        [.. messages
            .Where(m => m.Time >= from && m.Time <= to)
            .GroupBy(m => m.SessionId)
            .Select(g => new ChatSession
            {
                SessionId = g.Key,
                Type = g.First().Type,
                Participants = g.First().Type == ChatSessionTypes.OneOnOne
                    ? string.Join(',', g.First().Participants.Order(StringComparer.Ordinal))
                    : string.Empty,
                GroupName = g.First().GroupName,
                LastMessageSendTime = g.Max(m => m.Time),
            })
            .OrderByDescending(s => s.LastMessageSendTime)
            .ThenBy(s => s.SessionId, StringComparer.Ordinal)];

    /// <summary>chat/get's answer: the session's messages in [from, to], oldest first, same instants in arrival order.</summary>
    public static List<ChatMessage> ExpectedMessages(IEnumerable<SeedMessage> messages, string sessionId, DateTimeOffset from, DateTimeOffset to) =>
        [.. messages
            .Where(m => m.SessionId == sessionId && m.Time >= from && m.Time <= to)
            .OrderBy(m => m.Time)
            .Select(m => new ChatMessage { Message = m.Text, Sender = m.Sender ?? string.Empty, DateTime = m.Time })];

    /// <summary>The last millisecond of a day, as a date-only <c>to</c> means it.</summary>
    public static DateTimeOffset EndOf(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1).AddMilliseconds(-1);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
