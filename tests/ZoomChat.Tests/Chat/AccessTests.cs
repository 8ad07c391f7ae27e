using System.Net;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

/// <summary>
/// Credentials and the archive access token (docs/api.md#errors, docs/api.md#credentials-and-access-tokens): what answers 102 and
/// 124, that revocation and expiry hold from the next request on every server process, and that
/// no error echoes a secret.
/// </summary>
public sealed class AccessTests
{
    private const string List = "/v1/chat/list";
    private const string Get = "/v1/chat/get";
    private const string KeyMismatch = "You app key and secret doesn't match.";
    private const string InvalidToken = "Invalid access token.";
    private const string Viewer = "admin@example.com";

    // --- 102: the API key and secret ---

    [StoreTheory]
    [InlineData(List)]
    [InlineData(Get)]
    public async Task Unknown_key_returns_102(string path)
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(path, Form(acme with { ApiKey = "AAAAAAAAAAAAAAAAAAAAAA" }, ("session_id", "s")));

        reply.AssertError(HttpStatusCode.Unauthorized, 102, KeyMismatch);
    }

    [StoreFact]
    public async Task Wrong_secret_returns_102()
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, Form(acme with { ApiSecret = acme.ApiSecret + "x" }));

        reply.AssertError(HttpStatusCode.Unauthorized, 102, KeyMismatch);
    }

    [StoreFact]
    public async Task Secret_in_another_case_returns_102()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var (apiKey, _) = await archive.Administration.CreateApiKeyAsync("acme", "case-key", "Secret-Of-Mixed-Case", CancellationToken.None);

        var reply = await archive.PostFormAsync(List, Form(acme with { ApiKey = apiKey, ApiSecret = "secret-of-mixed-case" }));

        reply.AssertError(HttpStatusCode.OK, 102, KeyMismatch);
    }

    [StoreFact]
    public async Task Secret_of_another_key_returns_102()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var globex = await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");
        var (_, otherAcmeSecret) = await archive.Administration.CreateApiKeyAsync("acme", CancellationToken.None);

        var sameAccount = await archive.PostFormAsync(List, Form(acme with { ApiSecret = otherAcmeSecret }));
        var otherAccount = await archive.PostFormAsync(List, Form(acme with { ApiSecret = globex.ApiSecret }));

        sameAccount.AssertError(HttpStatusCode.OK, 102, KeyMismatch);
        otherAccount.AssertError(HttpStatusCode.OK, 102, KeyMismatch);
    }

    [StoreFact]
    public async Task Revoked_key_returns_102_from_the_next_request_while_other_keys_still_work()
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");
        var (otherKey, otherSecret) = await archive.Administration.CreateApiKeyAsync("acme", CancellationToken.None);
        var before = await archive.PostFormAsync(List, Form(acme));
        Assert.Equal(HttpStatusCode.OK, before.Status);

        await archive.Administration.RevokeApiKeyAsync("acme", acme.ApiKey, CancellationToken.None);
        var revoked = await archive.PostFormAsync(List, Form(acme));
        var other = await archive.PostFormAsync(List, Form(acme with { ApiKey = otherKey, ApiSecret = otherSecret }));

        revoked.AssertError(HttpStatusCode.Unauthorized, 102, KeyMismatch);
        Assert.Equal(before.Body, other.Body);
        Assert.Equal(HttpStatusCode.OK, other.Status);
    }

    [StoreFact]
    public async Task Revoked_key_returns_102_on_a_second_server_process_from_the_next_request()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var second = await archive.StartSecondServerAsync();
        await using var secondApp = second.App;
        Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(List, Form(acme), second.Http)).Status);
        Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(List, Form(acme))).Status);

        await archive.Administration.RevokeApiKeyAsync("acme", acme.ApiKey, CancellationToken.None);

        (await archive.PostFormAsync(List, Form(acme), second.Http)).AssertError(HttpStatusCode.OK, 102, KeyMismatch);
        (await archive.PostFormAsync(List, Form(acme))).AssertError(HttpStatusCode.OK, 102, KeyMismatch);
    }

    // --- 124: the archive access token ---

    [StoreTheory]
    [InlineData(List)]
    [InlineData(Get)]
    public async Task Unknown_access_token_returns_124(string path)
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(path, Form(acme with { AccessToken = "bm90LWEtdG9rZW4" }, ("session_id", "s")));

        reply.AssertError(HttpStatusCode.Unauthorized, 124, InvalidToken);
    }

    [StoreFact]
    public async Task Access_token_in_another_case_returns_124()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var (token, _) = await archive.Administration.IssueAccessTokenAsync("acme", Viewer, null, "Token-Of-Mixed-Case", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(List, Form(acme with { AccessToken = token }))).Status);

        var reply = await archive.PostFormAsync(List, Form(acme with { AccessToken = token.ToUpperInvariant() }));

        reply.AssertError(HttpStatusCode.OK, 124, InvalidToken);
    }

    [StoreFact]
    public async Task Revoked_access_token_returns_124_from_the_next_request()
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");
        var (otherToken, _) = await archive.Administration.IssueAccessTokenAsync("acme", Viewer, null, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(List, Form(acme))).Status);

        await archive.Administration.RevokeAccessTokenAsync("acme", acme.AccessToken, CancellationToken.None);
        var revoked = await archive.PostFormAsync(List, Form(acme));
        var other = await archive.PostFormAsync(List, Form(acme with { AccessToken = otherToken }));

        revoked.AssertError(HttpStatusCode.Unauthorized, 124, InvalidToken);
        Assert.Equal(HttpStatusCode.OK, other.Status);
    }

    [StoreFact]
    public async Task Revoked_access_token_returns_124_on_a_second_server_process_from_the_next_request()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var second = await archive.StartSecondServerAsync();
        await using var secondApp = second.App;
        Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(Get, Form(acme, ("session_id", "none")), second.Http)).Status);

        await archive.Administration.RevokeAccessTokenAsync("acme", acme.AccessToken, CancellationToken.None);

        (await archive.PostFormAsync(List, Form(acme), second.Http)).AssertError(HttpStatusCode.OK, 124, InvalidToken);
        (await archive.PostFormAsync(Get, Form(acme, ("session_id", "none")), second.Http)).AssertError(HttpStatusCode.OK, 124, InvalidToken);
        (await archive.PostFormAsync(List, Form(acme))).AssertError(HttpStatusCode.OK, 124, InvalidToken);
    }

    [StoreFact]
    public async Task Access_token_expires_at_its_expiry_time()
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");
        var (token, expiresAt) = await archive.Administration.IssueAccessTokenAsync("acme", Viewer, TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.Equal(TestArchive.Start.AddMinutes(10), expiresAt);
        var withToken = acme with { AccessToken = token };
        var second = await archive.StartSecondServerAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        await using var secondApp = second.App;

        archive.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        var justBefore = await archive.PostFormAsync(List, Form(withToken));
        archive.Time.Advance(TimeSpan.FromMilliseconds(1));
        var atExpiry = await archive.PostFormAsync(List, Form(withToken));
        var onSecondServer = await archive.PostFormAsync(List, Form(withToken), second.Http);
        var unexpiring = await archive.PostFormAsync(List, Form(acme));

        Assert.Equal(HttpStatusCode.OK, justBefore.Status);
        atExpiry.AssertError(HttpStatusCode.Unauthorized, 124, InvalidToken);
        onSecondServer.AssertError(HttpStatusCode.Unauthorized, 124, InvalidToken);
        Assert.Equal(HttpStatusCode.OK, unexpiring.Status);
    }

    [StoreFact]
    public async Task Access_token_of_another_account_returns_124_both_ways()
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");
        var globex = await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");

        var acmeKeyGlobexToken = await archive.PostFormAsync(List, Form(acme with { AccessToken = globex.AccessToken }));
        var globexKeyAcmeToken = await archive.PostFormAsync(Get, Form(globex with { AccessToken = acme.AccessToken }, ("session_id", "s")));

        acmeKeyGlobexToken.AssertError(HttpStatusCode.Unauthorized, 124, InvalidToken);
        globexKeyAcmeToken.AssertError(HttpStatusCode.Unauthorized, 124, InvalidToken);
    }

    [StoreFact]
    public async Task Access_token_of_a_user_who_lost_the_archive_privilege_returns_124()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        Assert.Equal(HttpStatusCode.OK, (await archive.PostFormAsync(List, Form(acme))).Status);
        var accountId = (await archive.Store.FindAccountAsync("acme", CancellationToken.None))!.Value;

        await archive.Store.UpsertUserAsync(accountId, Viewer, displayName: null, archiveViewer: false, CancellationToken.None);
        var withoutPrivilege = await archive.PostFormAsync(List, Form(acme));
        await archive.Store.UpsertUserAsync(accountId, Viewer, displayName: null, archiveViewer: true, CancellationToken.None);
        var regranted = await archive.PostFormAsync(List, Form(acme));

        withoutPrivilege.AssertError(HttpStatusCode.OK, 124, InvalidToken);
        Assert.Equal(HttpStatusCode.OK, regranted.Status);
        Assert.StartsWith("""{"from":""", regranted.Body, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Access_token_is_refused_to_a_user_without_the_archive_privilege()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.Administration.AddUserAsync("acme", "clerk@example.com", "Clerk", archiveViewer: false, CancellationToken.None);

        await Assert.ThrowsAsync<ArchiveAdministrationException>(() =>
            archive.Administration.IssueAccessTokenAsync("acme", "clerk@example.com", null, CancellationToken.None));
    }

    [StoreFact]
    public async Task Token_of_one_key_works_with_every_key_of_the_same_account()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var (otherKey, otherSecret) = await archive.Administration.CreateApiKeyAsync("acme", CancellationToken.None);

        var first = await archive.PostFormAsync(List, Form(acme));
        var second = await archive.PostFormAsync(List, Form(acme with { ApiKey = otherKey, ApiSecret = otherSecret }));

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body, second.Body);
    }

    // --- Secrets are never echoed ---

    [StoreTheory]
    [InlineData("JSON")]
    [InlineData("XML")]
    public async Task Errors_about_credentials_never_echo_them(string dataType)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        const string wrongSecret = "wrong-secret-d3adb33f";
        const string wrongToken = "wrong-token-c0ffee00";

        var replies = new[]
        {
            await archive.PostFormAsync(List, Form(acme with { ApiSecret = wrongSecret }, ("data_type", dataType))),
            await archive.PostFormAsync(List, Form(acme with { ApiKey = "unknown-key-f00d", ApiSecret = wrongSecret }, ("data_type", dataType))),
            await archive.PostFormAsync(List, Form(acme with { AccessToken = wrongToken }, ("data_type", dataType))),
            await archive.PostFormAsync(List, Form(acme, ("data_type", dataType), ("api_secret", acme.ApiSecret))),
            await archive.PostFormAsync(List, Form(acme, ("data_type", dataType), ("access_token", acme.AccessToken))),
            await archive.PostFormAsync(List, acme.With(("data_type", dataType)).Where(f => f.Key != "api_key")),
        };

        foreach (var reply in replies)
        {
            Assert.Contains("error", reply.Body, StringComparison.Ordinal);
            foreach (var secret in new[] { wrongSecret, wrongToken, "unknown-key-f00d", acme.ApiSecret, acme.AccessToken[..8], acme.ApiKey })
            {
                Assert.DoesNotContain(secret, reply.Body, StringComparison.Ordinal);
            }
        }
    }

    [StoreFact]
    public async Task Credentials_may_come_in_the_query_string_and_parameters_in_the_body()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var wrong = await archive.PostBodyAsync(List + "?" + acme.Fill("api_key={key}&api_secret=nope&access_token={token}"), "from=2016-01-16&to=2016-01-22");
        var right = await archive.PostBodyAsync(List + "?" + acme.Fill("{auth}"), "from=2016-01-16&to=2016-01-22");

        wrong.AssertError(HttpStatusCode.OK, 102, KeyMismatch);
        right.AssertJson(
            HttpStatusCode.OK,
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_list":[]}""");
    }

    private static List<KeyValuePair<string, string>> Form(TestCredentials credentials, params (string Name, string Value)[] more) =>
        credentials.With([("from", "2016-01-16"), ("to", "2016-01-22"), .. more]);
}
