namespace ZoomChat.Server.Storage.Postgres;

/// <summary>The web viewer's sign-in links and sessions (docs/viewer.md#signing-in), in the tables of PostgreSQL schema version 3.</summary>
internal sealed partial class PostgresArchiveStore : IViewerStore
{
    public async Task CreateSignInLinkAsync(
        long accountId, long userId, byte[] linkHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        // One statement a command: a command with $1-style parameters is one statement (https://www.npgsql.org/doc/basic-usage.html#positional-and-named-placeholders).
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(
            connection,
            "INSERT INTO viewer_links (link_hash, account_id, user_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5);",
            cancellationToken,
            linkHash,
            accountId,
            userId,
            nowMs,
            expiresAt.ToUnixTimeMilliseconds());
        await ExecuteAsync(connection, "DELETE FROM viewer_links WHERE expires_ms < $1;", cancellationToken, nowMs - 86_400_000);
        await ExecuteAsync(connection, "DELETE FROM viewer_sessions WHERE expires_ms < $1;", cancellationToken, nowMs);
    }

    public async Task<bool> RedeemSignInLinkAsync(
        byte[] linkHash, byte[] sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The UPDATE locks the link's row: of two processes opening one link at once, the second waits, reads
        // it again as the first left it (READ COMMITTED, https://www.postgresql.org/docs/15/transaction-iso.html)
        // and finds it used.
        long accountId, userId;
        await using (var use = Command(
            connection,
            """
            UPDATE viewer_links l SET used_ms = $2
            WHERE l.link_hash = $1 AND l.used_ms IS NULL AND l.expires_ms > $2
              AND EXISTS (SELECT 1 FROM users u WHERE u.id = l.user_id AND u.account_id = l.account_id AND u.archive_viewer)
            RETURNING l.account_id, l.user_id;
            """,
            linkHash,
            now.ToUnixTimeMilliseconds()))
        await using (var reader = await use.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            (accountId, userId) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        await ExecuteAsync(
            connection,
            "INSERT INTO viewer_sessions (session_hash, account_id, user_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5);",
            cancellationToken,
            sessionHash,
            accountId,
            userId,
            now.ToUnixTimeMilliseconds(),
            sessionExpiresAt.ToUnixTimeMilliseconds());
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<SignedInViewer?> FindViewerSessionAsync(byte[] sessionHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = await ListAsync(
            """
            SELECT s.account_id, a.name, s.user_id, u.email, s.expires_ms
            FROM viewer_sessions s
            JOIN users u ON u.id = s.user_id AND u.account_id = s.account_id
            JOIN accounts a ON a.id = s.account_id
            WHERE s.session_hash = $1 AND s.expires_ms > $2 AND u.archive_viewer;
            """,
            r => new SignedInViewer(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), Instant(r, 4)!.Value),
            cancellationToken,
            sessionHash,
            now.ToUnixTimeMilliseconds());
        return found.Count == 0 ? null : found[0];
    }

    public Task EndViewerSessionAsync(byte[] sessionHash, CancellationToken cancellationToken) =>
        NonQueryAsync("DELETE FROM viewer_sessions WHERE session_hash = $1;", cancellationToken, sessionHash);

    public async Task<DateOnly?> LatestActiveDayAsync(long accountId, CancellationToken cancellationToken) =>
        await ScalarAsync("SELECT max(day) FROM session_days WHERE account_id = $1;", cancellationToken, accountId) is long day
            ? DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(day))
            : null;
}
