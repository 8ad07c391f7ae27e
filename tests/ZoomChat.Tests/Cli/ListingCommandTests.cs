using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// <c>account list</c>, <c>key list</c>, <c>user list</c>, <c>token list</c> and <c>user remove</c>
/// (docs/operations.md#accounts-credentials-and-tokens): what the store holds, never a secret.
/// </summary>
public sealed class ListingCommandTests
{
    private const string Wire = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    [StoreFact]
    public async Task Account_list_names_every_account_by_name_with_when_it_was_created()
    {
        using var cli = new CliStore();
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        await cli.JsonAsync("account", "create", "globex");
        await cli.JsonAsync("account", "create", "acme");

        var json = await cli.JsonAsync("account", "list");
        var text = await cli.RunAsync("account", "list");

        var accounts = json.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(["acme", "globex"], accounts.Select(a => a.GetProperty("name").GetString()));
        Assert.All(accounts, a => Assert.InRange(Time(a, "created_at")!.Value, before, DateTimeOffset.UtcNow));
        Assert.Equal(
            ["NAME", "CREATED", "acme", accounts[0].GetProperty("created_at").GetString()!, "globex", accounts[1].GetProperty("created_at").GetString()!],
            Words(text.Output));
    }

    [StoreFact]
    public async Task Listing_an_empty_store_says_there_is_nothing()
    {
        using var cli = new CliStore();

        var json = await cli.JsonAsync("account", "list");
        var text = await cli.RunAsync("account", "list");

        Assert.Equal("""{"accounts":[]}""", json.GetRawText());
        Assert.Equal((0, "No accounts.\n"), (text.ExitCode, text.Output));
    }

    [StoreFact]
    public async Task Key_list_shows_the_accounts_keys_and_which_are_revoked_but_never_a_secret()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("account", "create", "globex");
        var kept = await cli.JsonAsync("key", "create", "--account", "acme");
        var revoked = await cli.JsonAsync("key", "create", "--account", "acme");
        var other = await cli.JsonAsync("key", "create", "--account", "globex");
        await cli.JsonAsync("key", "revoke", "--account", "acme", revoked.GetProperty("api_key").GetString()!);

        var json = await cli.JsonAsync("key", "list", "--account", "acme");
        var text = await cli.RunAsync("key", "list", "--account", "acme");

