using System.Text.Json;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// <c>zoomchat session remove</c>: a session stored by mistake (a misdated chat file) taken out with
/// everything that summarises it, on record, and never served again by a server running on the same
/// store, whatever it built or cached before (docs/operations.md#removing-a-session).
/// </summary>
public sealed class SessionRemovalTests
{
    [StoreFact]
    public async Task A_misdated_session_is_removed_on_record_and_imported_again_with_the_right_date()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var kept = cli.WriteFile("kept.ndjson", Meeting("s-2", "2021-09-15"));
        var misdated = cli.WriteFile("misdated.ndjson", Meeting("s-1", "2021-09-15"));
        var corrected = cli.WriteFile("corrected.ndjson", Meeting("s-1", "2020-12-08"));
        await cli.JsonAsync("import", kept, misdated, "--account", "acme");
        var refused = await cli.RunAsync("import", corrected, "--account", "acme");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("message_id 's-1-0' is already stored with a different date_time", refused.Error, StringComparison.Ordinal);

        var removed = await cli.JsonAsync("session", "remove", "--account", "acme", "s-1");
        var again = await cli.JsonAsync("import", corrected, "--account", "acme");
        var record = await cli.JsonAsync("session", "removals", "--account", "acme");

        var removal = Assert.Single(removed.GetProperty("removed").EnumerateArray());
        Assert.Equal(
            ["removed_at", "account", "session_id", "type", "group_name", "messages", "participants", "first_message", "last_message"],
            JsonKeys.Of(removal));
        Assert.Equal(("acme", "s-1", 3, 2), (Text(removal, "account"), Text(removal, "session_id"), removal.GetProperty("messages").GetInt32(), removal.GetProperty("participants").GetInt32()));
        Assert.Equal("2021-09-15T10:00:00.000Z", Text(removal, "first_message"));
        Assert.Equal("""{"stored":3,"duplicates":0,"rejected":0}""", again.GetRawText());
        Assert.Equal(removed.GetProperty("removed").GetRawText(), record.GetProperty("removed").GetRawText());
        var exported = cli.PathOf("out.ndjson");
        await cli.RunAsync("export", "--output", exported);
        var lines = await File.ReadAllLinesAsync(exported);
        Assert.Equal(6, lines.Length);
        Assert.All(lines.Where(l => l.Contains("\"s-1\"", StringComparison.Ordinal)), l => Assert.Contains("2020-12-08T", l, StringComparison.Ordinal));
        Assert.Equal([("s-1", 1L), ("s-2", 1L)], await DayStatsAsync(cli.StorePath));
    }

    [StoreFact]
    public async Task A_removal_naming_an_unknown_session_removes_nothing()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("import", cli.WriteFile("a.ndjson", Meeting("s-1", "2021-09-15")), "--account", "acme");

        var result = await cli.RunAsync("session", "remove", "--account", "acme", "s-1", "nosuch");
        var unknownAccount = await cli.RunAsync("session", "remove", "--account", "initech", "s-1");

        Assert.Equal("zoomchat: There is no session 'nosuch' in account 'acme'; nothing was removed.", result.OneLineError());
        Assert.Contains("initech", unknownAccount.OneLineError(), StringComparison.Ordinal);
        Assert.Equal("""{"removed":[]}""", (await cli.JsonAsync("session", "removals")).GetRawText());
    }

    [StoreFact]
    public async Task A_running_server_never_serves_a_removed_session_nor_stale_pages_after_a_removal_in_another_process()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        var globex = await cli.CreateAccountAsync("globex", "viewer@globex.com");
        await cli.JsonAsync("import", cli.WriteFile("kept.ndjson", Meeting("s-2", "2021-09-16")), "--account", "acme");
        await cli.JsonAsync("import", cli.WriteFile("globex.ndjson", [.. Meeting("g-1", "2021-09-15"), .. Meeting("g-2", "2021-09-16")]), "--account", "globex");
        // The misdated meeting arrives last: its messages hold the newest arrival numbers.
        await cli.JsonAsync("import", cli.WriteFile("misdated.ndjson", Meeting("s-1", "2021-09-15")), "--account", "acme");
        await using var server = await TestArchive.StartAsync(folder: cli.Folder);
        var window = acme.With(("from", "2020-12-01"), ("to", "2021-09-30"));
        var firstPage = acme.With(("from", "2020-12-01"), ("to", "2021-09-30"), ("page_size", "1"));
        var globexPage = globex.With(("from", "2021-09-01"), ("to", "2021-09-30"), ("page_size", "1"));
        Assert.Equal(["s-2", "s-1"], Sessions(await server.PostJsonAsync("/v1/chat/list", window)));
        var acmeTraversal = await server.PostJsonAsync("/v1/chat/list", firstPage);
        var globexTraversal = await server.PostJsonAsync("/v1/chat/list", globexPage);

        await cli.JsonAsync("session", "remove", "--account", "acme", "s-1");
        await cli.JsonAsync("import", cli.WriteFile("corrected.ndjson", Meeting("s-1", "2020-12-08")), "--account", "acme");

        // The same window again: the re-imported session is there, on its right day, and counted once.
        var after = await server.PostJsonAsync("/v1/chat/list", window);
        Assert.True(after.TryGetProperty("chat_list", out _), after.GetRawText());
        Assert.Equal(["s-2", "s-1"], Sessions(after));
        Assert.Equal("2020-12-08T10:02:00.000Z", after.GetProperty("chat_list")[1].GetProperty("last_message_send_time").GetString());
        Assert.Equal(["s-2"], Sessions(await server.PostJsonAsync("/v1/chat/list", acme.With(("from", "2021-09-15"), ("to", "2021-09-16")))));
        var messages = await server.PostJsonAsync("/v1/chat/get", acme.With(("session_id", "s-1"), ("from", "2021-09-15"), ("to", "2021-09-15")));
        Assert.Equal(0, messages.GetProperty("chat_messages").GetArrayLength());

        // A traversal of acme begun before the removal held the removed session: its next page is refused.
        var stale = await server.PostJsonAsync("/v1/chat/list", [.. firstPage, new("next_page_token", acmeTraversal.GetProperty("next_page_token").GetString()!)]);
        Assert.True(stale.TryGetProperty("error", out _), stale.GetRawText());
        Assert.Equal(300, stale.GetProperty("error").GetProperty("code").GetInt32());

        // Another account's traversal goes on: nothing of it was removed.
        var next = await server.PostJsonAsync("/v1/chat/list", [.. globexPage, new("next_page_token", globexTraversal.GetProperty("next_page_token").GetString()!)]);
        Assert.Equal(["g-1"], Sessions(next));
    }

    [StoreFact]
    public async Task A_removed_session_is_unknown_to_chat_get()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        await cli.JsonAsync("import", cli.WriteFile("a.ndjson", Meeting("s-1", "2021-09-15")), "--account", "acme");
        await using var server = await TestArchive.StartAsync(folder: cli.Folder);
        var get = acme.With(("session_id", "s-1"), ("from", "2021-09-15"), ("to", "2021-09-15"));
        Assert.Equal(3, (await server.PostJsonAsync("/v1/chat/get", get)).GetProperty("chat_messages").GetArrayLength());

        await cli.JsonAsync("session", "remove", "--account", "acme", "s-1");

        Assert.Equal(3001, (await server.PostJsonAsync("/v1/chat/get", get)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [StoreFact]
    public async Task A_new_users_messages_show_their_own_email_when_they_take_the_id_of_a_sender_removed_with_their_sessions()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        await cli.JsonAsync("import", cli.WriteFile("zed.ndjson", Lines.Message("s-1", "2021-09-15T10:00:00Z", "from zed", "zed@acme.com")), "--account", "acme");
        var zedId = await UserIdAsync(cli.StorePath, "zed@acme.com");
        await using var server = await TestArchive.StartAsync(folder: cli.Folder);
        var zedPage = await server.PostJsonAsync("/v1/chat/get", acme.With(("session_id", "s-1"), ("from", "2021-09-15"), ("to", "2021-09-15")));

        // zed's only session goes, then zed; the next new user is given the largest id plus one: zed's.
        await cli.JsonAsync("session", "remove", "--account", "acme", "s-1");
        var removal = await cli.JsonAsync("user", "remove", "--account", "acme", "--email", "zed@acme.com");
        await cli.JsonAsync("import", cli.WriteFile("amy.ndjson", Lines.Message("s-2", "2021-09-16T10:00:00Z", "from amy", "amy@acme.com")), "--account", "acme");
        var amyPage = await server.PostJsonAsync("/v1/chat/get", acme.With(("session_id", "s-2"), ("from", "2021-09-16"), ("to", "2021-09-16")));

        Assert.Equal("zed@acme.com", zedPage.GetProperty("chat_messages")[0].GetProperty("sender").GetString());
        Assert.True(removal.GetProperty("deleted").GetBoolean(), removal.GetRawText());
        Assert.Equal(zedId, await UserIdAsync(cli.StorePath, "amy@acme.com"));
        Assert.Equal("amy@acme.com", amyPage.GetProperty("chat_messages")[0].GetProperty("sender").GetString());
    }

    private static async Task<long> UserIdAsync(string store, string email) =>
        Convert.ToInt64(await StoreSql.ScalarAsync(store, $"SELECT id FROM users WHERE email = '{email}';"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A meeting of three messages by two people on <paramref name="day"/>, from 10:00 on.</summary>
    private static string[] Meeting(string sessionId, string day) =>
    [
        .. Enumerable.Range(0, 3).Select(i => Lines.Message(
            sessionId, $"{day}T10:0{i}:00Z", $"message {i} of {sessionId}", i % 2 == 0 ? "ann@acme.com" : "bob@acme.com", messageId: $"{sessionId}-{i}")),
    ];

    private static string Text(JsonElement json, string name) => json.GetProperty(name).GetString()!;

    private static string[] Sessions(JsonElement list) =>
        [.. list.GetProperty("chat_list").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()!)];

    /// <summary>Each session's days in session_day_stats, and account_days' entries agreeing with them.</summary>
    private static async Task<(string Session, long Days)[]> DayStatsAsync(string store)
    {
        await using var connection = await StoreSql.OpenAsync(store);
        await using var command = connection.CreateCommand();
        var postgres = TestStores.Current == StoreKind.Postgres;
        command.CommandText =
            $"""
            SELECT s.public_id, count(*) FROM {(postgres ? "session_days" : "session_day_stats")} d JOIN sessions s ON s.id = d.session_id GROUP BY s.public_id ORDER BY s.public_id;
            """;
        var days = new List<(string, long)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                days.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        if (!postgres)
        {
            // SQLite keeps the same days a second time, folded per account (SqliteSchema version 5).
            command.CommandText = "SELECT coalesce(sum(length(sessions) / 24), 0) FROM account_days;";
            Assert.Equal(days.Sum(d => d.Item2), (long)(await command.ExecuteScalarAsync())!);
        }
        return [.. days];
    }
}
