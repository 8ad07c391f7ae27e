using Microsoft.Data.Sqlite;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// One import batch on SQLite: an IMMEDIATE transaction whose statements are prepared once and
/// re-bound for every line, since an import runs them hundreds of thousands of times. The per-day
/// tallies that chat/list and chat/get read (<c>account_days</c>, <c>session_day_stats</c>) are summed
/// here and written at commit, once per account and day or session and day, rather than updated by
/// every message.
/// </summary>
internal sealed class SqliteImportTransaction : IImportTransaction
{
    /// <summary>
    /// The import connection's page cache, in KiB (SQLite's default is 2 MB). The indexes on messages
    /// take inserts all over their B-trees, and with the default cache every batch reads the same pages
    /// back from the file system. A larger cache gains little more and spends the import's memory,
    /// which must stay within its limit (docs/benchmarks.md#targets, docs/benchmarks.md#fifth-pass).
    /// </summary>
    private const int ImportCacheKib = 64 * 1024;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<(long SessionId, long Day), DayTally> _days = [];
    private bool _committed;

    private SqliteImportTransaction(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<SqliteImportTransaction> BeginAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // WAL with synchronous=NORMAL stays consistent after a crash at any point; the import is
        // idempotent, so the last batches lost to a power cut are restored by running it again.
        // The cache stays with the pooled connection, so that the next batch finds its pages still there
        // (in WAL mode SQLite keeps a connection's cache while no other connection has written).
        await using (var pragma = SqliteArchiveStore.Command(connection, $"PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{ImportCacheKib};"))
        {
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        return new SqliteImportTransaction(connection, transaction);
    }

    public async Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken)
    {
        var command = Prepared("SELECT id FROM accounts WHERE name = $p0;", name);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    public async Task<ImportedSession?> FindSessionAsync(long accountId, string sessionId, CancellationToken cancellationToken)
    {
        long id;
        string type, groupName;
        var command = Prepared("SELECT id, type, group_name FROM sessions WHERE account_id = $p0 AND public_id = $p1;", accountId, sessionId);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (id, type, groupName) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }

        var participants = new HashSet<long>();
        var members = Prepared("SELECT user_id FROM participants WHERE session_id = $p0;", id);
        await using (var reader = await members.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                participants.Add(reader.GetInt64(0));
            }
        }

