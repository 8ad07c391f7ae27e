using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>
/// Page tokens live 30 minutes (or as configured), and work on every server process that shares
/// the store, across restarts (docs/api.md#paging-and-page-tokens).
/// </summary>
public sealed class PageTokenLifetimeTests
{
    private static readonly (string Name, string Value)[] ListQuery = [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1")];
    private static readonly (string Name, string Value)[] GetQuery = [("session_id", "s-1"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1")];

    [StoreTheory]
    [InlineData(Pages.List)]
    [InlineData(Pages.Get)]
    public async Task A_token_still_works_just_before_30_minutes(string path)
    {
        await using var archive = await StartWithThreeRowsAsync();
        var acme = await CredentialsAsync(archive);
        var query = QueryFor(path);
        var first = await Pages.FirstPageAsync(archive, path, acme, query);

        archive.Time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromMilliseconds(1));
        var second = await Pages.FollowAsync(archive, path, acme, query, Pages.Token(first));

        Assert.Equal(Rows(path, 1), Rows(path, second));
    }

    [StoreTheory]
    [InlineData(Pages.List)]
    [InlineData(Pages.Get)]
    public async Task A_token_expires_after_30_minutes(string path)
    {
        await using var archive = await StartWithThreeRowsAsync();
        var acme = await CredentialsAsync(archive);
        var query = QueryFor(path);
        var first = await Pages.FirstPageAsync(archive, path, acme, query);

        archive.Time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromMilliseconds(1));
        var expired = await Pages.FollowAsync(archive, path, acme, query, Pages.Token(first));

        Assert.Equal(Pages.InvalidTokenError, expired.GetRawText());
    }

    [StoreFact]
    public async Task Each_page_brings_a_new_token_so_a_slow_traversal_outlives_one_lifetime()
    {
        await using var archive = await StartWithThreeRowsAsync();
        var acme = await CredentialsAsync(archive);

        var pages = await Pages.TraverseAsync(archive, Pages.List, acme, ListQuery, beforeNextPage: () =>
        {
            archive.Time.Advance(TimeSpan.FromMinutes(25));
            return Task.CompletedTask;
        });

        Assert.Equal(Rows(Pages.List, 0, 1, 2), Pages.Sessions(pages));
    }

    [StoreTheory]
    [InlineData(Pages.List)]
    [InlineData(Pages.Get)]
    public async Task A_token_followed_again_and_again_serves_the_same_page_and_expires_30_minutes_after_it_was_issued(string path)
    {
        await using var archive = await StartWithThreeRowsAsync();
        var acme = await CredentialsAsync(archive);
        var query = QueryFor(path);
        var token = Pages.Token(await Pages.FirstPageAsync(archive, path, acme, query));

        var replays = new List<List<string>>();
        for (var minute = 0; minute < 30; minute += 5)
        {
            replays.Add(Rows(path, await Pages.FollowAsync(archive, path, acme, query, token)));
            archive.Time.Advance(TimeSpan.FromMinutes(5));
        }

        var expired = await Pages.FollowAsync(archive, path, acme, query, token);

        Assert.All(replays, rows => Assert.Equal(Rows(path, 1), rows));
        Assert.Equal(Pages.InvalidTokenError, expired.GetRawText());
    }

    [StoreFact]
    public async Task The_token_lifetime_follows_the_page_token_lifetime_setting()
    {
        await using var archive = await StartWithThreeRowsAsync(o => o.PageTokenLifetimeSeconds = 60);
        var acme = await CredentialsAsync(archive);
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, ListQuery);

        archive.Time.Advance(TimeSpan.FromSeconds(59));
        var second = await Pages.FollowAsync(archive, Pages.List, acme, ListQuery, Pages.Token(first));
        archive.Time.Advance(TimeSpan.FromSeconds(61));
        var expired = await Pages.FollowAsync(archive, Pages.List, acme, ListQuery, Pages.Token(second));

        Assert.Equal(Rows(Pages.List, 1), Pages.Sessions(second));
        Assert.Equal(Pages.InvalidTokenError, expired.GetRawText());
    }

    [StoreFact]
    public async Task A_longer_lifetime_setting_keeps_tokens_valid_beyond_30_minutes()
    {
        await using var archive = await StartWithThreeRowsAsync(o => o.PageTokenLifetimeSeconds = 7200);
        var acme = await CredentialsAsync(archive);
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, ListQuery);

        archive.Time.Advance(TimeSpan.FromMinutes(90));
        var second = await Pages.FollowAsync(archive, Pages.List, acme, ListQuery, Pages.Token(first));

