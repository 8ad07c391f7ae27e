using Microsoft.Extensions.Time.Testing;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>Credentials and tokens made, imported and revoked with the <c>zoomchat</c> command, used against a server on the same store.</summary>
public sealed class CliCredentialsTests
{
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22")];

    [StoreFact]
    public async Task Credentials_made_by_the_command_open_the_archive_the_command_imported()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        var file = cli.WriteFile(
            "acme.ndjson",
            Lines.Message("design", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", groupName: "Design"),
            Lines.Message("dm", "2016-01-19T10:00:00Z", "hi", "bob@acme.com", type: "1:1", participants: ["bob@acme.com", "ann@acme.com"]));
        Assert.Equal("""{"stored":2,"duplicates":0,"rejected":0}""", (await cli.JsonAsync("import", file, "--account", "acme")).GetRawText());

        await using var archive = await TestArchive.StartAsync(folder: cli.Folder);
        var list = await archive.PostJsonAsync("/v1/chat/list", acme.With(Week));
        var get = await archive.PostJsonAsync("/v1/chat/get", acme.With([("session_id", "design"), .. Week]));

        Assert.Equal(
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_list":[""" +
            """{"session_id":"dm","type":"1:1","participants":"ann@acme.com,bob@acme.com","group_name":"","last_message_send_time":"2016-01-19T10:00:00.000Z"},""" +
            """{"session_id":"design","type":"Group","participants":"","group_name":"Design","last_message_send_time":"2016-01-18T06:40:56.000Z"}]}""",
            list.GetRawText());
        Assert.Equal(
            """{"session_id":"design","group_name":"Design","from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[{"message":"hello","sender":"ann@acme.com","date_time":"2016-01-18T06:40:56.000Z"}]}""",
            get.GetRawText());
    }

    [StoreFact]
    public async Task A_key_revoked_by_the_command_is_refused_with_102()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        await using var archive = await TestArchive.StartAsync(folder: cli.Folder);
        var before = await archive.PostJsonAsync("/v1/chat/list", acme.With(Week));

        await cli.JsonAsync("key", "revoke", "--account", "acme", acme.ApiKey);
        var after = await archive.PostJsonAsync("/v1/chat/list", acme.With(Week));

        Assert.Equal(0, before.GetProperty("page_count").GetInt32());
        Assert.Equal("""{"error":{"code":102,"message":"You app key and secret doesn't match."}}""", after.GetRawText());
    }

    [StoreFact]
    public async Task A_token_revoked_by_the_command_is_refused_with_124_while_other_tokens_still_work()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        var second = (await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "viewer@example.com")).GetProperty("access_token").GetString()!;
        await using var archive = await TestArchive.StartAsync(folder: cli.Folder);

        await cli.JsonAsync("token", "revoke", "--account", "acme", acme.AccessToken);
        var revoked = await archive.PostJsonAsync("/v1/chat/list", acme.With(Week));
        var other = await archive.PostJsonAsync("/v1/chat/list", (acme with { AccessToken = second }).With(Week));

        Assert.Equal("""{"error":{"code":124,"message":"Invalid access token."}}""", revoked.GetRawText());
        Assert.Equal(0, other.GetProperty("page_count").GetInt32());
    }

    [StoreFact]
    public async Task A_token_issued_with_expires_in_stops_opening_the_archive_when_it_expires()
    {
        using var cli = new CliStore();
        await cli.CreateAccountAsync("acme");
        var key = await cli.JsonAsync("key", "create", "--account", "acme");
        var token = await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "viewer@example.com", "--expires-in", "600");
        var credentials = new TestCredentials(
            "acme", key.GetProperty("api_key").GetString()!, key.GetProperty("api_secret").GetString()!, token.GetProperty("access_token").GetString()!);
        // The command issues on the real clock; the server's clock starts there too and is then moved.
        await using var archive = await TestArchive.StartAsync(folder: cli.Folder, time: new FakeTimeProvider(DateTimeOffset.UtcNow));

        var fresh = await archive.PostJsonAsync("/v1/chat/list", credentials.With(Week));
        archive.Time.Advance(TimeSpan.FromSeconds(601));
        var expired = await archive.PostJsonAsync("/v1/chat/list", credentials.With(Week));

        Assert.Equal(0, fresh.GetProperty("page_count").GetInt32());
        Assert.Equal("""{"error":{"code":124,"message":"Invalid access token."}}""", expired.GetRawText());
    }

    [StoreFact]
    public async Task A_user_met_by_an_import_has_no_privilege_until_user_add_grants_it()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        var file = cli.WriteFile("a.ndjson", Lines.Message("design", "2016-01-18T06:40:56Z", "hello", "Ann@Acme.com"));
        await cli.JsonAsync("import", file, "--account", "acme");

        var refused = await cli.RunAsync("token", "issue", "--account", "acme", "--email", "ann@acme.com");
        Assert.Equal("""{"email":"ann@acme.com","archive_viewer":true}""", (await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ann@acme.com", "--name", "Ann", "--archive-viewer")).GetRawText());
        var token = (await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "ann@acme.com")).GetProperty("access_token").GetString()!;

        refused.OneLineError();
        await using var archive = await TestArchive.StartAsync(folder: cli.Folder);
        var list = await archive.PostJsonAsync("/v1/chat/list", (acme with { AccessToken = token }).With([.. Week, ("email", "ann@acme.com")]));
        Assert.Equal("design", list.GetProperty("chat_list")[0].GetProperty("session_id").GetString());
    }

    [StoreFact]
    public async Task Credentials_of_one_account_do_not_open_another_accounts_archive()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        var globex = await cli.CreateAccountAsync("globex");
        await using var archive = await TestArchive.StartAsync(folder: cli.Folder);

        // acme's key and secret with globex's access token: a token of another account (docs/api.md#errors).
        var mixed = await archive.PostJsonAsync("/v1/chat/list", (acme with { AccessToken = globex.AccessToken }).With(Week));

        Assert.Equal("""{"error":{"code":124,"message":"Invalid access token."}}""", mixed.GetRawText());
    }
}
