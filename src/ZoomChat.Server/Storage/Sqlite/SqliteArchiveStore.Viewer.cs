using Microsoft.Data.Sqlite;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>The web viewer's sign-in links and sessions (docs/viewer.md#signing-in), in the tables of schema version 9.</summary>
internal sealed partial class SqliteArchiveStore : IViewerStore
{
    public async Task CreateSignInLinkAsync(
        long accountId, long userId, byte[] linkHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO viewer_links (link_hash, account_id, user_id, created_ms, expires_ms) VALUES ($hash, $account, $user, $now, $expires);
            DELETE FROM viewer_links WHERE expires_ms < $now - 86400000;
            DELETE FROM viewer_sessions WHERE expires_ms < $now;
            """);
        command.Parameters.AddWithValue("$hash", linkHash);
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RedeemSignInLinkAsync(
        byte[] linkHash, byte[] sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Microsoft.Data.Sqlite begins IMMEDIATE: two processes opening one link at once take turns, and only the first marks it used.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var use = Command(
            connection,
            """
            UPDATE viewer_links SET used_ms = $now
            WHERE link_hash = $hash AND used_ms IS NULL AND expires_ms > $now
              AND EXISTS (SELECT 1 FROM users u WHERE u.id = viewer_links.user_id AND u.account_id = viewer_links.account_id AND u.archive_viewer <> 0)
            RETURNING account_id, user_id;
            """);
        use.Transaction = transaction;
        use.Parameters.AddWithValue("$hash", linkHash);
        use.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        long accountId, userId;
        await using (var reader = await use.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            (accountId, userId) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await using var open = Command(
            connection,
            "INSERT INTO viewer_sessions (session_hash, account_id, user_id, created_ms, expires_ms) VALUES ($hash, $account, $user, $now, $expires);");
        open.Transaction = transaction;
        open.Parameters.AddWithValue("$hash", sessionHash);
        open.Parameters.AddWithValue("$account", accountId);
        open.Parameters.AddWithValue("$user", userId);
        open.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        open.Parameters.AddWithValue("$expires", sessionExpiresAt.ToUnixTimeMilliseconds());
        await open.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<SignedInViewer?> FindViewerSessionAsync(byte[] sessionHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            SELECT s.account_id, a.name, s.user_id, u.email, s.expires_ms
            FROM viewer_sessions s
            JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
            JOIN accounts a ON a.id = s.account_id
            WHERE s.session_hash = $hash AND s.expires_ms > $now AND u.archive_viewer <> 0;
            """);
        command.Parameters.AddWithValue("$hash", sessionHash);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SignedInViewer(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), Instant(reader, 4)!.Value)
            : null;
    }

    public async Task EndViewerSessionAsync(byte[] sessionHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "DELETE FROM viewer_sessions WHERE session_hash = $hash;");
        command.Parameters.AddWithValue("$hash", sessionHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DateOnly?> LatestActiveDayAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT max(day) FROM account_days WHERE account_id = $account;");
        command.Parameters.AddWithValue("$account", accountId);
        return await command.ExecuteScalarAsync(cancellationToken) is long day
            ? DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(day))
            : null;
    }
}
