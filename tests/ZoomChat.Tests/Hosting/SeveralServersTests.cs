using System.Text;
using System.Text.Json;
using ZoomChat.Client.Wire;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Hosting;

/// <summary>
/// Two <c>zoomchat serve</c> processes on one PostgreSQL database, and the <c>zoomchat</c> command as a
/// third process changing it: what one process learns or decides holds in the other, and neither answers
/// from what it kept in memory (docs/operations.md#several-servers-on-one-database).
/// </summary>
public sealed class SeveralServersTests
{
    private const string Day = "2016-01-18";

    [PostgresFact]
    public async Task A_traversal_begun_on_one_server_continues_on_the_other_in_its_snapshot_while_the_command_imports()
    {
        using var cli = new CliStore();
        var acme = await ArchiveAsync(cli);
        await using var a = await ChildServer.StartAsync(cli.Folder.Path, cli.StorePath, "--rate-limits", "off");
        await using var b = await ChildServer.StartAsync(cli.Folder.Path, cli.StorePath, "--rate-limits", "off");
        var list = acme.With(("from", Day), ("to", Day), ("page_size", "2"));
        var get = acme.With(("session_id", "g1"), ("from", Day), ("to", Day), ("page_size", "2"));

        // chat/list begins on A, chat/get on B; each goes on on the other server after the import, then back.
        var listed = new List<JsonElement> { await a.PostAsync("/v1/chat/list", list) };
        var read = new List<JsonElement> { await b.PostAsync("/v1/chat/get", get) };
        var import = await ImportAsync(
            cli,
            Lines.Message("g6", "2016-01-18T15:00:00Z", "a new session, the newest", "ann@acme.com", type: "Group", groupName: "G6"),
            Lines.Message("g5", "2016-01-18T16:00:00Z", "the oldest session is now the newest", "ann@acme.com"),
            Lines.Message("g1", "2016-01-18T13:59:00Z", "earlier than the first page", "bob@acme.com"),
            Lines.Message("g1", "2016-01-18T14:10:00Z", "later than the last page", "bob@acme.com"));
        listed.Add(await b.PostAsync("/v1/chat/list", [.. list, new("next_page_token", Next(listed[^1]))]));
        read.Add(await a.PostAsync("/v1/chat/get", [.. get, new("next_page_token", Next(read[^1]))]));
        listed.Add(await a.PostAsync("/v1/chat/list", [.. list, new("next_page_token", Next(listed[^1]))]));
        read.Add(await b.PostAsync("/v1/chat/get", [.. get, new("next_page_token", Next(read[^1]))]));
        // Both servers answered before the import: a new traversal on either sees it all the same.
        var freshLists = new List<JsonElement>();
        var freshGets = new List<JsonElement>();
        foreach (var server in new[] { a, b })
        {
            freshLists.Add(await server.PostAsync("/v1/chat/list", list));
            freshGets.Add(await server.PostAsync("/v1/chat/get", get));
        }

        Assert.Equal((0, """{"stored":4,"duplicates":0,"rejected":0}"""), (import.ExitCode, import.Output.Trim()));
        Assert.All(listed.Concat(read), page => Assert.Equal(0, ErrorCode(page)));
        Assert.Equal(["g1", "g2", "g3", "g4", "g5"], listed.SelectMany(Sessions).ToList());
        Assert.Equal(["one", "two", "three", "four", "five"], read.SelectMany(Messages).ToList());
        Assert.All(listed.Concat(read), page => Assert.Equal(3, page.GetProperty("page_count").GetInt32()));
        Assert.Equal("", Next(listed[^1]));
        Assert.Equal("", Next(read[^1]));
        Assert.All(freshLists, page => Assert.Equal(("g5,g6", 3), (string.Join(",", Sessions(page)), page.GetProperty("page_count").GetInt32())));
        Assert.All(freshGets, page => Assert.Equal(("earlier than the first page,one", 4), (string.Join(",", Messages(page)), page.GetProperty("page_count").GetInt32())));
    }

    [PostgresFact]
    public async Task A_token_or_key_revoked_through_the_command_is_refused_by_both_servers_at_their_next_request()
    {
        using var cli = new CliStore();
        var acme = await ArchiveAsync(cli);
        var second = await cli.JsonAsync("key", "create", "--account", "acme");
        var token = (await cli.JsonAsync("token", "issue", "--account", "acme", "--email", "viewer@example.com")).GetProperty("access_token").GetString()!;
        var other = acme with { ApiKey = second.GetProperty("api_key").GetString()!, ApiSecret = second.GetProperty("api_secret").GetString()!, AccessToken = token };
        await using var a = await ChildServer.StartAsync(cli.Folder.Path, cli.StorePath, "--rate-limits", "off");
        await using var b = await ChildServer.StartAsync(cli.Folder.Path, cli.StorePath, "--rate-limits", "off");
        var window = new[] { ("from", Day), ("to", Day) };

        var before = await CodesAsync(a, b, acme, other, window);
        var revokeToken = await ZoomchatProcess.RunAsync(cli.Folder.Path, [], "token", "revoke", "--account", "acme", acme.AccessToken, "--store", cli.StorePath);
        var tokenRevoked = await CodesAsync(a, b, acme, other, window);
        var revokeKey = await ZoomchatProcess.RunAsync(cli.Folder.Path, [], "key", "revoke", "--account", "acme", other.ApiKey, "--store", cli.StorePath);
        var keyRevoked = await CodesAsync(a, b, acme, other, window);

        Assert.Equal((0, 0), (revokeToken.ExitCode, revokeKey.ExitCode));
        Assert.Equal([0, 0, 0, 0], before);
        // acme's token is refused on both; the other key and token still open the archive on both.
        Assert.Equal([ZoomErrorCodes.InvalidAccessToken, ZoomErrorCodes.InvalidAccessToken, 0, 0], tokenRevoked);
        Assert.Equal([ZoomErrorCodes.InvalidAccessToken, ZoomErrorCodes.InvalidAccessToken, ZoomErrorCodes.InvalidApiKeyOrSecret, ZoomErrorCodes.InvalidApiKeyOrSecret], keyRevoked);
    }

