using ZoomChat.Server.Storage.Postgres;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Search;

/// <summary>PostgreSQL schema version 2 fills the full-text index for a store written before it (docs/search.md#the-index).</summary>
public sealed class PostgresSearchIndexUpgradeTests
{
    [PostgresFact]
    public async Task A_version_1_store_is_upgraded_with_an_index_that_finds_what_imports_index()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("account", "create", "initech");
        var lines = Enumerable.Range(0, 300)
            .Select(i => Lines.Message(
                $"s-{i % 4}",
                new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i * 7 % 500).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                i % 3 == 0 ? $"Déploiement number {i}" : $"review {i}",
                sender: $"user{i % 5}@acme.com",
                messageId: $"m-{i}"))
            .ToArray();
        await cli.JsonAsync("import", cli.WriteFile("acme.ndjson", lines), "--account", "acme");
        await cli.JsonAsync("import", cli.WriteFile("initech.ndjson", lines[..50]), "--account", "initech");
        // A removal leaves its placeholder row in messages (PostgresSessionRemoval), which the upgrade must not index.
        await cli.JsonAsync("session", "remove", "--account", "acme", "s-3");
        string[] queries = ["deploiement", "review -\"review 1\"", "number from:user2@acme.com before:2021-03-01T04:00Z"];
        var indexed = await SearchAllAsync(cli, queries);
        Assert.Equal(75, indexed[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // What a store of schema version 1 looks like: no index, no viewer tables.
        await StoreSql.ExecuteAsync(
            cli.StorePath,
            """
            DROP TABLE message_search;
            DROP TRIGGER viewer_privilege_taken ON users; DROP TRIGGER viewer_user_deleted ON users;
            DROP FUNCTION zoomchat_viewer_privilege_taken(); DROP FUNCTION zoomchat_viewer_user_deleted();
            DROP TABLE viewer_links; DROP TABLE viewer_sessions;
            DELETE FROM schema_version WHERE version > 1;
            """);

        var upgraded = await SearchAllAsync(cli, queries);

        Assert.Equal(indexed, upgraded);
        Assert.Equal(PostgresSchema.Versions.Length, await ScalarAsync(cli.StorePath, "SELECT max(version) FROM schema_version;"));
        Assert.Equal(
            await ScalarAsync(cli.StorePath, "SELECT count(*) FROM messages WHERE session_id <> 0;"),
            await ScalarAsync(cli.StorePath, "SELECT count(*) FROM message_search;"));
    }

    private static async Task<List<string>> SearchAllAsync(CliStore cli, string[] queries)
    {
        var outputs = new List<string>();
        foreach (var query in queries)
        {
            var result = await cli.RunAsync("search", "--account", "acme", query, "--json");
            Assert.True(result.ExitCode == 0, result.Error);
            outputs.Add(result.Output);
        }

        return outputs;
    }

    private static async Task<long> ScalarAsync(string store, string sql) =>
        Convert.ToInt64(await StoreSql.ScalarAsync(store, sql), System.Globalization.CultureInfo.InvariantCulture);
}
