using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>
/// Two accounts with the same session ids: each sees only its own sessions and messages, and a page
/// token of one is invalid for the other (docs/api.md#errors, docs/api.md#paging-and-page-tokens).
/// </summary>
public sealed class CrossAccountTests
{
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22")];

    [StoreFact]
    public async Task Each_account_lists_only_its_own_sessions_even_with_the_same_session_id()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var globex = await archive.CreateAccountAsync("globex");
        await ImportBothAsync(archive);

        var acmeList = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);
        var globexList = await Pages.FirstPageAsync(archive, Pages.List, globex, Week);

        Assert.Equal(["s-1 2016-01-19T10:00:00.000Z", "only-acme 2016-01-18T10:00:00.000Z"], Pages.Sessions(acmeList));
        Assert.Equal(["only-globex 2016-01-21T10:00:00.000Z", "s-1 2016-01-20T12:00:00.000Z"], Pages.Sessions(globexList));
        Assert.Equal("Acme design", acmeList.GetProperty("chat_list")[0].GetProperty("group_name").GetString());
        Assert.Equal("Globex design", globexList.GetProperty("chat_list")[1].GetProperty("group_name").GetString());
    }

    [StoreFact]
    public async Task Each_account_gets_only_its_own_messages_of_a_shared_session_id()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var globex = await archive.CreateAccountAsync("globex");
        await ImportBothAsync(archive);

        var acmeMessages = await archive.PostJsonAsync(Pages.Get, acme.With([("session_id", "s-1"), .. Week]));
        var globexMessages = await archive.PostJsonAsync(Pages.Get, globex.With([("session_id", "s-1"), .. Week]));

        Assert.Equal(
            """{"session_id":"s-1","group_name":"Acme design","from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[""" +
            """{"message":"acme one","sender":"ann@acme.com","date_time":"2016-01-18T10:00:00.000Z"},""" +
            """{"message":"acme two","sender":"bob@acme.com","date_time":"2016-01-19T10:00:00.000Z"}]}""",
            acmeMessages.GetRawText());
        Assert.Equal(
            """{"session_id":"s-1","group_name":"Globex design","from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[""" +
            """{"message":"globex one","sender":"gil@globex.com","date_time":"2016-01-20T12:00:00.000Z"}]}""",
            globexMessages.GetRawText());
    }

    [StoreFact]
    public async Task Get_of_another_accounts_session_is_3001_as_if_it_did_not_exist()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex");
        await ImportBothAsync(archive);

        var answer = await archive.PostJsonAsync(Pages.Get, acme.With([("session_id", "only-globex"), .. Week]));
        var unknown = await archive.PostJsonAsync(Pages.Get, acme.With([("session_id", "nowhere"), .. Week]));

        Assert.Equal("""{"error":{"code":3001,"message":"Chat session not found: only-globex."}}""", answer.GetRawText());
        Assert.Equal("""{"error":{"code":3001,"message":"Chat session not found: nowhere."}}""", unknown.GetRawText());
    }

    [StoreFact]
    public async Task Email_of_a_user_of_another_account_is_1001()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex");
        await ImportBothAsync(archive);

        var answer = await archive.PostJsonAsync(Pages.List, acme.With([.. Week, ("email", "gil@globex.com")]));

        Assert.Equal("""{"error":{"code":1001,"message":"User gil@globex.com not exist or not belong to this account."}}""", answer.GetRawText());
    }

    [StoreTheory]
    [InlineData(Pages.List)]
    [InlineData(Pages.Get)]
    public async Task A_token_of_one_account_is_invalid_for_another_with_the_same_query(string path)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var globex = await archive.CreateAccountAsync("globex");
        await ImportBothAsync(archive);
        await archive.ImportAsync(
            "globex",
            Lines.Message("s-1", "2016-01-20T13:00:00.000Z", "globex two", "gil@globex.com"),
            Lines.Message("extra", "2016-01-17T13:00:00.000Z", "globex extra", "gil@globex.com"));
        (string, string)[] query = path == Pages.List ? [.. Week, ("page_size", "1")] : [("session_id", "s-1"), .. Week, ("page_size", "1")];
        var acmeFirst = await Pages.FirstPageAsync(archive, path, acme, query);
        var globexFirst = await Pages.FirstPageAsync(archive, path, globex, query);

        var globexWithAcmeToken = await Pages.FollowAsync(archive, path, globex, query, Pages.Token(acmeFirst));
        var acmeWithGlobexToken = await Pages.FollowAsync(archive, path, acme, query, Pages.Token(globexFirst));

        Assert.Equal(Pages.InvalidTokenError, globexWithAcmeToken.GetRawText());
        Assert.Equal(Pages.InvalidTokenError, acmeWithGlobexToken.GetRawText());
    }

    [StoreFact]
    public async Task An_account_with_two_api_keys_continues_a_traversal_with_either()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex");
        await ImportBothAsync(archive);
        var (key, secret) = await archive.Administration.CreateApiKeyAsync("acme", CancellationToken.None);
        var other = acme with { ApiKey = key, ApiSecret = secret };
        (string, string)[] query = [.. Week, ("page_size", "1")];

        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, query);
        var second = await Pages.NextPageAsync(archive, Pages.List, other, query, Pages.Token(first));

        Assert.Equal(["only-acme 2016-01-18T10:00:00.000Z"], Pages.Sessions(second));
    }

    private static async Task ImportBothAsync(TestArchive archive)
    {
        await archive.ImportAsync(
            "acme",
            Lines.Message("s-1", "2016-01-18T10:00:00.000Z", "acme one", "ann@acme.com", groupName: "Acme design"),
            Lines.Message("s-1", "2016-01-19T10:00:00.000Z", "acme two", "bob@acme.com"),
            Lines.Message("only-acme", "2016-01-18T10:00:00.000Z", "m", "ann@acme.com"));
        await archive.ImportAsync(
            "globex",
            Lines.Message("s-1", "2016-01-20T12:00:00.000Z", "globex one", "gil@globex.com", groupName: "Globex design"),
            Lines.Message("only-globex", "2016-01-21T10:00:00.000Z", "m", "gil@globex.com"));
    }
}