    [PostgresFact]
    public async Task A_keys_daily_chat_list_limit_spent_half_on_each_server_refuses_its_next_request_on_both()
    {
        using var cli = new CliStore();
        var acme = await ArchiveAsync(cli);
        // Two chat/list calls a UTC day per key (docs/api.md#rate-limits): one on each server spends them. A day's
        // bucket has no refill within the test to race, unlike a second's; the per-second limits are out of the way.
        cli.WriteFile("appsettings.json", """{"ZoomChat":{"ChatListRequestsPerDay":2,"ChatRequestsPerSecond":1000,"RequestsPerSecond":1000}}""");
        var keys = new List<TestCredentials>();
        for (var i = 0; i < 4; i++)
        {
            var key = await cli.JsonAsync("key", "create", "--account", "acme");
            keys.Add(acme with { ApiKey = key.GetProperty("api_key").GetString()!, ApiSecret = key.GetProperty("api_secret").GetString()! });
        }

        await using var a = await ChildServer.StartAsync(cli.Folder.Path, cli.StorePath);
        await using var b = await ChildServer.StartAsync(cli.Folder.Path, cli.StorePath);
        var window = new[] { ("from", Day), ("to", Day) };

        // The day's bucket fills again at 00:00 UTC: a round across it proves nothing and is tried again on a fresh key.
        int[]? codes = null;
        foreach (var key in keys)
        {
            var day = DateTime.UtcNow.Date;
            var round = new[]
            {
                ErrorCode(await a.PostAsync("/v1/chat/list", key.With(window))),
                ErrorCode(await b.PostAsync("/v1/chat/list", key.With(window))),
                ErrorCode(await a.PostAsync("/v1/chat/list", key.With(window))),
                ErrorCode(await b.PostAsync("/v1/chat/list", key.With(window))),
            };
            if (DateTime.UtcNow.Date == day)
            {
                codes = round;
                break;
            }
        }

        Assert.NotNull(codes);
        Assert.Equal([0, 0, ZoomErrorCodes.RateLimitExceeded, ZoomErrorCodes.RateLimitExceeded], codes);
    }

    /// <summary>acme with five group sessions on one day, g1 the newest (its five messages) to g5 the oldest.</summary>
    private static async Task<TestCredentials> ArchiveAsync(CliStore cli)
    {
        var acme = await cli.CreateAccountAsync("acme");
        string[] words = ["one", "two", "three", "four", "five"];
        var lines = words.Select((word, i) => Lines.Message("g1", $"2016-01-18T14:0{i}:00Z", word, "ann@acme.com", type: "Group", groupName: "G1"))
            .Concat(Enumerable.Range(2, 4).Select(n => Lines.Message($"g{n}", $"2016-01-18T{15 - n:00}:00:00Z", $"in g{n}", "ann@acme.com", type: "Group", groupName: $"G{n}")));
        var file = cli.WriteFile("archive.ndjson", [.. lines]);
        Assert.Equal("""{"stored":9,"duplicates":0,"rejected":0}""", (await cli.JsonAsync("import", file, "--account", "acme")).GetRawText());
        return acme;
    }

    /// <summary>Imports lines through <c>zoomchat import -</c>, a process of its own.</summary>
    private static Task<CliResult> ImportAsync(CliStore cli, params string[] lines) =>
        ZoomchatProcess.RunAsync(
            cli.Folder.Path,
            Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))),
            "import", "-", "--account", "acme", "--format", "ndjson", "--json", "--store", cli.StorePath);

    /// <summary>The codes of a chat/list with each credential on each server: first on A then B, then the other's on A then B.</summary>
    private static async Task<int[]> CodesAsync(ChildServer a, ChildServer b, TestCredentials first, TestCredentials second, (string, string)[] window) =>
    [
        ErrorCode(await a.PostAsync("/v1/chat/list", first.With(window))),
        ErrorCode(await b.PostAsync("/v1/chat/list", first.With(window))),
        ErrorCode(await a.PostAsync("/v1/chat/list", second.With(window))),
        ErrorCode(await b.PostAsync("/v1/chat/list", second.With(window))),
    ];

    private static int ErrorCode(JsonElement answer) =>
        answer.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 0;

    private static string Next(JsonElement page) => page.GetProperty("next_page_token").GetString()!;

    private static List<string> Sessions(JsonElement page) =>
        page.GetProperty("chat_list").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()!).ToList();

    private static List<string> Messages(JsonElement page) =>
        page.GetProperty("chat_messages").EnumerateArray().Select(m => m.GetProperty("message").GetString()!).ToList();
}
