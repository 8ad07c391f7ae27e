using Microsoft.Data.Sqlite;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// Removes sessions from the SQLite store in one IMMEDIATE transaction, keeping every table that
/// summarises or indexes messages exact (SqliteSchema: <c>session_day_stats</c>, <c>account_days</c>,
/// <c>message_search</c>), and
/// records each removal in <c>session_removals</c> (docs/operations.md#removing-a-session). A check
/// that must be able to refuse a removal, such as a legal hold, belongs in the same transaction,
/// before anything is deleted.
/// <para>
/// The snapshot mark is the newest arrival, max(messages.id), and the chat/list index and caches are
/// exact for a mark (ChatListIndex, AccountDayCache). A removal changes what a mark shows, so it takes a
/// mark of its own: it stores one placeholder row in <c>messages</c> (session 0, which no session has,
/// so no read ever returns it) whose id is the new mark. Every snapshot taken from then on has a mark
/// no snapshot before the removal had, so nothing built or cached for an older mark answers it; and
/// since the placeholder is the newest row, no later message takes the arrival number of a removed
/// one (SQLite gives a new row the largest id plus one). Only the latest placeholder is kept. Snapshots
/// older than the removal are refused where a page token brings one back (ChatRequestHandler).
/// </para>
/// </summary>
internal static class SqliteSessionRemoval
{
    public static async Task<IReadOnlyList<SessionRemoval>?> RemoveAsync(
        SqliteConnection connection, string account, IReadOnlyList<string> sessionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await ScalarAsync(connection, "SELECT id FROM accounts WHERE name = $p0;", cancellationToken, account) is not long accountId)
        {
            return null;
        }

        var sessions = new List<(long Id, string PublicId, string Type, string GroupName)>();
        foreach (var sessionId in sessionIds.Distinct(StringComparer.Ordinal))
        {
            await using var find = Command(connection, "SELECT id, type, group_name FROM sessions WHERE account_id = $p0 AND public_id = $p1;", accountId, sessionId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new KeyNotFoundException($"There is no session '{sessionId}' in account '{account}'; nothing was removed.");
            }

            sessions.Add((reader.GetInt64(0), sessionId, reader.GetString(1), reader.GetString(2)));
        }

        // Taken before anything is deleted, so that it is above every arrival number the store has given.
        var mark = (long)(await ScalarAsync(
            connection, "INSERT INTO messages (account_id, session_id, date_time, body) VALUES (0, 0, 0, '') RETURNING id;", cancellationToken))!;
        await ExecuteAsync(connection, "DELETE FROM messages WHERE session_id = 0 AND id < $p0;", cancellationToken, mark);

        var removals = new List<SessionRemoval>();
        foreach (var session in sessions)
        {
            long messages, participants;
            long? first, last;
            await using (var count = Command(connection, "SELECT count(*), min(date_time), max(date_time) FROM messages WHERE session_id = $p0;", session.Id))
            await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (messages, first, last) = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
            }

            participants = (long)(await ScalarAsync(connection, "SELECT count(*) FROM participants WHERE session_id = $p0;", cancellationToken, session.Id))!;

            // The session's days, from its tallies: each day's account_days row loses its entry.
            var days = new List<long>();
            await using (var read = Command(connection, "SELECT day FROM session_day_stats WHERE session_id = $p0;", session.Id))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    days.Add(reader.GetInt64(0));
                }
            }

            foreach (var day in days)
            {
                if (await ScalarAsync(connection, "SELECT sessions FROM account_days WHERE account_id = $p0 AND day = $p1;", cancellationToken, accountId, day) is byte[] stored)
                {
                    var left = AccountDay.Without(stored, session.Id);
                    await ExecuteAsync(
                        connection,
                        left.Length == 0
                            ? "DELETE FROM account_days WHERE account_id = $p0 AND day = $p1;"
                            : "UPDATE account_days SET sessions = $p2 WHERE account_id = $p0 AND day = $p1;",
                        cancellationToken,
                        accountId,
                        day,
                        left);
                }
            }

            await ExecuteAsync(connection, "DELETE FROM session_day_stats WHERE session_id = $p0;", cancellationToken, session.Id);
            await ExecuteAsync(
                connection, "DELETE FROM message_search WHERE rowid IN (SELECT id FROM messages WHERE session_id = $p0);", cancellationToken, session.Id);
            await ExecuteAsync(connection, "DELETE FROM messages WHERE session_id = $p0;", cancellationToken, session.Id);
            await ExecuteAsync(connection, "DELETE FROM participants WHERE session_id = $p0;", cancellationToken, session.Id);
            await ExecuteAsync(connection, "DELETE FROM sessions WHERE id = $p0;", cancellationToken, session.Id);
            removals.Add(new SessionRemoval(now, account, session.PublicId, session.Type, session.GroupName, messages, participants, first, last));
        }

        foreach (var removal in removals)
        {
            await ExecuteAsync(
                connection,
                """
                INSERT INTO session_removals (removed_ms, account_id, account, session_id, type, group_name, messages, participants, first_ms, last_ms, mark)
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10);
                """,
                cancellationToken,
                now.ToUnixTimeMilliseconds(), accountId, account, removal.SessionId, removal.Type, removal.GroupName,
                removal.Messages, removal.Participants, removal.FirstMessageMs, removal.LastMessageMs, mark);
        }

        await transaction.CommitAsync(cancellationToken);
        return removals;
    }

    public static async Task<IReadOnlyList<SessionRemoval>> ListAsync(SqliteConnection connection, string? account, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            """
            SELECT removed_ms, account, session_id, type, group_name, messages, participants, first_ms, last_ms
            FROM session_removals WHERE $p0 IS NULL OR account = $p0 ORDER BY id;
            """,
            account);
        var removals = new List<SessionRemoval>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            removals.Add(new SessionRemoval(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8)));
        }

        return removals;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params object?[] values)
    {
        var command = SqliteArchiveStore.Command(connection, sql);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"$p{i}", values[i] ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
