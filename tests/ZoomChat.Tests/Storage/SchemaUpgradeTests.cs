using Microsoft.Data.Sqlite;
using ZoomChat.Server.Storage.Sqlite;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Storage;

public sealed class SchemaUpgradeTests
{
    [Fact]
    public async Task A_version_1_store_is_upgraded_on_start_with_day_statistics_equal_to_the_ones_imports_keep()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "archive.db");
        await ImportSampleAsync(path);
        var kept = await ReadDayStatisticsAsync(path);
        Assert.NotEmpty(kept);
        Assert.Equal(kept.Count, await ScalarAsync(path, "SELECT count(*) FROM session_days;"));

        // What a store written by schema version 1 looks like: no day statistics.
        await ExecuteAsync(
            path,
            """
            DROP TABLE session_day_stats;
            ALTER TABLE session_days DROP COLUMN last_time;
            ALTER TABLE session_days DROP COLUMN max_arrival;
            DELETE FROM schema_version WHERE version > 1;
            """);

        await using (var store = new SqliteArchiveStore(path))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        Assert.Equal(kept, await ReadDayStatisticsAsync(path));
        Assert.Equal(SqliteSchema.Versions.Length, await ScalarAsync(path, "SELECT max(version) FROM schema_version;"));
    }

    [Fact]
    public async Task Starting_on_a_store_of_a_newer_schema_fails_with_a_clear_message()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "archive.db");
        await using (var store = new SqliteArchiveStore(path))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        await ExecuteAsync(path, $"INSERT INTO schema_version (version) VALUES ({SqliteSchema.Versions.Length + 1});");

        await using var newer = new SqliteArchiveStore(path);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync(CancellationToken.None));
        Assert.Contains($"has schema version {SqliteSchema.Versions.Length + 1}, newer than this zoomchat knows", error.Message, StringComparison.Ordinal);
    }

    private static async Task ImportSampleAsync(string path)
    {
        await using var store = new SqliteArchiveStore(path);
        await store.InitializeAsync(CancellationToken.None);
        await store.CreateAccountAsync("acme", DateTimeOffset.UnixEpoch, CancellationToken.None);
        var lines = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            // Three sessions over five days, several messages a day, some at the same instant.
            var at = new DateTime(2016, 1, 16, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i * 37 / 2 * 3);
            lines.Add(Lines.Message($"s-{i % 3}", at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), $"message {i}", $"user{i % 4}@acme.com"));
        }

        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        var summary = await new ZoomChat.Server.Interchange.ArchiveImporter(store).ImportAsync(
            input, "acme", progress: null, onRejected: problem => Assert.Fail(problem.Reason), CancellationToken.None);
        Assert.Equal(200, summary.Stored);
    }

    private static async Task<List<string>> ReadDayStatisticsAsync(string path)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT s.session_id, s.day, s.messages, s.max_arrival, d.account_id, d.last_time, d.max_arrival
            FROM session_day_stats s JOIN session_days d ON d.session_id = s.session_id AND d.day = s.day
            ORDER BY s.session_id, s.day;
            """;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(' ', Enumerable.Range(0, 7).Select(i => reader.GetInt64(i))));
        }

        return rows;
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = await OpenAsync(path);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<SqliteConnection> OpenAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