        var keys = json.GetProperty("api_keys").EnumerateArray().ToList();
        Assert.Equal([Key(kept), Key(revoked)], keys.Select(k => k.GetProperty("api_key").GetString()));
        Assert.All(keys, k => Assert.Equal(["api_key", "created_at", "revoked_at"], JsonKeys.Of(k)));
        Assert.Null(Time(keys[0], "revoked_at"));
        Assert.NotNull(Time(keys[1], "revoked_at"));
        foreach (var output in new[] { json.GetRawText(), text.Output })
        {
            Assert.DoesNotContain(kept.GetProperty("api_secret").GetString()!, output, StringComparison.Ordinal);
            Assert.DoesNotContain(revoked.GetProperty("api_secret").GetString()!, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Key(other), output, StringComparison.Ordinal);
        }
    }

    [StoreFact]
    public async Task User_list_shows_added_and_imported_users_with_their_privilege()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "viewer@acme.com", "--name", "Vi Ewer", "--archive-viewer");
        await cli.JsonAsync("import", cli.WriteFile("m.ndjson", Lines.Message("s-1", "2016-01-18T10:00:00Z", "hi", "ann@acme.com")), "--account", "acme");

        var json = await cli.JsonAsync("user", "list", "--account", "acme");

        Assert.Equal(
            """{"users":[{"email":"ann@acme.com","name":null,"archive_viewer":false},{"email":"viewer@acme.com","name":"Vi Ewer","archive_viewer":true}]}""",
            json.GetRawText());
    }

    [StoreFact]
    public async Task Token_list_identifies_tokens_by_a_hash_prefix_with_their_dates_and_status_but_never_the_token()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme", "viewer@acme.com");
        var expiring = (await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "viewer@acme.com", "--expires-in", "3600")).GetProperty("access_token").GetString()!;
        var revoked = (await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "viewer@acme.com")).GetProperty("access_token").GetString()!;
        await cli.JsonAsync("token", "revoke", "--account", "acme", revoked);
        var globex = await cli.CreateAccountAsync("globex", "viewer@globex.com");

        var json = await cli.JsonAsync("token", "list", "--account", "acme");
        var text = await cli.RunAsync("token", "list", "--account", "acme");

        var tokens = json.GetProperty("access_tokens").EnumerateArray().ToList();
        Assert.Equal([Id(acme.AccessToken), Id(expiring), Id(revoked)], tokens.Select(t => t.GetProperty("id").GetString()));
        Assert.All(tokens, t => Assert.Equal(["id", "email", "issued_at", "expires_at", "revoked_at", "status"], JsonKeys.Of(t)));
        Assert.All(tokens, t => Assert.Equal("viewer@acme.com", t.GetProperty("email").GetString()));
        Assert.Equal(["active", "active", "revoked"], tokens.Select(t => t.GetProperty("status").GetString()));
        Assert.Null(Time(tokens[0], "expires_at"));
        Assert.Equal(Time(tokens[1], "issued_at")!.Value.AddHours(1), Time(tokens[1], "expires_at"));
        Assert.NotNull(Time(tokens[2], "revoked_at"));
        Assert.Equal(["ID", "EMAIL", "ISSUED", "EXPIRES", "REVOKED", "STATUS", Id(acme.AccessToken)], Words(text.Output).Take(7));
        foreach (var output in new[] { json.GetRawText(), text.Output })
        {
            foreach (var token in new[] { acme.AccessToken, expiring, revoked, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(revoked))) })
            {
                Assert.DoesNotContain(token, output, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(Id(globex.AccessToken), output, StringComparison.Ordinal);
        }
    }

    [StoreFact]
    public async Task Token_list_with_email_shows_only_that_users_tokens()
    {
        using var cli = new CliStore();
        await cli.CreateAccountAsync("acme", "viewer@acme.com");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "dpo@acme.com", "--archive-viewer");
        var dpo = (await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "dpo@acme.com")).GetProperty("access_token").GetString()!;

        var json = await cli.JsonAsync("token", "list", "--account", "acme", "--email", "DPO@acme.com");

        Assert.Equal([Id(dpo)], json.GetProperty("access_tokens").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [StoreFact]
    public async Task User_remove_of_a_user_no_message_names_revokes_their_tokens_and_deletes_them()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme", "viewer@acme.com");
        await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "viewer@acme.com");

        var json = await cli.JsonAsync("user", "remove", "--account", "acme", "--email", "Viewer@acme.com");

        Assert.Equal("""{"email":"viewer@acme.com","tokens_revoked":2,"deleted":true}""", json.GetRawText());
        Assert.Equal("""{"users":[]}""", (await cli.JsonAsync("user", "list", "--account", "acme")).GetRawText());
        Assert.Equal("""{"access_tokens":[]}""", (await cli.JsonAsync("token", "list", "--account", "acme")).GetRawText());
        Assert.Equal(124, await ChatListCodeAsync(cli, acme));
    }

    [StoreFact]
    public async Task User_remove_of_a_user_messages_name_keeps_them_and_every_message_as_it_was()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme", "ann@acme.com");
        await cli.JsonAsync("import", cli.WriteFile("m.ndjson", Lines.Message("s-1", "2016-01-18T10:00:00Z", "evidence", "ann@acme.com")), "--account", "acme");
        var exported = await cli.RunAsync("export");

        var json = await cli.JsonAsync("user", "remove", "--account", "acme", "--email", "ann@acme.com");
        var text = await cli.RunAsync("user", "remove", "--account", "acme", "--email", "ann@acme.com");

        Assert.Equal("""{"email":"ann@acme.com","tokens_revoked":1,"deleted":false}""", json.GetRawText());
        Assert.Equal(
            "User ann@acme.com: revoked 0 access tokens; kept without the archive-view privilege, as the archive's messages name them and stay as they are.\n",
            text.Output);
        Assert.Equal(
            """{"users":[{"email":"ann@acme.com","name":null,"archive_viewer":false}]}""",
            (await cli.JsonAsync("user", "list", "--account", "acme")).GetRawText());
        Assert.Equal("revoked", (await cli.JsonAsync("token", "list", "--account", "acme")).GetProperty("access_tokens")[0].GetProperty("status").GetString());
        Assert.Equal(exported.Output, (await cli.RunAsync("export")).Output);
        Assert.Contains("\"sender\":\"ann@acme.com\"", exported.Output, StringComparison.Ordinal);
        Assert.Equal(124, await ChatListCodeAsync(cli, acme));
    }

    [StoreFact]
    public async Task User_remove_of_an_unknown_user_is_one_line()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var result = await cli.RunAsync("user", "remove", "--account", "acme", "--email", "nobody@acme.com");

        Assert.Equal("zoomchat: The account 'acme' has no user nobody@acme.com.", result.OneLineError());
    }

    [StoreTheory]
    [InlineData("key|list")]
    [InlineData("user|list")]
    [InlineData("token|list")]
    [InlineData("user|remove|--email|ann@acme.com")]
    public async Task A_listing_of_an_unknown_account_is_one_line(string args)
    {
        using var cli = new CliStore();

        var result = await cli.RunAsync([.. args.Split('|'), "--account", "initech"]);

        Assert.Equal("zoomchat: There is no account 'initech'.", result.OneLineError());
    }

    private static string Key(JsonElement created) => created.GetProperty("api_key").GetString()!;

    /// <summary>The listed id of a token: the first 12 hexadecimal digits of its SHA-256 hash, as <c>sha256sum</c> prints it.</summary>
    private static string Id(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    private static DateTimeOffset? Time(JsonElement item, string name) =>
        item.GetProperty(name).GetString() is { } text
            ? DateTimeOffset.ParseExact(text, Wire, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;

    private static string[] Words(string text) => text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

    private static async Task<int> ChatListCodeAsync(CliStore cli, TestCredentials credentials)
    {
        await using var server = await ServerProcess.StartAsync(cli.StorePath, TimeProvider.System);
        using var response = await server.Http.PostAsync(
            "/v1/chat/list", new FormUrlEncodedContent(credentials.With(("from", "2016-01-16"), ("to", "2016-01-22"))));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 0;
    }
}
