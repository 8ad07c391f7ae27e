using Microsoft.Data.Sqlite;
using ZoomChat.Server.Storage;
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
        Assert.Equal(200, (await ImportSampleAsync(path)).Stored);
        var kept = await ReadDayStatisticsAsync(path);
        Assert.NotEmpty(kept);
        Assert.Contains(kept, row => row.Contains(" -", StringComparison.Ordinal));

        // What a store written by schema version 1 looks like: no day statistics, one session_days
        // row per session and day.
        await ExecuteAsync(
            path,
            """
            DROP TABLE session_day_stats;
            DROP TABLE account_days;
            DROP TABLE session_removals;
            DROP TABLE message_search;
            DROP TRIGGER viewer_privilege_taken;
            DROP TRIGGER viewer_user_deleted;
            DROP TABLE viewer_links;
            DROP TABLE viewer_sessions;
            DROP TABLE IF EXISTS message_search_content;
            CREATE TABLE session_days (
                account_id INTEGER NOT NULL,
                day        INTEGER NOT NULL,
                session_id INTEGER NOT NULL,
                PRIMARY KEY (account_id, day, session_id)
            ) WITHOUT ROWID;
            INSERT INTO session_days (account_id, day, session_id)
            SELECT DISTINCT account_id, (date_time - ((date_time % 86400000) + 86400000) % 86400000) / 86400000, session_id FROM messages;
            DROP INDEX messages_by_hash;
            ALTER TABLE messages DROP COLUMN message_hash;
            CREATE UNIQUE INDEX messages_by_message_id ON messages (account_id, message_id) WHERE message_id IS NOT NULL;
            DELETE FROM schema_version WHERE version > 1;
            """);

        await using (var store = new SqliteArchiveStore(path))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        Assert.Equal(kept, await ReadDayStatisticsAsync(path));
        Assert.Equal(SqliteSchema.Versions.Length, await ScalarAsync(path, "SELECT max(version) FROM schema_version;"));

        // Version 6 hashed the stored message ids as imports do: the same lines again are all duplicates.
        Assert.Equal(100, await ScalarAsync(path, "SELECT count(*) FROM messages WHERE message_hash IS NOT NULL;"));
        var again = await ImportSampleAsync(path, createAccount: false);
        Assert.Equal((0, 200), (again.Stored, again.Duplicates));
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
        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => newer.InitializeAsync(CancellationToken.None));
        Assert.Contains($"has schema version {SqliteSchema.Versions.Length + 1}, newer than this zoomchat knows", error.Message, StringComparison.Ordinal);
    }

    private static async Task<ZoomChat.Server.Interchange.ImportSummary> ImportSampleAsync(string path, bool createAccount = true)
    {
        await using var store = new SqliteArchiveStore(path);
        await store.InitializeAsync(CancellationToken.None);
        if (createAccount)
        {
            await store.CreateAccountAsync("acme", DateTimeOffset.UnixEpoch, CancellationToken.None);
        }

        var lines = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            // Three sessions over five days, several messages a day, some at the same instant; and
            // the same before 1970, whose days and times are negative.
            var at = new DateTime(i < 150 ? 2016 : 1969, 1, 16, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i * 37 / 2 * 3);
            lines.Add(Lines.Message($"s-{i % 3}", at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), $"message {i}", $"user{i % 4}@acme.com", messageId: i % 2 == 0 ? $"m-{i}" : null));
        }

        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        var summary = await new ZoomChat.Server.Interchange.ArchiveImporter(store).ImportAsync(
            input, "acme", progress: null, onRejected: problem => Assert.Fail(problem.Reason), CancellationToken.None);
        Assert.Equal(200, summary.Stored + summary.Duplicates);
        return summary;
    }

    /// <summary>Per session and day: its message count and newest arrival, its account, latest time and newest arrival again.</summary>
    private static async Task<List<string>> ReadDayStatisticsAsync(string path)
    {
        await using var connection = await OpenAsync(path);
        var days = new Dictionary<(long SessionId, long Day), string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT account_id, day, sessions FROM account_days;";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var sessions = reader.GetFieldValue<byte[]>(2);
                Assert.Equal(0, sessions.Length % AccountDay.EntrySize);
                for (var i = 0; i < AccountDay.Count(sessions); i++)
                {
                    var entry = AccountDay.Read(sessions, i);
                    Assert.True(i == 0 || AccountDay.Read(sessions, i - 1).SessionId < entry.SessionId, "entries ascend by session");
                    days.Add((entry.SessionId, reader.GetInt64(1)), $"{reader.GetInt64(0)} {entry.LastTime} {entry.MaxArrival}");
                }
            }
        }

        var rows = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT session_id, day, messages, max_arrival FROM session_day_stats ORDER BY session_id, day;";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var (sessionId, day) = (reader.GetInt64(0), reader.GetInt64(1));
                rows.Add($"{sessionId} {day} {reader.GetInt64(2)} {reader.GetInt64(3)} {days[(sessionId, day)]}");
                days.Remove((sessionId, day));
            }
        }

        Assert.Empty(days);
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
