using Npgsql;

namespace ZoomChat.Server.Storage.Postgres;

/// <summary>
/// Removes sessions from the PostgreSQL store in one transaction under the writers' lock, keeping
/// <c>session_days</c> exact and leaving no row of the sessions in <c>message_search</c>, and records each removal (docs/operations.md#removing-a-session). As on
/// SQLite, the removal takes a snapshot mark of its own: a placeholder row in <c>messages</c> (session 0,
/// which no session has) whose id, max + 1, is the new mark, so that nothing cached for an older mark
/// answers a newer snapshot and no later message takes a removed one's arrival number. Only the latest
/// placeholder is kept.
/// </summary>
internal static class PostgresSessionRemoval
{
    public static async Task<IReadOnlyList<SessionRemoval>?> RemoveAsync(
        NpgsqlConnection connection, string account, IReadOnlyList<string> sessionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresArchiveStore.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresArchiveStore.WriterLock});", cancellationToken);
        if (await PostgresArchiveStore.ScalarAsync(connection, "SELECT id FROM accounts WHERE name = $1;", cancellationToken, account) is not long accountId)
        {
            return null;
        }

        var sessions = new List<(long Id, string PublicId, string Type, string GroupName)>();
        foreach (var sessionId in sessionIds.Distinct(StringComparer.Ordinal))
        {
            await using var find = PostgresArchiveStore.Command(connection, "SELECT id, type, group_name FROM sessions WHERE account_id = $1 AND public_id = $2;", accountId, sessionId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new KeyNotFoundException($"There is no session '{sessionId}' in account '{account}'; nothing was removed.");
            }

            sessions.Add((reader.GetInt64(0), sessionId, reader.GetString(1), reader.GetString(2)));
        }

        // Taken before anything is deleted, so that it is above every arrival number the store has given.
        var mark = (long)(await PostgresArchiveStore.ScalarAsync(
            connection,
            "INSERT INTO messages (id, account_id, session_id, date_time, body) SELECT coalesce(max(id), 0) + 1, 0, 0, 0, '' FROM messages RETURNING id;",
            cancellationToken))!;
        await PostgresArchiveStore.ExecuteAsync(connection, "DELETE FROM messages WHERE session_id = 0 AND id < $1;", cancellationToken, mark);

        var removals = new List<SessionRemoval>();
        foreach (var session in sessions)
        {
            long messages;
            long? first, last;
            await using (var count = PostgresArchiveStore.Command(connection, "SELECT count(*), min(date_time), max(date_time) FROM messages WHERE session_id = $1;", session.Id))
            await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (messages, first, last) = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
            }

            var participants = (long)(await PostgresArchiveStore.ScalarAsync(connection, "SELECT count(*) FROM participants WHERE session_id = $1;", cancellationToken, session.Id))!;
            await PostgresArchiveStore.ExecuteAsync(connection, "DELETE FROM session_days WHERE account_id = $1 AND session_id = $2;", cancellationToken, accountId, session.Id);
            await PostgresArchiveStore.ExecuteAsync(connection, "DELETE FROM messages WHERE session_id = $1;", cancellationToken, session.Id);
            await PostgresArchiveStore.ExecuteAsync(connection, "DELETE FROM message_search WHERE session_id = $1;", cancellationToken, session.Id);
            await PostgresArchiveStore.ExecuteAsync(connection, "DELETE FROM participants WHERE session_id = $1;", cancellationToken, session.Id);
            await PostgresArchiveStore.ExecuteAsync(connection, "DELETE FROM sessions WHERE id = $1;", cancellationToken, session.Id);
            removals.Add(new SessionRemoval(now, account, session.PublicId, session.Type, session.GroupName, messages, participants, first, last));
        }

        foreach (var removal in removals)
        {
            await PostgresArchiveStore.ExecuteAsync(
                connection,
                """
                INSERT INTO session_removals (removed_ms, account_id, account, session_id, type, group_name, messages, participants, first_ms, last_ms, mark)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
                """,
                cancellationToken,
                now.ToUnixTimeMilliseconds(), accountId, account, removal.SessionId, removal.Type, removal.GroupName,
                removal.Messages, removal.Participants, removal.FirstMessageMs, removal.LastMessageMs, mark);
        }

        await transaction.CommitAsync(cancellationToken);
        return removals;
    }
}
