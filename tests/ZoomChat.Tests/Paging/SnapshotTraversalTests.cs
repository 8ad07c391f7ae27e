using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>
/// A traversal is a consistent snapshot (docs/api.md#snapshots): messages imported between its pages
/// change none of its rows, its order or its page_count; a new traversal sees them.
/// </summary>
public sealed class SnapshotTraversalTests
{
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22")];

    [StoreFact]
    public async Task A_list_traversal_returns_the_rows_of_its_first_request_while_messages_arrive()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("a", "2016-01-21T10:00:00.000Z", "a", "ann@acme.com"),
            Lines.Message("b", "2016-01-20T10:00:00.000Z", "b", "ann@acme.com"),
            Lines.Message("c", "2016-01-19T10:00:00.000Z", "c", "ann@acme.com"),
            Lines.Message("d", "2016-01-18T10:00:00.000Z", "d", "ann@acme.com"),
            Lines.Message("e", "2016-01-17T10:00:00.000Z", "e", "ann@acme.com"));
        (string, string)[] query = [.. Week, ("page_size", "2")];
        var before = new[]
        {
            "a 2016-01-21T10:00:00.000Z", "b 2016-01-20T10:00:00.000Z", "c 2016-01-19T10:00:00.000Z",
            "d 2016-01-18T10:00:00.000Z", "e 2016-01-17T10:00:00.000Z",
        };
        var step = 0;

        var pages = await Pages.TraverseAsync(archive, Pages.List, acme, query, beforeNextPage: async () =>
        {
            step++;
            await archive.ImportAsync(
                "acme",
                // A new session that would come first, one that would land between the rows still to come,
                Lines.Message($"new-{step}", "2016-01-22T10:00:00.000Z", "new session, latest", "ann@acme.com"),
                Lines.Message($"between-{step}", "2016-01-18T12:00:00.000Z", "new session, in the middle", "ann@acme.com"),
                // a message that would move d (not served yet) to the top, and one that would move a (served) down a page,
                Lines.Message("d", "2016-01-22T11:00:00.000Z", "d would now be the latest", "ann@acme.com"),
                Lines.Message("e", "2016-01-16T00:00:00.000Z", "earlier, changes nothing even now", "ann@acme.com"),
                // and one in the range of c at the very same instant as a served row.
                Lines.Message("c", "2016-01-20T10:00:00.000Z", "c ties with b", "ann@acme.com"));
        });

        Assert.Equal(before, Pages.Sessions(pages));
        Pages.AssertWellFormed(pages, 2, 5, "chat_list");
        Assert.Equal(2, step);

        var fresh = await Pages.TraverseAsync(archive, Pages.List, acme, query);
        Assert.Equal(
            [
                "d 2016-01-22T11:00:00.000Z", "new-1 2016-01-22T10:00:00.000Z", "new-2 2016-01-22T10:00:00.000Z",
                "a 2016-01-21T10:00:00.000Z", "b 2016-01-20T10:00:00.000Z", "c 2016-01-20T10:00:00.000Z",
                "between-1 2016-01-18T12:00:00.000Z", "between-2 2016-01-18T12:00:00.000Z", "e 2016-01-17T10:00:00.000Z",
            ],
            Pages.Sessions(fresh));
        Pages.AssertWellFormed(fresh, 2, 9, "chat_list");
    }

    [StoreFact]
    public async Task A_list_traversal_keeps_the_last_message_time_of_its_snapshot_for_rows_served_later()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("a", "2016-01-21T10:00:00.000Z", "a", "ann@acme.com"),
            Lines.Message("b", "2016-01-20T10:00:00.000Z", "b", "ann@acme.com"),
            Lines.Message("c", "2016-01-19T10:00:00.000Z", "c", "ann@acme.com"));
        (string, string)[] query = [.. Week, ("page_size", "1")];

        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, query);
        // c's latest message moves to a time after b's, yet before a's: inside the rows still to come.
        await archive.ImportAsync("acme", Lines.Message("c", "2016-01-20T23:00:00.000Z", "later", "ann@acme.com"));
        var second = await Pages.NextPageAsync(archive, Pages.List, acme, query, Pages.Token(first));
        var third = await Pages.NextPageAsync(archive, Pages.List, acme, query, Pages.Token(second));

        Assert.Equal(
            ["a 2016-01-21T10:00:00.000Z", "b 2016-01-20T10:00:00.000Z", "c 2016-01-19T10:00:00.000Z"],
            Pages.Sessions([first, second, third]));
        Assert.Equal([3, 3, 3], new[] { first, second, third }.Select(Pages.PageCount));
        Assert.Equal(string.Empty, Pages.Token(third));
    }

    [StoreFact]
    public async Task An_email_traversal_ignores_a_participant_added_after_its_first_request()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("ann-1", "2016-01-21T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("ann-2", "2016-01-20T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("bob", "2016-01-19T10:00:00.000Z", "ann is not here yet", "bob@acme.com"),
            Lines.Message("ann-3", "2016-01-18T10:00:00.000Z", "m", "ann@acme.com"));
        (string, string)[] query = [.. Week, ("email", "ann@acme.com"), ("page_size", "1")];

        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, query);
        // Ann joins "bob" through a message outside the range: only the membership changes, and
        // "bob" (2016-01-19) sorts among the rows still to come.
        await archive.ImportAsync("acme", Lines.Message("bob", "2016-02-01T10:00:00.000Z", "ann joins later", "ann@acme.com"));
        var rest = new List<System.Text.Json.JsonElement> { first };
        while (Pages.Token(rest[^1]) is { Length: > 0 } token)
        {
            rest.Add(await Pages.NextPageAsync(archive, Pages.List, acme, query, token));
        }

        Assert.Equal(
            ["ann-1 2016-01-21T10:00:00.000Z", "ann-2 2016-01-20T10:00:00.000Z", "ann-3 2016-01-18T10:00:00.000Z"],
            Pages.Sessions(rest));
        Pages.AssertWellFormed(rest, 1, 3, "chat_list");

        var fresh = await Pages.TraverseAsync(archive, Pages.List, acme, query);
        Assert.Equal(
            ["ann-1 2016-01-21T10:00:00.000Z", "ann-2 2016-01-20T10:00:00.000Z", "bob 2016-01-19T10:00:00.000Z", "ann-3 2016-01-18T10:00:00.000Z"],
            Pages.Sessions(fresh));
    }

    [StoreFact]
    public async Task An_email_traversal_ignores_a_new_session_of_that_user()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("ann-1", "2016-01-21T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("ann-2", "2016-01-17T10:00:00.000Z", "m", "ann@acme.com"));
        (string, string)[] query = [.. Week, ("email", "ann@acme.com"), ("page_size", "1")];

        var pages = await Pages.TraverseAsync(archive, Pages.List, acme, query, beforeNextPage: () =>
            archive.ImportAsync(
                "acme",
                Lines.Message("dm", "2016-01-19T10:00:00.000Z", "new 1:1", "bob@acme.com", type: "1:1", participants: ["ann@acme.com", "bob@acme.com"])));

        Assert.Equal(["ann-1 2016-01-21T10:00:00.000Z", "ann-2 2016-01-17T10:00:00.000Z"], Pages.Sessions(pages));
        Pages.AssertWellFormed(pages, 1, 2, "chat_list");
    }

    [StoreFact]
    public async Task A_get_traversal_returns_the_messages_of_its_first_request_while_messages_arrive()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s-1", "2016-01-17T10:00:00.000Z", "one", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:00:00.000Z", "two", "bob@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:00:00.000Z", "three", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-19T10:00:00.000Z", "four", "bob@acme.com"),
            Lines.Message("s-1", "2016-01-21T10:00:00.000Z", "five", "ann@acme.com"));
        (string, string)[] query = [("session_id", "s-1"), .. Week, ("page_size", "2")];
        var step = 0;

        var pages = await Pages.TraverseAsync(archive, Pages.Get, acme, query, beforeNextPage: async () =>
        {
            step++;
            await archive.ImportAsync(
                "acme",
                Lines.Message("s-1", "2016-01-16T00:00:00.000Z", $"before every served row {step}", "cy@acme.com"),
                Lines.Message("s-1", "2016-01-18T10:00:00.000Z", $"same instant as two and three {step}", "cy@acme.com"),
                Lines.Message("s-1", "2016-01-20T10:00:00.000Z", $"among the rows to come {step}", "cy@acme.com"),
                Lines.Message("s-1", "2016-01-22T23:59:59.999Z", $"after every row {step}", "cy@acme.com"));
        });

        Assert.Equal(
            [
                "2016-01-17T10:00:00.000Z ann@acme.com one",
                "2016-01-18T10:00:00.000Z bob@acme.com two",
                "2016-01-18T10:00:00.000Z ann@acme.com three",
                "2016-01-19T10:00:00.000Z bob@acme.com four",
                "2016-01-21T10:00:00.000Z ann@acme.com five",
            ],
            Pages.Messages(pages));
        Pages.AssertWellFormed(pages, 2, 5, "chat_messages");
        Assert.Equal(2, step);

        var fresh = await Pages.TraverseAsync(archive, Pages.Get, acme, query);
        Assert.Equal(
            [
                "2016-01-16T00:00:00.000Z cy@acme.com before every served row 1",
                "2016-01-16T00:00:00.000Z cy@acme.com before every served row 2",
                "2016-01-17T10:00:00.000Z ann@acme.com one",
                "2016-01-18T10:00:00.000Z bob@acme.com two",
                "2016-01-18T10:00:00.000Z ann@acme.com three",
                "2016-01-18T10:00:00.000Z cy@acme.com same instant as two and three 1",
                "2016-01-18T10:00:00.000Z cy@acme.com same instant as two and three 2",
                "2016-01-19T10:00:00.000Z bob@acme.com four",
                "2016-01-20T10:00:00.000Z cy@acme.com among the rows to come 1",
                "2016-01-20T10:00:00.000Z cy@acme.com among the rows to come 2",
                "2016-01-21T10:00:00.000Z ann@acme.com five",
                "2016-01-22T23:59:59.999Z cy@acme.com after every row 1",
                "2016-01-22T23:59:59.999Z cy@acme.com after every row 2",
            ],
            Pages.Messages(fresh));
        Pages.AssertWellFormed(fresh, 2, 13, "chat_messages");
    }

    [StoreFact]
    public async Task A_session_unknown_to_get_is_found_by_a_new_request_once_imported()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("old", "2016-01-17T10:00:00.000Z", "m", "ann@acme.com"));

        var missing = await archive.PostJsonAsync(Pages.Get, acme.With([("session_id", "new"), .. Week]));
        await archive.ImportAsync("acme", Lines.Message("new", "2016-01-18T10:00:00.000Z", "m", "ann@acme.com"));
        var found = await Pages.FirstPageAsync(archive, Pages.Get, acme, [("session_id", "new"), .. Week]);

        Assert.Equal("""{"error":{"code":3001,"message":"Chat session not found: new."}}""", missing.GetRawText());
        Assert.Equal(["2016-01-18T10:00:00.000Z ann@acme.com m"], Pages.Messages(found));
    }

    [StoreFact]
    public async Task Group_names_and_one_to_one_participants_are_shown_as_they_are_when_each_page_is_served()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("team", "2016-01-21T10:00:00.000Z", "m", "ann@acme.com", groupName: "Before"),
            Lines.Message("dm", "2016-01-20T10:00:00.000Z", "m", "ann@acme.com", type: "1:1"),
            Lines.Message("team-2", "2016-01-19T10:00:00.000Z", "m", "ann@acme.com", groupName: "Before too"));
        (string, string)[] listQuery = [.. Week, ("page_size", "1")];
        (string, string)[] getQuery = [("session_id", "team-2"), .. Week, ("page_size", "1")];

        var listFirst = await Pages.FirstPageAsync(archive, Pages.List, acme, listQuery);
        await archive.ImportAsync("acme", Lines.Message("team-2", "2016-01-18T10:00:00.000Z", "m2", "ann@acme.com"));
        var getFirst = await Pages.FirstPageAsync(archive, Pages.Get, acme, getQuery);
        await archive.ImportAsync(
            "acme",
            Lines.Message("dm", "2016-03-01T10:00:00.000Z", "bob joins", "bob@acme.com"),
            Lines.Message("team-2", "2016-03-01T10:00:00.000Z", "renamed", "ann@acme.com", groupName: "After"));
        var listSecond = await Pages.NextPageAsync(archive, Pages.List, acme, listQuery, Pages.Token(listFirst));
        var listThird = await Pages.NextPageAsync(archive, Pages.List, acme, listQuery, Pages.Token(listSecond));
        var getSecond = await Pages.NextPageAsync(archive, Pages.Get, acme, getQuery, Pages.Token(getFirst));

        Assert.Equal("Before", listFirst.GetProperty("chat_list")[0].GetProperty("group_name").GetString());
        Assert.Equal("ann@acme.com,bob@acme.com", listSecond.GetProperty("chat_list")[0].GetProperty("participants").GetString());
        Assert.Equal(("team-2", "After"), (
            listThird.GetProperty("chat_list")[0].GetProperty("session_id").GetString(),
            listThird.GetProperty("chat_list")[0].GetProperty("group_name").GetString()));
        Assert.Equal(("Before too", "After"), (getFirst.GetProperty("group_name").GetString(), getSecond.GetProperty("group_name").GetString()));
        Assert.Equal(
            ["2016-01-18T10:00:00.000Z ann@acme.com m2", "2016-01-19T10:00:00.000Z ann@acme.com m"],
            Pages.Messages([getFirst, getSecond]));
    }
}
