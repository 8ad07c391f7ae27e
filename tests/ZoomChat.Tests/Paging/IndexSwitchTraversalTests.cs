using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>
/// A chat/list traversal whose first page is read from the store and whose later pages come from a
/// chat/list index built in between: the server switches paths between any two requests, and the
/// traversal must not notice.
/// </summary>
public sealed class IndexSwitchTraversalTests
{
    private const string List = "/v1/chat/list";

    [StoreFact]
    public async Task A_traversal_begun_on_the_store_goes_on_from_an_index_built_between_its_pages()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        // Ties on the latest time (broken by session id), a 1:1 session, and sessions over several days.
        await archive.ImportAsync(
            "acme",
            Lines.Message("dm", "2016-01-19T10:00:00.5Z", "hi", "zed@acme.com", type: "1:1", participants: ["zed@acme.com", "ann@acme.com"]),
            Lines.Message("g2", "2016-01-19T10:00:00.5Z", "hey", "ann@acme.com", groupName: "two"),
            Lines.Message("g1", "2016-01-19T10:00:00.5Z", "yo", "bob@acme.com", groupName: "one"),
            Lines.Message("g3", "2016-01-17T08:00:00Z", "early", "bob@acme.com"),
            Lines.Message("g3", "2016-01-18T23:59:59.999Z", "late", "bob@acme.com"),
            Lines.Message("g4", "2016-01-16T00:00:00Z", "first", "ann@acme.com"));
        // The first page: no index exists yet, so the store answers (and a build starts in the background).
        var first = await PageAsync(archive, acme, token: null);
        // The index for the same snapshot, ready before the next page whatever the background build does.
        Assert.NotNull(await TestStores.BuildListIndexNowAsync(archive.ServerStore));
        var switched = new List<JsonElement> { first };
        while (switched[^1].GetProperty("next_page_token").GetString() is { Length: > 0 } token)
        {
            switched.Add(await PageAsync(archive, acme, token));
        }

        // The same traversal again, every page from the index.
        var indexed = new List<JsonElement> { await PageAsync(archive, acme, token: null) };
        while (indexed[^1].GetProperty("next_page_token").GetString() is { Length: > 0 } token)
        {
            indexed.Add(await PageAsync(archive, acme, token));
        }

        Assert.Equal(["dm g1", "g2 g3", "g4"], switched.Select(Sessions));
        Assert.Equal(switched.Select(Sessions), indexed.Select(Sessions));
        Assert.All(switched, page => Assert.Equal(3, page.GetProperty("page_count").GetInt32()));
    }

    /// <summary>
    /// Microsoft.Data.Sqlite before 10.0.15 could lend one pooled connection to two concurrent
    /// openers (https://github.com/dotnet/efcore/issues/39008): two requests then shared a SQLite
    /// connection in multi-thread mode, and one of them failed with a 500.
    /// </summary>
    [Fact]
    public void The_sqlite_provider_lends_each_pooled_connection_to_one_opener()
    {
        Assert.True(typeof(SqliteConnection).Assembly.GetName().Version >= new Version(10, 0, 15));
    }

    private static async Task<JsonElement> PageAsync(TestArchive archive, TestCredentials credentials, string? token)
    {
        var form = credentials.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "2"));
        if (token is not null)
        {
            form.Add(new("next_page_token", token));
        }

        var reply = await archive.PostFormAsync(List, form);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return JsonDocument.Parse(reply.Body).RootElement.Clone();
    }

    private static string Sessions(JsonElement page) =>
        string.Join(' ', page.GetProperty("chat_list").EnumerateArray().Select(session => session.GetProperty("session_id").GetString()));
}
