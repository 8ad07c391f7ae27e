using System.Text.Json;
using System.Xml.Linq;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>
/// A page token belongs to the query that produced it: the endpoint, from and to as instants, the
/// lower-cased email, the session, the served page size; not data_type (docs/api.md#paging-and-page-tokens).
/// </summary>
public sealed class PageTokenBindingTests
{
    private const string ListBase = "from=2016-01-16&to=2016-01-22&email=ann@acme.com&page_size=2";
    private const string GetBase = "session_id=s-1&from=2016-01-16&to=2016-01-22&page_size=2";

    [StoreTheory]
    [InlineData("from=2016-01-15&to=2016-01-22&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16T00:00:00.001Z&to=2016-01-22&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-21&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22T23:59:59.998Z&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22T00:00:00.000Z&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-23&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22&email=bob@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22&email=&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22&email=ann@acme.com&page_size=3")]
    [InlineData("from=2016-01-16&to=2016-01-22&email=ann@acme.com&page_size=1")]
    [InlineData("from=2016-01-16&to=2016-01-22&email=ann@acme.com")]
    public async Task A_list_token_used_with_other_parameters_is_invalid(string followUp)
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Query(ListBase));

        var answer = await Pages.FollowAsync(archive, Pages.List, acme, Query(followUp), Pages.Token(first));

        Assert.Equal(Pages.InvalidTokenError, answer.GetRawText());
    }

    [StoreTheory]
    [InlineData("from=2016-01-16&to=2016-01-22&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22T23:59:59.999Z&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22t23:59:59.999z&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22T23:59:59.9999999Z&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-23T00:59:59.999+01:00&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16T00:00:00Z&to=2016-01-22&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16T00:00&to=2016-01-22&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-15T19:00-0500&to=2016-01-22&email=ann@acme.com&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22&email=ANN@ACME.COM&page_size=2")]
    [InlineData("from=2016-01-16&to=2016-01-22&email=Ann@Acme.Com&page_size=02")]
    [InlineData("page_size=2&email=ann@acme.com&to=2016-01-22&from=2016-01-16&data_type=json")]
    public async Task A_list_token_used_with_the_same_query_written_differently_serves_the_next_page(string followUp)
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        var pages = await Pages.TraverseAsync(archive, Pages.List, acme, Query(ListBase));

        var answer = await Pages.NextPageAsync(archive, Pages.List, acme, Query(followUp), Pages.Token(pages[0]));

        Assert.Equal(
            ["ann-1 2016-01-21T10:00:00.000Z", "ann-2 2016-01-20T10:00:00.000Z", "ann-3 2016-01-19T10:00:00.000Z"],
            Pages.Sessions(pages));
        Assert.Equal(Pages.Sessions(pages[1]), Pages.Sessions(answer));
        Assert.Equal((2, string.Empty), (Pages.PageCount(answer), Pages.Token(answer)));
    }

    [StoreTheory]
    [InlineData("session_id=s-2&from=2016-01-16&to=2016-01-22&page_size=2")]
    [InlineData("session_id=s-1&from=2016-01-15&to=2016-01-22&page_size=2")]
    [InlineData("session_id=s-1&from=2016-01-16&to=2016-01-22T00:00:00Z&page_size=2")]
    [InlineData("session_id=s-1&from=2016-01-16&to=2016-01-22&page_size=3")]
    [InlineData("session_id=s-1&from=2016-01-16&to=2016-01-22")]
    public async Task A_get_token_used_with_other_parameters_is_invalid(string followUp)
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        var first = await Pages.FirstPageAsync(archive, Pages.Get, acme, Query(GetBase));

        var answer = await Pages.FollowAsync(archive, Pages.Get, acme, Query(followUp), Pages.Token(first));

        Assert.Equal(Pages.InvalidTokenError, answer.GetRawText());
    }

    [StoreTheory]
    [InlineData("session_id=s-1&from=2016-01-16&to=2016-01-22T23:59:59.999Z&page_size=2")]
    [InlineData("session_id=s-1&from=2016-01-16T00:00:00.000+00:00&to=2016-01-22&page_size=002")]
    [InlineData("session_id=s-1&from=2016-01-16&to=2016-01-22&page_size=2&email=ignored@acme.com")]
    public async Task A_get_token_used_with_the_same_query_written_differently_serves_the_next_page(string followUp)
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        var pages = await Pages.TraverseAsync(archive, Pages.Get, acme, Query(GetBase));

        var answer = await Pages.NextPageAsync(archive, Pages.Get, acme, Query(followUp), Pages.Token(pages[0]));

        Assert.Equal(3, Pages.Messages(pages).Count);
        Assert.Equal(Pages.Messages(pages[1]), Pages.Messages(answer));
    }

    [StoreFact]
    public async Task A_list_token_is_invalid_on_chat_get_and_a_get_token_on_chat_list()
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        var listFirst = await Pages.FirstPageAsync(archive, Pages.List, acme, Query("from=2016-01-16&to=2016-01-22&page_size=2"));
        var getFirst = await Pages.FirstPageAsync(archive, Pages.Get, acme, Query(GetBase));

        var getWithListToken = await Pages.FollowAsync(archive, Pages.Get, acme, Query(GetBase), Pages.Token(listFirst));
        var listWithGetToken = await Pages.FollowAsync(
            archive, Pages.List, acme, Query("from=2016-01-16&to=2016-01-22&page_size=2"), Pages.Token(getFirst));

        Assert.Equal(Pages.InvalidTokenError, getWithListToken.GetRawText());
        Assert.Equal(Pages.InvalidTokenError, listWithGetToken.GetRawText());
    }

    [StoreFact]
    public async Task A_list_token_is_invalid_on_chat_get_even_when_the_email_and_the_session_id_are_the_same_text()
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        // A session whose id is ann's e-mail: the two endpoints' queries differ only in their name.
        await archive.ImportAsync(
            "acme",
            Lines.Message("ann@acme.com", "2016-01-21T10:00:00.000Z", "one", "ann@acme.com"),
            Lines.Message("ann@acme.com", "2016-01-21T11:00:00.000Z", "two", "ann@acme.com"),
            Lines.Message("other", "2016-01-20T10:00:00.000Z", "m", "ann@acme.com"));
        var listFirst = await Pages.FirstPageAsync(archive, Pages.List, acme, Query("from=2016-01-16&to=2016-01-22&page_size=1&email=ann@acme.com"));
        var getFirst = await Pages.FirstPageAsync(archive, Pages.Get, acme, Query("from=2016-01-16&to=2016-01-22&page_size=1&session_id=ann@acme.com"));

        var getWithListToken = await Pages.FollowAsync(
            archive, Pages.Get, acme, Query("from=2016-01-16&to=2016-01-22&page_size=1&session_id=ann@acme.com"), Pages.Token(listFirst));
        var listWithGetToken = await Pages.FollowAsync(
            archive, Pages.List, acme, Query("from=2016-01-16&to=2016-01-22&page_size=1&email=ann@acme.com"), Pages.Token(getFirst));

        Assert.Equal(Pages.InvalidTokenError, getWithListToken.GetRawText());
        Assert.Equal(Pages.InvalidTokenError, listWithGetToken.GetRawText());
    }

    [StoreFact]
    public async Task Page_sizes_above_30_are_served_as_30_and_share_their_tokens()
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            [.. Enumerable.Range(0, 65).Select(i => Lines.Message("big", Pages.Wire(new DateTimeOffset(2016, 1, 18, 0, 0, 0, TimeSpan.Zero).AddSeconds(i)), $"m{i:D2}", "ann@acme.com"))]);
        (string, string)[] Big(string pageSize) => [("session_id", "big"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", pageSize)];

        var first = await Pages.FirstPageAsync(archive, Pages.Get, acme, Big("1000"));
        var second = await Pages.NextPageAsync(archive, Pages.Get, acme, Big("30"), Pages.Token(first));
        var third = await Pages.NextPageAsync(archive, Pages.Get, acme, Big("31"), Pages.Token(second));
        var wrong = await Pages.FollowAsync(archive, Pages.Get, acme, Big("29"), Pages.Token(first));

        Assert.Equal((30, 30, 3), (first.GetProperty("page_size").GetInt32(), first.GetProperty("chat_messages").GetArrayLength(), Pages.PageCount(first)));
        Assert.Equal(
            Enumerable.Range(0, 65).Select(i => $"m{i:D2}"),
            Pages.Messages([first, second, third]).Select(row => row.Split(' ')[2]));
        Assert.Equal(string.Empty, Pages.Token(third));
        Assert.Equal(Pages.InvalidTokenError, wrong.GetRawText());
    }

    [StoreFact]
    public async Task A_traversal_begun_in_json_continues_in_xml_and_back()
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        (string, string)[] query = [("from", "2016-01-16"), ("to", "2016-01-22"), ("email", "ann@acme.com"), ("page_size", "1")];

        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, query);
        var second = await PostXmlAsync(archive, Pages.List, acme.With([.. query, ("data_type", "XML"), ("next_page_token", Pages.Token(first))]));
        var secondToken = second.Root!.Element("next_page_token")!.Value;
        var third = await Pages.NextPageAsync(archive, Pages.List, acme, [.. query, ("data_type", "JSON")], secondToken);

        Assert.Equal("chat_list_response", second.Root.Name.LocalName);
        Assert.Equal("3", second.Root.Element("page_count")!.Value);
        Assert.Equal(
            ["ann-1", "ann-2", "ann-3"],
            [
                first.GetProperty("chat_list")[0].GetProperty("session_id").GetString()!,
                second.Root.Element("chat_list")!.Element("session")!.Element("session_id")!.Value,
                third.GetProperty("chat_list")[0].GetProperty("session_id").GetString()!,
            ]);
        Assert.Equal((3, string.Empty), (Pages.PageCount(third), Pages.Token(third)));
    }

    [StoreFact]
    public async Task A_get_traversal_begun_in_xml_continues_in_json()
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await ImportAsync(archive);
        (string, string)[] query = [("session_id", "s-1"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "2")];

        var first = await PostXmlAsync(archive, Pages.Get, acme.With([.. query, ("data_type", "xml")]));
        var second = await Pages.NextPageAsync(archive, Pages.Get, acme, query, first.Root!.Element("next_page_token")!.Value);

        Assert.Equal(
            ["one", "two"],
            first.Root.Element("chat_messages")!.Elements("message_item").Select(m => m.Element("message")!.Value));
        Assert.Equal(["2016-01-19T10:00:00.000Z bob@acme.com three"], Pages.Messages(second));
    }

    [StoreFact]
    public async Task Tokens_are_url_safe_and_do_not_show_the_session_they_stop_at()
    {
        await using var archive = await StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("confidential-merger-talks", "2016-01-21T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("other", "2016-01-20T10:00:00.000Z", "m", "ann@acme.com"));

        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Query("from=2016-01-16&to=2016-01-22&page_size=1"));
        var token = Pages.Token(first);

        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("confidential"u8));
        Assert.DoesNotContain("confidential", token, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<TestArchive> StartAsync() => TestArchive.StartAsync();

    /// <summary>Ann's sessions ann-1..ann-3 (and a 1:1 with her at the end), bob's own, and s-1 with three messages.</summary>
    private static async Task ImportAsync(TestArchive archive) =>
        await archive.ImportAsync(
            "acme",
            Lines.Message("ann-1", "2016-01-21T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("ann-2", "2016-01-20T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("bob", "2016-01-20T09:00:00.000Z", "m", "bob@acme.com"),
            Lines.Message("ann-3", "2016-01-19T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-17T10:00:00.000Z", "one", "bob@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:00:00.000Z", "two", "bob@acme.com"),
            Lines.Message("s-1", "2016-01-19T10:00:00.000Z", "three", "bob@acme.com"),
            Lines.Message("s-2", "2016-01-19T10:00:00.000Z", "other", "bob@acme.com"));

    private static async Task<XDocument> PostXmlAsync(TestArchive archive, string path, List<KeyValuePair<string, string>> form)
    {
        using var response = await archive.PostAsync(path, form);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Parameters written as a query string: "from=…&amp;to=…".</summary>
    internal static (string Name, string Value)[] Query(string text) =>
        [.. text.Split('&').Select(pair => pair.Split('=', 2)).Select(p => (p[0], p[1]))];
}
