using System.Globalization;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary><c>chat/get</c>: which messages, in which order, with which fields (docs/api.md#reading-a-session-chatget).</summary>
public sealed class ChatGetOrderTests
{
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22")];

    [StoreFact]
    public async Task Get_returns_the_messages_in_the_range_oldest_first_with_both_bounds_inclusive()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s-1", "2016-01-20T10:00:00.000Z", "third", "ann@acme.com", groupName: "Design"),
            Lines.Message("s-1", "2016-01-22T23:59:59.999Z", "last millisecond", "bob@acme.com"),
            Lines.Message("s-1", "2016-01-16T00:00:00.000Z", "first millisecond", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-15T23:59:59.999Z", "before the range", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-23T00:00:00.000Z", "after the range", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-18T06:40:56.123Z", "second", "bob@acme.com"),
            Lines.Message("other", "2016-01-19T10:00:00.000Z", "another session", "ann@acme.com"));

        var page = await archive.PostJsonAsync(Pages.Get, acme.With([("session_id", "s-1"), .. Week]));

        Assert.Equal(
            """{"session_id":"s-1","group_name":"Design","from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[""" +
            """{"message":"first millisecond","sender":"ann@acme.com","date_time":"2016-01-16T00:00:00.000Z"},""" +
            """{"message":"second","sender":"bob@acme.com","date_time":"2016-01-18T06:40:56.123Z"},""" +
            """{"message":"third","sender":"ann@acme.com","date_time":"2016-01-20T10:00:00.000Z"},""" +
            """{"message":"last millisecond","sender":"bob@acme.com","date_time":"2016-01-22T23:59:59.999Z"}]}""",
            page.GetRawText());
    }

    [StoreFact]
    public async Task Messages_of_the_same_millisecond_keep_their_arrival_order_across_imports()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s-1", "2016-01-20T10:00:00.500Z", "z arrives first", "zed@acme.com"),
            Lines.Message("s-1", "2016-01-20T10:00:00.500Z", "a arrives second", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-20T10:00:00.500Z", "m arrives third", "mo@acme.com"));
        await archive.ImportAsync(
            "acme",
            Lines.Message("s-1", "2016-01-20T10:00:00.500Z", "b arrives fourth", "bob@acme.com"),
            Lines.Message("s-1", "2016-01-20T10:00:00.499Z", "earlier by a millisecond, arrives last", "bob@acme.com"));

        foreach (var pageSize in new[] { "30", "1", "2" })
        {
            var pages = await Pages.TraverseAsync(archive, Pages.Get, acme, [("session_id", "s-1"), .. Week, ("page_size", pageSize)]);

            Assert.Equal(
                [
                    "2016-01-20T10:00:00.499Z bob@acme.com earlier by a millisecond, arrives last",
                    "2016-01-20T10:00:00.500Z zed@acme.com z arrives first",
                    "2016-01-20T10:00:00.500Z ann@acme.com a arrives second",
                    "2016-01-20T10:00:00.500Z mo@acme.com m arrives third",
                    "2016-01-20T10:00:00.500Z bob@acme.com b arrives fourth",
                ],
                Pages.Messages(pages));
            Pages.AssertWellFormed(pages, int.Parse(pageSize, CultureInfo.InvariantCulture), 5, "chat_messages");
        }
    }

    [StoreFact]
    public async Task A_message_without_a_sender_has_an_empty_sender_and_a_one_to_one_session_an_empty_group_name()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("dm", "2016-01-20T10:00:00.000Z", "from nobody known", type: "1:1", groupName: "ignored", participants: ["ann@acme.com", "bob@acme.com"]),
            Lines.Message("dm", "2016-01-20T10:00:01.000Z", "from ann", "ANN@acme.com"));

        var page = await archive.PostJsonAsync(Pages.Get, acme.With([("session_id", "dm"), ("from", "2016-01-20"), ("to", "2016-01-20")]));

        Assert.Equal(
            """{"session_id":"dm","group_name":"","from":"2016-01-20T00:00:00.000Z","to":"2016-01-20T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[""" +
            """{"message":"from nobody known","sender":"","date_time":"2016-01-20T10:00:00.000Z"},""" +
            """{"message":"from ann","sender":"ann@acme.com","date_time":"2016-01-20T10:00:01.000Z"}]}""",
            page.GetRawText());
    }

    [StoreFact]
    public async Task Get_of_a_session_without_messages_in_the_range_has_no_pages()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s-1", "2016-02-20T10:00:00.000Z", "later", "ann@acme.com", groupName: "Design"));

        var page = await archive.PostJsonAsync(Pages.Get, acme.With([("session_id", "s-1"), .. Week, ("page_size", "5")]));

        Assert.Equal(
            """{"session_id":"s-1","group_name":"Design","from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":5,"page_count":0,"next_page_token":"","chat_messages":[]}""",
            page.GetRawText());
    }
}
