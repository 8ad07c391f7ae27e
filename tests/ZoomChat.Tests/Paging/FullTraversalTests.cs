using System.Globalization;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>
/// Whole traversals at every page size: every row exactly once, in order, none skipped, with ties
/// of time across page boundaries (docs/api.md#paging-and-page-tokens).
/// </summary>
public sealed class FullTraversalTests
{
    private const int SessionCount = 47;
    private const int MessageCount = 53;
    private static readonly DateTimeOffset Monday = new(2016, 1, 18, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<int> PageSizes => [.. Enumerable.Range(1, 30)];

    [StoreTheory]
    [MemberData(nameof(PageSizes))]
    public async Task A_list_traversal_returns_every_session_exactly_once_in_order(int pageSize)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var sessions = ListData();
        await archive.ImportAsync("acme", [.. sessions.SelectMany(s => s.Lines)]);
        var expected = sessions
            .OrderByDescending(s => s.Last)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => $"{s.Id} {Pages.Wire(s.Last)}")
            .ToList();

        var pages = await Pages.TraverseAsync(
            archive, Pages.List, acme, [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", Text(pageSize))]);

        Assert.Equal(expected, Pages.Sessions(pages));
        Pages.AssertWellFormed(pages, pageSize, SessionCount, "chat_list");
    }

    [StoreTheory]
    [MemberData(nameof(PageSizes))]
    public async Task A_get_traversal_returns_every_message_exactly_once_in_time_then_arrival_order(int pageSize)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var messages = MessageData();
        await archive.ImportAsync("acme", [.. messages.Select(m => Lines.Message("s-1", Pages.Wire(m.At), m.Text, m.Sender))]);
        // OrderBy is stable: messages of one instant stay in the order they were imported (arrived).
        var expected = messages
            .Where(m => m.At >= new DateTimeOffset(2016, 1, 16, 0, 0, 0, TimeSpan.Zero) && m.At < new DateTimeOffset(2016, 1, 23, 0, 0, 0, TimeSpan.Zero))
            .OrderBy(m => m.At)
            .Select(m => $"{Pages.Wire(m.At)} {m.Sender} {m.Text}")
            .ToList();

        var pages = await Pages.TraverseAsync(
            archive, Pages.Get, acme, [("session_id", "s-1"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", Text(pageSize))]);

        Assert.Equal(MessageCount, expected.Count);
        Assert.Equal(expected, Pages.Messages(pages));
        Pages.AssertWellFormed(pages, pageSize, MessageCount, "chat_messages");
    }

    /// <summary>
    /// 47 sessions whose latest in-range messages fall on 9 instants (so about five tie on each), ids
    /// in mixed case, each with an earlier message in the range and some with one after it.
    /// </summary>
    private static List<(string Id, DateTimeOffset Last, string[] Lines)> ListData()
    {
        var result = new List<(string, DateTimeOffset, string[])>();
        for (var i = 0; i < SessionCount; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{(i % 2 == 0 ? "S" : "s")}-{(i * 17) % SessionCount:D2}");
            var last = Monday.AddHours(i * 7 % 9);
            var lines = new List<string>
            {
                Lines.Message(id, Pages.Wire(last.AddHours(-30)), "earlier, in the range", "ann@acme.com"),
                Lines.Message(id, Pages.Wire(last), "the latest in the range", "bob@acme.com"),
            };
            if (i % 4 == 0)
            {
                lines.Add(Lines.Message(id, "2016-01-23T00:00:00.000Z", "after the range", "ann@acme.com"));
            }

            result.Add((id, last, [.. lines]));
        }

        return result;
    }

    /// <summary>53 messages in the range, imported out of time order, in runs of up to four sharing one millisecond; plus two outside.</summary>
    private static List<(DateTimeOffset At, string Sender, string Text)> MessageData()
    {
        var random = new Random(7);
        var result = new List<(DateTimeOffset, string, string)>();
        for (var i = 0; i < MessageCount; i++)
        {
            var at = Monday.AddSeconds(random.Next(0, 14)).AddMilliseconds(250);
            result.Add((at, i % 2 == 0 ? "ann@acme.com" : "bob@acme.com", $"message {i:D2}"));
        }

        result.Insert(20, (new DateTimeOffset(2016, 1, 15, 23, 59, 59, 999, TimeSpan.Zero), "ann@acme.com", "before the range"));
        result.Insert(40, (new DateTimeOffset(2016, 1, 23, 0, 0, 0, TimeSpan.Zero), "ann@acme.com", "after the range"));
        return result;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
