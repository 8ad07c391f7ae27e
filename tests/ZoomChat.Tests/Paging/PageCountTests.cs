using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>page_count, page_size and the last page's empty token (docs/api.md#paging-and-page-tokens).</summary>
public sealed class PageCountTests
{
    [StoreFact]
    public async Task List_with_nothing_in_the_range_has_page_count_0_and_an_empty_token()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s-1", "2016-02-20T10:00:00.000Z", "outside", "ann@acme.com"));

        var page = await archive.PostJsonAsync(Pages.List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "7")));

        Assert.Equal(
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":7,"page_count":0,"next_page_token":"","chat_list":[]}""",
            page.GetRawText());
    }

    [StoreFact]
    public async Task List_of_an_account_without_any_message_has_page_count_0()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var globex = await archive.CreateAccountAsync("globex");
        await archive.ImportAsync("globex", Lines.Message("s-1", "2016-01-20T10:00:00.000Z", "another account's", "ann@globex.com"));

        var page = await archive.PostJsonAsync(Pages.List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22")));

        Assert.Equal(
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_list":[]}""",
            page.GetRawText());
        Assert.Equal(1, Pages.PageCount(await archive.PostJsonAsync(Pages.List, globex.With(("from", "2016-01-16"), ("to", "2016-01-22")))));
    }

    [StoreTheory]
    [InlineData(1, "1", 1, 1)]
    [InlineData(2, "1", 1, 2)]
    [InlineData(5, "5", 5, 1)]
    [InlineData(6, "5", 5, 2)]
    [InlineData(10, "3", 3, 4)]
    [InlineData(30, "30", 30, 1)]
    [InlineData(31, "30", 30, 2)]
    [InlineData(61, "30", 30, 3)]
    [InlineData(31, "31", 30, 2)]
    [InlineData(31, "100000000000000000000", 30, 2)]
    [InlineData(7, "007", 7, 1)]
    [InlineData(31, null, 30, 2)]
    public async Task List_page_count_is_the_number_of_sessions_divided_by_the_served_page_size_rounded_up(
        int sessions, string? pageSize, int servedPageSize, int pageCount)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            [.. Enumerable.Range(0, sessions).Select(i => Lines.Message($"s-{i:D3}", At(i), $"message {i}", "ann@acme.com"))]);
        (string, string)[] query = pageSize is null
            ? [("from", "2016-01-16"), ("to", "2016-01-22")]
            : [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", pageSize)];

        var pages = await Pages.TraverseAsync(archive, Pages.List, acme, query);

        Assert.Equal(pageCount, Pages.PageCount(pages[0]));
        Pages.AssertWellFormed(pages, servedPageSize, sessions, "chat_list");
        Assert.Equal(
            Enumerable.Range(0, sessions).Reverse().Select(i => $"s-{i:D3} {At(i)}"),
            Pages.Sessions(pages));
    }

    [StoreTheory]
    [InlineData(1, "1", 1, 1)]
    [InlineData(3, "2", 2, 2)]
    [InlineData(12, "4", 4, 3)]
    [InlineData(13, "4", 4, 4)]
    [InlineData(45, "30", 30, 2)]
    [InlineData(45, "99", 30, 2)]
    [InlineData(30, null, 30, 1)]
    public async Task Get_page_count_is_the_number_of_messages_divided_by_the_served_page_size_rounded_up(
        int messages, string? pageSize, int servedPageSize, int pageCount)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            [.. Enumerable.Range(0, messages).Select(i => Lines.Message("s-1", At(i), $"message {i}", "ann@acme.com"))]);
        (string, string)[] query = pageSize is null
            ? [("session_id", "s-1"), ("from", "2016-01-16"), ("to", "2016-01-22")]
            : [("session_id", "s-1"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", pageSize)];

        var pages = await Pages.TraverseAsync(archive, Pages.Get, acme, query);

        Assert.Equal(pageCount, Pages.PageCount(pages[0]));
        Pages.AssertWellFormed(pages, servedPageSize, messages, "chat_messages");
        Assert.Equal(
            Enumerable.Range(0, messages).Select(i => $"{At(i)} ann@acme.com message {i}"),
            Pages.Messages(pages));
    }

    [StoreFact]
    public async Task A_page_count_that_fills_the_last_page_exactly_ends_with_an_empty_token_and_no_empty_page()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            [.. Enumerable.Range(0, 4).Select(i => Lines.Message($"s-{i}", At(i), "m", "ann@acme.com"))]);

        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "2")]);
        var second = await Pages.NextPageAsync(
            archive, Pages.List, acme, [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "2")], Pages.Token(first));

        Assert.NotEqual(string.Empty, Pages.Token(first));
        Assert.Equal((2, 2, string.Empty), (Pages.PageCount(second), second.GetProperty("chat_list").GetArrayLength(), Pages.Token(second)));
    }

    /// <summary>Distinct instants in the seed's example window, one minute apart.</summary>
    private static string At(int i) => Pages.Wire(new DateTimeOffset(2016, 1, 18, 0, 0, 0, TimeSpan.Zero).AddMinutes(i).AddMilliseconds(i % 1000));
}