        Assert.Equal(Rows(Pages.List, 1), Pages.Sessions(second));
    }

    [StoreTheory]
    [InlineData(Pages.List)]
    [InlineData(Pages.Get)]
    public async Task A_token_of_one_server_process_works_on_another_sharing_the_store(string path)
    {
        await using var archive = await StartWithThreeRowsAsync();
        var acme = await CredentialsAsync(archive);
        var query = QueryFor(path);
        var (secondApp, http) = await archive.StartSecondServerAsync();
        await using var stopSecondApp = secondApp;
        using var closeHttp = http;

        var first = await Pages.FirstPageAsync(archive, path, acme, query);
        var second = await Pages.NextPageAsync(archive, path, acme, query, Pages.Token(first), http);
        var third = await Pages.NextPageAsync(archive, path, acme, query, Pages.Token(second));

        Assert.Equal(Rows(path, 0, 1, 2), [.. Rows(path, first), .. Rows(path, second), .. Rows(path, third)]);
        Assert.Equal(string.Empty, Pages.Token(third));
    }

    [StoreTheory]
    [InlineData(Pages.List)]
    [InlineData(Pages.Get)]
    public async Task A_token_survives_a_restart_of_the_server_and_keeps_its_snapshot(string path)
    {
        await using var archive = await StartWithThreeRowsAsync();
        var acme = await CredentialsAsync(archive);
        var query = QueryFor(path);
        System.Text.Json.JsonElement first;
        await using (var before = await ServerProcess.StartAsync(archive.StorePath, archive.Time))
        {
            first = await Pages.FirstPageAsync(archive, path, acme, query, before.Http);
        }

        // A row that would sort among the ones still to come arrives while no server runs.
        await archive.ImportAsync("acme", path == Pages.List
            ? Lines.Message("s-1b", "2016-01-20T12:00:00.000Z", "while stopped", "ann@acme.com")
            : Lines.Message("s-1", "2016-01-21T10:30:00.000Z", "while stopped", "ann@acme.com"));
        await using var after = await ServerProcess.StartAsync(archive.StorePath, archive.Time);
        var second = await Pages.NextPageAsync(archive, path, acme, query, Pages.Token(first), after.Http);
        var third = await Pages.NextPageAsync(archive, path, acme, query, Pages.Token(second), after.Http);

        Assert.Equal(Rows(path, 0, 1, 2), [.. Rows(path, first), .. Rows(path, second), .. Rows(path, third)]);
        Assert.Equal(3, Pages.PageCount(third));
        Assert.Equal(string.Empty, Pages.Token(third));
    }

    [StoreFact]
    public async Task A_token_of_a_server_on_another_store_is_invalid_even_for_the_same_query()
    {
        await using var archive = await StartWithThreeRowsAsync();
        await using var other = await StartWithThreeRowsAsync();
        var acme = await CredentialsAsync(archive);
        var otherAcme = await CredentialsAsync(other);
        var first = await Pages.FirstPageAsync(other, Pages.List, otherAcme, ListQuery);

        var answer = await Pages.FollowAsync(archive, Pages.List, acme, ListQuery, Pages.Token(first));

        Assert.Equal(Pages.InvalidTokenError, answer.GetRawText());
    }

    private static async Task<TestArchive> StartWithThreeRowsAsync(Action<ZoomChat.Server.Hosting.ZoomChatOptions>? configure = null)
    {
        var archive = await TestArchive.StartAsync(configure);
        await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s-1", "2016-01-21T10:00:00.000Z", "first", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-21T11:00:00.000Z", "second", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-21T12:00:00.000Z", "third", "ann@acme.com"),
            Lines.Message("s-2", "2016-01-20T10:00:00.000Z", "m", "ann@acme.com"),
            Lines.Message("s-3", "2016-01-19T10:00:00.000Z", "m", "ann@acme.com"));
        return archive;
    }

    /// <summary>Fresh credentials of the archive's account (an account may hold several).</summary>
    private static async Task<TestCredentials> CredentialsAsync(TestArchive archive)
    {
        var admin = archive.Administration;
        var (key, secret) = await admin.CreateApiKeyAsync("acme", CancellationToken.None);
        var (token, _) = await admin.IssueAccessTokenAsync("acme", "admin@example.com", expiresIn: null, CancellationToken.None);
        return new TestCredentials("acme", key, secret, token);
    }

    private static (string Name, string Value)[] QueryFor(string path) => path == Pages.List ? ListQuery : GetQuery;

    private static List<string> Rows(string path, System.Text.Json.JsonElement page) =>
        path == Pages.List ? Pages.Sessions(page) : Pages.Messages(page);

    /// <summary>The rows of the three-row archive, by position.</summary>
    private static List<string> Rows(string path, params int[] positions)
    {
        string[] all = path == Pages.List
            ? ["s-1 2016-01-21T12:00:00.000Z", "s-2 2016-01-20T10:00:00.000Z", "s-3 2016-01-19T10:00:00.000Z"]
            : ["2016-01-21T10:00:00.000Z ann@acme.com first", "2016-01-21T11:00:00.000Z ann@acme.com second", "2016-01-21T12:00:00.000Z ann@acme.com third"];
        return [.. positions.Select(p => all[p])];
    }
}
