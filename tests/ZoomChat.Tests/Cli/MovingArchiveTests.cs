using System.Text.Json;
using ZoomChat.Client.Wire;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// An archive moved from a SQLite store to PostgreSQL: through <c>zoomchat export | zoomchat import -</c>, two
/// processes joined by a pipe, and through <c>zoomchat copy</c>, which carries the credentials as well
/// (docs/operations.md#moving-an-archive-between-stores).
/// </summary>
public sealed class MovingArchiveTests
{
    [PostgresFact]
    public async Task An_export_of_a_sqlite_store_piped_into_an_import_on_postgres_exports_byte_identical()
    {
        using var target = new CliStore();
        var source = await SqliteArchiveAsync(target.Folder);
        await target.JsonAsync("account", "create", "acme");
        await target.JsonAsync("account", "create", "globex");

        var (export, import) = await ZoomchatProcess.PipeAsync(
            target.Folder.Path,
            ["export", "--store", source],
            ["import", "-", "--json", "--store", target.StorePath]);
        var before = await ZoomchatProcess.RunAsync(target.Folder.Path, [], "export", "--store", source);
        var after = await ZoomchatProcess.RunAsync(target.Folder.Path, [], "export", "--store", target.StorePath);

        Assert.Equal((0, "Exported 6 messages.\n"), (export.ExitCode, export.Error));
        Assert.Equal((0, """{"stored":6,"duplicates":0,"rejected":0}""", ""), (import.ExitCode, import.Output.Trim(), import.Error));
        Assert.Equal((0, "Exported 6 messages.\n"), (after.ExitCode, after.Error));
        Assert.Equal(6, before.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(before.Output, after.Output);
    }

    [PostgresFact]
    public async Task Copy_from_sqlite_to_postgres_carries_the_messages_and_every_credential_as_it_was()
    {
        using var target = new CliStore();
        var source = await SqliteArchiveAsync(target.Folder);
        var acme = await CredentialsAsync(source);
        var revokedKey = await JsonOnAsync(source, "key", "create", "--account", "acme");
        await JsonOnAsync(source, "key", "revoke", "--account", "acme", revokedKey.GetProperty("api_key").GetString()!);
        var revokedToken = (await JsonOnAsync(source, "token", "issue", "--account", "acme", "--email", "dpo@acme.com", "--expires-in", "86400")).GetProperty("access_token").GetString()!;
        await JsonOnAsync(source, "token", "revoke", "--account", "acme", revokedToken);

        var copy = await CliStore.RunWithoutStoreAsync("copy", "--from", source, "--to", target.StorePath, "--json");

        Assert.Equal(
            (0, """{"accounts":2,"users":5,"api_keys":2,"access_tokens":2,"stored":6,"duplicates":0,"rejected":0}"""),
            (copy.ExitCode, copy.Output.Trim()));
        Assert.Equal((await ExportAsync(source)).Output, (await ExportAsync(target.StorePath)).Output);
        foreach (var listing in new[] { "account list", "user list --account acme", "user list --account globex", "key list --account acme", "token list --account acme" })
        {
            var args = listing.Split(' ');
            Assert.Equal(
                (await CliStore.RunWithoutStoreAsync([.. args, "--json", "--store", source])).Output,
                (await CliStore.RunWithoutStoreAsync([.. args, "--json", "--store", target.StorePath])).Output);
        }

        // The source's secrets open the copy; the revoked key and token stay refused.
        await using var server = await ServerProcess.StartAsync(target.StorePath, TimeProvider.System);
        var window = new[] { ("from", "2016-01-16"), ("to", "2016-01-22") };
        Assert.Equal(0, await CodeAsync(server, acme.With(window)));
        Assert.Equal(ZoomErrorCodes.InvalidAccessToken, await CodeAsync(server, (acme with { AccessToken = revokedToken }).With(window)));
        Assert.Equal(
            ZoomErrorCodes.InvalidApiKeyOrSecret,
            await CodeAsync(server, (acme with { ApiKey = revokedKey.GetProperty("api_key").GetString()!, ApiSecret = revokedKey.GetProperty("api_secret").GetString()! }).With(window)));
    }

    [StoreFact]
    public async Task Copy_into_a_store_that_holds_an_account_is_refused_and_changes_nothing()
    {
        using var target = new CliStore();
        var source = await SqliteArchiveAsync(target.Folder);
        await target.JsonAsync("account", "create", "initech");

        var copy = await CliStore.RunWithoutStoreAsync("copy", "--from", source, "--to", target.StorePath);

        Assert.Equal(1, copy.ExitCode);
        Assert.Equal(
            $"zoomchat: The store {TestStores.Describe(target.StorePath)} (--to) holds accounts already (initech): copy fills an empty store only.",
            copy.OneLineError());
        var accounts = (await target.JsonAsync("account", "list")).GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("name").GetString());
        Assert.Equal(["initech"], accounts);
    }

