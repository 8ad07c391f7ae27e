using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary><c>chat/list</c>: which sessions, in which order, with which fields (docs/api.md#listing-sessions-chatlist).</summary>
public sealed class ChatListOrderTests
{
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22")];

    [StoreFact]
    public async Task List_orders_by_last_message_time_descending_then_session_id_in_byte_order()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        // Imported out of order; the five at 10:00:00.000 tie and fall back to the ids' byte order.
        await archive.ImportAsync(
            "acme",
            Lines.Message("alpha", "2016-01-20T10:00:00.000Z", "a", "ann@acme.com"),
            Lines.Message("early", "2016-01-17T08:00:00.000Z", "e", "ann@acme.com"),
            Lines.Message("Zed", "2016-01-20T10:00:00.000Z", "z", "ann@acme.com"),
            Lines.Message("ms-later", "2016-01-20T10:00:00.001Z", "l", "ann@acme.com"),
            Lines.Message("9", "2016-01-20T10:00:00.000Z", "9", "ann@acme.com"),
            Lines.Message("late", "2016-01-21T08:00:00.000Z", "l", "ann@acme.com"),
            Lines.Message("Beta", "2016-01-20T10:00:00.000Z", "b", "ann@acme.com"),
            Lines.Message("ms-earlier", "2016-01-20T09:59:59.999Z", "m", "ann@acme.com"),
            Lines.Message("10", "2016-01-20T10:00:00.000Z", "10", "ann@acme.com"));

        var page = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);

        Assert.Equal(
            [
                "late 2016-01-21T08:00:00.000Z",
                "ms-later 2016-01-20T10:00:00.001Z",
                "10 2016-01-20T10:00:00.000Z",
                "9 2016-01-20T10:00:00.000Z",
                "Beta 2016-01-20T10:00:00.000Z",
                "Zed 2016-01-20T10:00:00.000Z",
                "alpha 2016-01-20T10:00:00.000Z",
                "ms-earlier 2016-01-20T09:59:59.999Z",
                "early 2016-01-17T08:00:00.000Z",
            ],
            Pages.Sessions(page));
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Ties_split_across_pages_are_each_served_once_in_session_id_order(int pageSize)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("t-c", "2016-01-20T10:00:00.000Z", "c"),
            Lines.Message("t-a", "2016-01-20T10:00:00.000Z", "a"),
            Lines.Message("t-e", "2016-01-20T10:00:00.000Z", "e"),
            Lines.Message("t-b", "2016-01-20T10:00:00.000Z", "b"),
            Lines.Message("t-d", "2016-01-20T10:00:00.000Z", "d"),
            Lines.Message("after", "2016-01-19T10:00:00.000Z", "x"),
            Lines.Message("before", "2016-01-21T10:00:00.000Z", "y"));

        var pages = await Pages.TraverseAsync(archive, Pages.List, acme, [.. Week, ("page_size", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

        Assert.Equal(
            ["before", "t-a", "t-b", "t-c", "t-d", "t-e", "after"],
            Pages.Sessions(pages).Select(row => row.Split(' ')[0]));
        Pages.AssertWellFormed(pages, pageSize, 7, "chat_list");
    }

    [StoreFact]
    public async Task Last_message_send_time_is_the_latest_message_inside_the_range_with_both_bounds_inclusive()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("spans", "2016-01-17T01:00:00.000Z", "in", "ann@acme.com"),
            Lines.Message("spans", "2016-01-21T05:06:07.089Z", "in, latest inside", "ann@acme.com"),
            Lines.Message("spans", "2016-01-25T00:00:00.000Z", "after the range", "ann@acme.com"),
            Lines.Message("end-bound", "2016-01-22T23:59:59.999Z", "last millisecond of the to day", "ann@acme.com"),
            Lines.Message("end-bound", "2016-01-23T00:00:00.000Z", "first millisecond after", "ann@acme.com"),
            Lines.Message("start-bound", "2016-01-15T23:59:59.999Z", "last millisecond before", "ann@acme.com"),
            Lines.Message("start-bound", "2016-01-16T00:00:00.000Z", "first millisecond of the from day", "ann@acme.com"),
            Lines.Message("outside-later", "2016-01-16T12:00:00.000Z", "inside", "ann@acme.com"),
            Lines.Message("outside-later", "2016-02-01T00:00:00.000Z", "outside, would sort first", "ann@acme.com"),
            Lines.Message("only-before", "2016-01-15T23:59:59.999Z", "outside", "ann@acme.com"),
            Lines.Message("only-after", "2016-01-23T00:00:00.000Z", "outside", "ann@acme.com"));

        var page = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);

        Assert.Equal(
            [
                "end-bound 2016-01-22T23:59:59.999Z",
                "spans 2016-01-21T05:06:07.089Z",
                "outside-later 2016-01-16T12:00:00.000Z",
                "start-bound 2016-01-16T00:00:00.000Z",
            ],
            Pages.Sessions(page));
        Assert.Equal(1, Pages.PageCount(page));
    }

    [StoreFact]
    public async Task Windows_cutting_days_anywhere_find_each_session_latest_message_inside_them()
    {
        // The store answers from per-day summaries and seeks messages only on days cut by the window:
        // windows with random edges, against the messages themselves.
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var random = new Random(20161);
        var start = new DateTimeOffset(2016, 1, 16, 0, 0, 0, TimeSpan.Zero);
        var messages = Enumerable.Range(0, 300)
            .Select(i => (Session: $"s{random.Next(12)}", At: start.AddMilliseconds(random.NextInt64(4 * 86_400_000L))))
            .ToList();
        await archive.ImportAsync("acme", [.. messages.Select((m, i) => Lines.Message(m.Session, Pages.Wire(m.At), $"m{i}"))]);

        for (var window = 0; window < 25; window++)
        {
            var from = start.AddMilliseconds(random.NextInt64(4 * 86_400_000L));
            var to = from.AddMilliseconds(random.NextInt64(window % 5 == 0 ? 60_000L : 2 * 86_400_000L));
            var expected = messages
                .Where(m => m.At >= from && m.At <= to)
                .GroupBy(m => m.Session, (session, inside) => (Session: session, Last: inside.Max(m => m.At)))
                .OrderByDescending(s => s.Last).ThenBy(s => s.Session, StringComparer.Ordinal)
                .Select(s => $"{s.Session} {Pages.Wire(s.Last)}");

            var pages = await Pages.TraverseAsync(archive, Pages.List, acme, [("from", Pages.Wire(from)), ("to", Pages.Wire(to)), ("page_size", "5")]);

            Assert.Equal(expected, Pages.Sessions(pages));
        }
    }

    [StoreFact]
    public async Task A_range_of_one_millisecond_finds_the_session_with_a_message_at_that_instant()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("hit", "2016-01-21T05:06:07.089Z", "exactly"),
            Lines.Message("hit", "2016-01-21T05:06:07.090Z", "one later"),
            Lines.Message("miss", "2016-01-21T05:06:07.088Z", "one earlier"));

        var page = await Pages.FirstPageAsync(
            archive, Pages.List, acme, [("from", "2016-01-21T05:06:07.089Z"), ("to", "2016-01-21T05:06:07.089Z")]);

        Assert.Equal(["hit 2016-01-21T05:06:07.089Z"], Pages.Sessions(page));
    }

    [StoreFact]
    public async Task Email_keeps_only_sessions_where_that_user_is_a_participant_in_any_case()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("ann-sent", "2016-01-20T10:00:00.000Z", "ann is the sender", "Ann@Acme.com"),
            Lines.Message("ann-listed", "2016-01-19T10:00:00.000Z", "ann never writes here", "bob@acme.com", participants: ["bob@acme.com", "ANN@acme.com"]),
            Lines.Message("bob-only", "2016-01-21T10:00:00.000Z", "without ann", "bob@acme.com", participants: ["bob@acme.com", "cy@acme.com"]),
            Lines.Message("dm", "2016-01-18T10:00:00.000Z", "1:1 with ann", "bob@acme.com", type: "1:1", participants: ["bob@acme.com", "ann@acme.com"]),
            Lines.Message("ann-old", "2015-12-01T10:00:00.000Z", "ann, outside the range", "ann@acme.com"),
            Lines.Message("no-sender", "2016-01-17T10:00:00.000Z", "nobody known"));

        var page = await Pages.FirstPageAsync(archive, Pages.List, acme, [.. Week, ("email", "aNN@ACME.com")]);

        Assert.Equal(
            ["ann-sent 2016-01-20T10:00:00.000Z", "ann-listed 2016-01-19T10:00:00.000Z", "dm 2016-01-18T10:00:00.000Z"],
            Pages.Sessions(page));
        Assert.Equal(1, Pages.PageCount(page));

        var bob = await Pages.FirstPageAsync(archive, Pages.List, acme, [.. Week, ("email", "bob@acme.com")]);
        Assert.Equal(
            ["bob-only 2016-01-21T10:00:00.000Z", "ann-listed 2016-01-19T10:00:00.000Z", "dm 2016-01-18T10:00:00.000Z"],
            Pages.Sessions(bob));
    }

    [StoreFact]
    public async Task Email_finds_the_sessions_of_busy_and_quiet_users_alike_in_windows_of_any_size()
    {
        // The store reads a quiet user's sessions whole and looks a busy user's up one by one among the
        // window's (a user in more than 64 of them, and more than a quarter): both against the lines.
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var random = new Random(20162);
        var start = new DateTimeOffset(2016, 1, 16, 0, 0, 0, TimeSpan.Zero);
        string[] MembersOf(int session) =>
            [.. new[] { "cy@acme.com", session % 10 < 7 ? "busy@acme.com" : null, session % 50 == 0 ? "quiet@acme.com" : null }.OfType<string>()];
        var messages = Enumerable.Range(0, 600)
            .Select(i => (Session: random.Next(240), At: start.AddMilliseconds(random.NextInt64(4 * 86_400_000L))))
            .ToList();
        await archive.ImportAsync(
            "acme",
            [.. messages.Select((m, i) => Lines.Message($"s{m.Session}", Pages.Wire(m.At), $"m{i}", "cy@acme.com", participants: MembersOf(m.Session)))]);

        for (var window = 0; window < 12; window++)
        {
            var from = start.AddMilliseconds(random.NextInt64(2 * 86_400_000L));
            var to = from.AddMilliseconds(random.NextInt64(window % 3 == 0 ? 3_600_000L : 2 * 86_400_000L));
            foreach (var email in new[] { "busy@acme.com", "quiet@acme.com" })
            {
                var expected = messages
                    .Where(m => m.At >= from && m.At <= to && MembersOf(m.Session).Contains(email))
                    .GroupBy(m => $"s{m.Session}", (session, inside) => (Session: session, Last: inside.Max(m => m.At)))
                    .OrderByDescending(s => s.Last).ThenBy(s => s.Session, StringComparer.Ordinal)
                    .Select(s => $"{s.Session} {Pages.Wire(s.Last)}");

                var pages = await Pages.TraverseAsync(
                    archive, Pages.List, acme, [("from", Pages.Wire(from)), ("to", Pages.Wire(to)), ("email", email), ("page_size", "50")]);

                Assert.Equal(expected, Pages.Sessions(pages));
            }
        }
    }

    [StoreFact]
    public async Task Email_of_a_user_without_sessions_in_the_range_gives_an_empty_list()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("g", "2016-01-20T10:00:00.000Z", "hello", "ann@acme.com"),
            Lines.Message("h", "2016-02-20T10:00:00.000Z", "later", "cy@acme.com"));

        // admin@example.com is the account's viewer, in no session; cy@acme.com only outside the range.
        foreach (var email in new[] { "admin@example.com", "cy@acme.com" })
        {
            var page = await archive.PostJsonAsync(Pages.List, acme.With([.. Week, ("email", email)]));

            Assert.Equal(
                """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_list":[]}""",
                page.GetRawText());
        }
    }

    [StoreFact]
    public async Task One_to_one_sessions_show_their_two_participants_and_groups_their_latest_name()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("dm", "2016-01-20T10:00:00.000Z", "hi", "Bob@Acme.com", type: "1:1", groupName: "not shown for 1:1", participants: ["Bob@Acme.com", "ann@acme.com"]),
            Lines.Message("team", "2016-01-19T10:00:00.000Z", "first", "ann@acme.com", groupName: "Old name", participants: ["ann@acme.com", "bob@acme.com", "cy@acme.com"]),
            Lines.Message("team", "2016-01-19T09:00:00.000Z", "renamed later", "bob@acme.com", groupName: "New name"),
            Lines.Message("nameless", "2016-01-18T10:00:00.000Z", "a group without a name", "cy@acme.com"));

        var page = await archive.PostJsonAsync(Pages.List, acme.With(Week));

        Assert.Equal(
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_list":[""" +
            """{"session_id":"dm","type":"1:1","participants":"ann@acme.com,bob@acme.com","group_name":"","last_message_send_time":"2016-01-20T10:00:00.000Z"},""" +
            """{"session_id":"team","type":"Group","participants":"","group_name":"New name","last_message_send_time":"2016-01-19T10:00:00.000Z"},""" +
            """{"session_id":"nameless","type":"Group","participants":"","group_name":"","last_message_send_time":"2016-01-18T10:00:00.000Z"}]}""",
            page.GetRawText());
    }

    [StoreFact]
    public async Task A_one_to_one_session_with_one_known_participant_so_far_lists_that_one()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("dm", "2016-01-20T10:00:00.000Z", "hi", "ann@acme.com", type: "1:1"));

        var page = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);

        Assert.Equal("ann@acme.com", page.GetProperty("chat_list")[0].GetProperty("participants").GetString());

        await archive.ImportAsync("acme", Lines.Message("dm", "2016-01-20T10:01:00.000Z", "hello", "bob@acme.com"));
        page = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);
        Assert.Equal("ann@acme.com,bob@acme.com", page.GetProperty("chat_list")[0].GetProperty("participants").GetString());
    }
}