        return new ImportedSession(id, type, groupName, participants);
    }

    public async Task<long> CreateSessionAsync(long accountId, string sessionId, string type, string groupName, CancellationToken cancellationToken)
    {
        var command = Prepared(
            "INSERT INTO sessions (account_id, public_id, type, group_name) VALUES ($p0, $p1, $p2, $p3) RETURNING id;",
            accountId, sessionId, type, groupName);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task SetGroupNameAsync(long sessionId, string groupName, CancellationToken cancellationToken)
    {
        var command = Prepared("UPDATE sessions SET group_name = $p1 WHERE id = $p0;", sessionId, groupName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long?> FindUserAsync(long accountId, string email, CancellationToken cancellationToken)
    {
        var find = Prepared("SELECT id FROM users WHERE account_id = $p0 AND email = $p1;", accountId, email);
        return await find.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    public async Task<long> GetOrCreateUserAsync(long accountId, string email, CancellationToken cancellationToken)
    {
        if (await FindUserAsync(accountId, email, cancellationToken) is { } id)
        {
            return id;
        }

        var insert = Prepared("INSERT INTO users (account_id, email) VALUES ($p0, $p1) RETURNING id;", accountId, email);
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task AddParticipantAsync(long sessionId, long userId, long sinceArrival, CancellationToken cancellationToken)
    {
        var command = Prepared(
            "INSERT OR IGNORE INTO participants (session_id, user_id, since_arrival) VALUES ($p0, $p1, $p2);",
            sessionId, userId, sinceArrival);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<MessageIdentity?> FindMessageByIdAsync(long accountId, string messageId, CancellationToken cancellationToken)
    {
        var command = Prepared(
            "SELECT session_id, date_time, sender_id, body FROM messages WHERE account_id = $p0 AND message_id = $p1;",
            accountId, messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new MessageIdentity(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetString(3))
            : null;
    }

    public async Task<bool> HasSameMessageAsync(long sessionId, long dateTimeMs, long? senderId, string text, CancellationToken cancellationToken)
    {
        var command = Prepared(
            "SELECT 1 FROM messages WHERE session_id = $p0 AND date_time = $p1 AND sender_id IS $p2 AND body = $p3 LIMIT 1;",
            sessionId, dateTimeMs, senderId, text);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<long> InsertMessageAsync(
        long accountId, long sessionId, string? messageId, long? senderId, long dateTimeMs, string text, CancellationToken cancellationToken)
    {
        var insert = Prepared(
            "INSERT INTO messages (account_id, session_id, date_time, sender_id, message_id, body) VALUES ($p0, $p1, $p2, $p3, $p4, $p5) RETURNING id;",
            accountId, sessionId, dateTimeMs, senderId, messageId, text);
        var arrival = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        var key = (sessionId, SqliteArchiveStore.DayOf(dateTimeMs));
        if (_days.TryGetValue(key, out var tally))
        {
            // Arrivals only grow, so this message's is the day's newest.
            _days[key] = tally with { Messages = tally.Messages + 1, LastTime = Math.Max(tally.LastTime, dateTimeMs), MaxArrival = arrival };
        }
        else
        {
            _days[key] = new DayTally(accountId, 1, dateTimeMs, arrival);
        }

        return arrival;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var accountDays = new Dictionary<(long AccountId, long Day), List<SessionDay>>();
        foreach (var ((sessionId, day), tally) in _days)
        {
            var stats = Prepared(
                """
                INSERT INTO session_day_stats (session_id, day, messages, max_arrival) VALUES ($p0, $p1, $p2, $p3)
                ON CONFLICT (session_id, day) DO UPDATE SET messages = messages + excluded.messages, max_arrival = excluded.max_arrival;
                """,
                sessionId, day, tally.Messages, tally.MaxArrival);
            await stats.ExecuteNonQueryAsync(cancellationToken);
            if (!accountDays.TryGetValue((tally.AccountId, day), out var sessions))
            {
                accountDays.Add((tally.AccountId, day), sessions = []);
            }

            sessions.Add(new SessionDay(sessionId, tally.LastTime, tally.MaxArrival));
        }

        foreach (var ((accountId, day), sessions) in accountDays)
        {
            sessions.Sort((a, b) => a.SessionId.CompareTo(b.SessionId));
            var read = Prepared("SELECT sessions FROM account_days WHERE account_id = $p0 AND day = $p1;", accountId, day);
            var stored = await read.ExecuteScalarAsync(cancellationToken) as byte[] ?? [];
            var write = Prepared(
                """
                INSERT INTO account_days (account_id, day, sessions) VALUES ($p0, $p1, $p2)
                ON CONFLICT (account_id, day) DO UPDATE SET sessions = excluded.sessions;
                """,
                accountId, day, AccountDay.Merge(stored, sessions));
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        _days.Clear();
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        if (!_committed)
        {
            try
            {
                await _transaction.RollbackAsync();
            }
            catch (SqliteException)
            {
                // The connection broke, and the transaction went with it: the error that broke it
                // is the one the caller is already handling.
            }
        }

        await _transaction.DisposeAsync();
        await using (var pragma = SqliteArchiveStore.Command(_connection, "PRAGMA synchronous=FULL;"))
        {
            await pragma.ExecuteNonQueryAsync();
        }

        await _connection.DisposeAsync();
    }

    private SqliteCommand Prepared(string sql, params object?[] values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = SqliteArchiveStore.Command(_connection, sql);
            command.Transaction = _transaction;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter($"$p{i}", null));
            }

            command.Prepare();
            _commands.Add(sql, command);
        }

        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    /// <summary>What this batch added to one session's day.</summary>
    private readonly record struct DayTally(long AccountId, long Messages, long LastTime, long MaxArrival);
}