    /// <summary>A SQLite store in <paramref name="folder"/> with accounts acme and globex, users and messages; its --store value.</summary>
    private static async Task<string> SqliteArchiveAsync(TempFolder folder)
    {
        var store = Path.Combine(folder.Path, "source.db");
        await JsonOnAsync(store, "account", "create", "acme");
        await JsonOnAsync(store, "account", "create", "globex");
        await JsonOnAsync(store, "user", "add", "--account", "acme", "--email", "dpo@acme.com", "--name", "Data Protection", "--archive-viewer");
        var file = Path.Combine(folder.Path, "source.ndjson");
        await File.WriteAllLinesAsync(file, [
            Lines.Message("b-group", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", type: "Group", groupName: "Design", participants: ["ann@acme.com", "cy@acme.com"], messageId: "m-1"),
            Lines.Message("b-group", "2016-01-18T06:40:56Z", "same millisecond, arrived second", "bob@acme.com"),
            Lines.Message("b-group", "2016-01-17T23:59:59.999Z", "earlier", "cy@acme.com", messageId: "m-0"),
            Lines.Message("A-dm", "2016-01-20T10:00:00Z", "Café ☕ \"quoted\"\nsecond line", "bob@acme.com", type: "1:1", participants: ["bob@acme.com", "ann@acme.com"]),
            Lines.Message("a-lower", "2016-01-25T00:00:00Z", "nobody known, after the week"),
            Lines.Message("b-group", "2016-01-19T00:00:00Z", "globex", "gil@globex.com", type: "Group", groupName: "Globex", account: "globex")]);
        Assert.Equal("""{"stored":6,"duplicates":0,"rejected":0}""", (await JsonOnAsync(store, "import", file, "--account", "acme")).GetRawText());
        return store;
    }

    /// <summary>A key of acme and a token of its archive viewer, made on <paramref name="store"/>.</summary>
    private static async Task<TestCredentials> CredentialsAsync(string store)
    {
        var key = await JsonOnAsync(store, "key", "create", "--account", "acme");
        var token = await JsonOnAsync(store, "token", "issue", "--account", "acme", "--email", "dpo@acme.com");
        return new TestCredentials(
            "acme", key.GetProperty("api_key").GetString()!, key.GetProperty("api_secret").GetString()!, token.GetProperty("access_token").GetString()!);
    }

    private static async Task<JsonElement> JsonOnAsync(string store, params string[] args) =>
        (await CliStore.RunWithoutStoreAsync([.. args, "--json", "--store", store])).SingleJsonObject();

    private static Task<CliResult> ExportAsync(string store) => CliStore.RunWithoutStoreAsync("export", "--store", store);

    private static async Task<int> CodeAsync(ServerProcess server, List<KeyValuePair<string, string>> form)
    {
        using var response = await server.Http.PostAsync("/v1/chat/list", new FormUrlEncodedContent(form));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 0;
    }
}
