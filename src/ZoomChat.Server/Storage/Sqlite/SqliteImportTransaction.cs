using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// One import batch on SQLite: an IMMEDIATE transaction, so that no other writer comes between a
/// chunk's reads and its writes, and the ids read at its start are the ones new rows take. Every
/// statement is prepared once and re-bound per key or row. The per-day tallies that chat/list and
/// chat/get read (<c>account_days</c>, <c>session_day_stats</c>) are summed here and written at
/// commit, once per account and day or session and day, rather than by every message.
/// </summary>
internal sealed class SqliteImportTransaction : IImportTransaction
{
    /// <summary>
    /// The import connection's page cache, in KiB (SQLite's default is 2 MB): the indexes on messages
    /// take inserts all over their B-trees, and a small cache reads the same pages back from the file
    /// system on every batch. Sized for the import's memory budget (docs/benchmarks.md#import).
    /// </summary>
    private const int ImportCacheKib = 64 * 1024;
    private const int IndexBuildCacheKib = 16 * 1024;

    private const string IndexExists = $"SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '{SqliteSchema.DeferredIndexName}';";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);
    private readonly SessionDayTallies _days = new();
    private long _nextSessionId;
    private long _nextUserId;
    private long _nextArrival;
    private bool _committed;

    /// <summary>Whether <see cref="SqliteSchema.DeferredIndexName"/> is missing: dropped by the first batch into an empty store.</summary>
    private bool _indexDeferred;

    private SqliteImportTransaction(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>
    /// The 64-bit hash under which a message id is indexed (schema version 6): an integer index costs
    /// an import far less than one on the text, and every hit is checked against the stored id.
    /// </summary>
    public static long MessageIdHash(long accountId, string messageId)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = 8 + Encoding.UTF8.GetByteCount(messageId);
        Span<byte> bytes = length <= buffer.Length ? buffer[..length] : new byte[length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, accountId);
        Encoding.UTF8.GetBytes(messageId, bytes[8..]);
        return unchecked((long)XxHash3.HashToUInt64(bytes));
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
        var batch = new SqliteImportTransaction(connection, transaction);
        try
        {
            batch._nextSessionId = batch.Max("SELECT coalesce(max(id), 0) FROM sessions;") + 1;
            batch._nextUserId = batch.Max("SELECT coalesce(max(id), 0) FROM users;") + 1;
            batch._nextArrival = batch.Max("SELECT coalesce(max(id), 0) FROM messages;") + 1;
            batch._indexDeferred = batch.Max(IndexExists) == 0;
            if (!batch._indexDeferred && batch._nextArrival == 1)
            {
                // An empty store: the index is built after the load (SqliteArchiveStore.CompleteImportAsync).
                batch.Statement($"DROP INDEX {SqliteSchema.DeferredIndexName};").Execute();
                batch._indexDeferred = true;
            }

            return batch;
        }
        catch
        {
            await batch.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Builds the index an import into an empty store put off, if it is missing, with SQLite's sorter
    /// on both cores (https://www.sqlite.org/pragma.html#pragma_threads).
    /// </summary>
    public static async Task BuildDeferredIndexAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = SqliteArchiveStore.Command(connection, IndexExists);
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            return;
        }

        // The sorter holds about four times cache_size with two threads (263 MB at 64 MiB on 10M messages,
        // 69 MB at 16 MiB, no slower): the import's RSS budget (docs/benchmarks.md#import).
        await using var build = SqliteArchiveStore.Command(
            connection, $"PRAGMA cache_size=-{IndexBuildCacheKib}; PRAGMA threads=2; {SqliteSchema.DeferredIndex} PRAGMA threads=0;");
        await build.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task ReadAsync(ImportKeys keys, StoredKeys stored, CancellationToken cancellationToken)
    {
        if (_indexDeferred && keys.Instants.Count > 0)
        {
            // A line without message_id looks its duplicates up by session and instant.
            Statement(SqliteSchema.DeferredIndex).Execute();
            _indexDeferred = false;
        }

        (stored.NextSessionId, stored.NextUserId, stored.NextArrival) = (_nextSessionId, _nextUserId, _nextArrival);
        var accounts = Statement("SELECT id FROM accounts WHERE name = ?1;");
        foreach (var name in keys.Accounts)
        {
            accounts.Bind(1, name);
            if (accounts.Read())
            {
                stored.Accounts[name] = accounts.Int64(0);
            }

            accounts.Reset();
        }

        var sessions = Statement("SELECT id, type, group_name FROM sessions WHERE account_id = ?1 AND public_id = ?2;");
        var members = Statement("SELECT user_id FROM participants WHERE session_id = ?1;");
        foreach (var (accountId, sessionId) in keys.Sessions)
        {
            sessions.Bind(1, accountId);
            sessions.Bind(2, sessionId);
            if (!sessions.Read())
            {
                sessions.Reset();
                continue;
            }

            var (id, type, groupName) = (sessions.Int64(0), sessions.Text(1)!, sessions.Text(2)!);
            sessions.Reset();
            var participants = new HashSet<long>();
            members.Bind(1, id);
            while (members.Read())
            {
                participants.Add(members.Int64(0));
            }

            members.Reset();
            stored.Sessions[(accountId, sessionId)] = new ImportedSession(id, type, groupName, participants);
        }

        var users = Statement("SELECT id FROM users WHERE account_id = ?1 AND email = ?2;");
        foreach (var (accountId, email) in keys.Users)
        {
            users.Bind(1, accountId);
            users.Bind(2, email);
            if (users.Read())
            {
                stored.Users[(accountId, email)] = users.Int64(0);
            }

            users.Reset();
        }

        // A hash shared by another id (or account) is passed over: only the stored id decides, compared by SQLite.
        // A stored text equal to the line's is answered with the line's own string (ImportKeys.MessageIds): a duplicate's is not read back.
        var byHash = Statement(
            """
            SELECT session_id, date_time, sender_id, CASE WHEN body = ?4 THEN NULL ELSE body END, id
            FROM messages WHERE message_hash = ?1 AND account_id = ?2 AND message_id = ?3;
            """);

        // A second import of a file, or of an export overlapping an earlier one, meets its messages in the order
        // they were stored: the row after the last one found is tried first, a step along the table instead of a search.
        var following = Statement("SELECT account_id, message_id, session_id, date_time, sender_id, body, id FROM messages WHERE id > ?1 ORDER BY id;");
        var stepping = false;
        foreach (var ((accountId, messageId), text) in keys.MessageIds)
        {
            if (stepping && following.Read() && following.Int64(0) == accountId && following.TextEquals(1, messageId))
            {
                stored.Messages[(accountId, messageId)] = new MessageIdentity(
                    following.Int64(2), following.Int64(3), following.NullableInt64(4), following.TextEquals(5, text) ? text : following.Text(5)!);
                continue;
            }

            if (stepping)
            {
                following.Reset();
                stepping = false;
            }

            byHash.Bind(1, MessageIdHash(accountId, messageId));
            byHash.Bind(2, accountId);
            byHash.Bind(3, messageId);
            byHash.Bind(4, text);
            if (byHash.Read())
            {
                stored.Messages[(accountId, messageId)] = new MessageIdentity(
                    byHash.Int64(0), byHash.Int64(1), byHash.NullableInt64(2), byHash.Text(3) ?? text);
                following.Bind(1, byHash.Int64(4));
                stepping = true;
            }

            byHash.Reset();
        }

        following.Reset();

        var instants = Statement(
            """
            SELECT m.sender_id, m.body FROM sessions s JOIN messages m ON m.session_id = s.id
            WHERE s.account_id = ?1 AND s.public_id = ?2 AND m.date_time = ?3;
            """);
        foreach (var key in keys.Instants)
        {
            instants.Bind(1, key.AccountId);
            instants.Bind(2, key.SessionId);
            instants.Bind(3, key.DateTimeMs);
            List<(long? SenderId, string Text)>? same = null;
            while (instants.Read())
            {
                (same ??= []).Add((instants.NullableInt64(0), instants.Text(1)!));
            }

            instants.Reset();
            if (same is not null)
            {
                stored.Instants[key] = same;
            }
        }

        return Task.CompletedTask;
    }

    public Task WriteAsync(ImportChanges changes, CancellationToken cancellationToken)
    {
        var sessions = Statement("INSERT INTO sessions (id, account_id, public_id, type, group_name) VALUES (?1, ?2, ?3, ?4, ?5);");
        foreach (var session in changes.Sessions)
        {
            sessions.Bind(1, session.Id);
            sessions.Bind(2, session.AccountId);
            sessions.Bind(3, session.PublicId);
            sessions.Bind(4, session.Type);
            sessions.Bind(5, session.GroupName);
            sessions.Execute();
            _nextSessionId = Math.Max(_nextSessionId, session.Id + 1);
        }

        var users = Statement("INSERT INTO users (id, account_id, email) VALUES (?1, ?2, ?3);");
        foreach (var user in changes.Users)
        {
            users.Bind(1, user.Id);
            users.Bind(2, user.AccountId);
            users.Bind(3, user.Email);
            users.Execute();
            _nextUserId = Math.Max(_nextUserId, user.Id + 1);
        }

        var groupNames = Statement("UPDATE sessions SET group_name = ?2 WHERE id = ?1;");
        foreach (var (sessionId, groupName) in changes.GroupNames)
        {
            groupNames.Bind(1, sessionId);
            groupNames.Bind(2, groupName);
            groupNames.Execute();
        }

        var messages = Statement(
            """
            INSERT INTO messages (id, account_id, session_id, date_time, sender_id, message_id, message_hash, body)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);
            """);

        // The full-text index (docs/search.md) in the same transaction: a crash leaves both or neither.
        var search = Statement(
            "INSERT INTO message_search (rowid, body, account, date_time, session_id, sender_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6);");
        foreach (var message in changes.Messages)
        {
            messages.Bind(1, message.Arrival);
            messages.Bind(2, message.AccountId);
            messages.Bind(3, message.SessionId);
            messages.Bind(4, message.DateTimeMs);
            messages.Bind(5, message.SenderId);
            messages.Bind(6, message.MessageId);
            messages.Bind(7, message.MessageId is { } id ? MessageIdHash(message.AccountId, id) : null);
            messages.Bind(8, message.Text);
            messages.Execute();
            search.Bind(1, message.Arrival);
            search.Bind(2, message.Text);
            search.Bind(3, message.AccountId);
            search.Bind(4, message.DateTimeMs);
            search.Bind(5, message.SessionId);
            search.Bind(6, message.SenderId);
            search.Execute();
            _nextArrival = Math.Max(_nextArrival, message.Arrival + 1);
            _days.Add(message);
        }

        var participants = Statement("INSERT OR IGNORE INTO participants (session_id, user_id, since_arrival) VALUES (?1, ?2, ?3);");
        foreach (var participant in changes.Participants)
        {
            participants.Bind(1, participant.SessionId);
            participants.Bind(2, participant.UserId);
            participants.Bind(3, participant.SinceArrival);
            participants.Execute();
        }

        return Task.CompletedTask;
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var stats = Statement(
            """
            INSERT INTO session_day_stats (session_id, day, messages, max_arrival) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (session_id, day) DO UPDATE SET messages = messages + excluded.messages, max_arrival = excluded.max_arrival;
            """);
        var accountDays = new Dictionary<(long AccountId, long Day), List<SessionDay>>();
        foreach (var ((sessionId, day), tally) in _days)
        {
            stats.Bind(1, sessionId);
            stats.Bind(2, day);
            stats.Bind(3, tally.Messages);
            stats.Bind(4, tally.MaxArrival);
            stats.Execute();
            if (!accountDays.TryGetValue((tally.AccountId, day), out var sessions))
            {
                accountDays.Add((tally.AccountId, day), sessions = []);
            }

            sessions.Add(new SessionDay(sessionId, tally.LastTime, tally.MaxArrival));
        }

        await using (var read = SqliteArchiveStore.Command(_connection, "SELECT sessions FROM account_days WHERE account_id = $account AND day = $day;"))
        await using (var write = SqliteArchiveStore.Command(
            _connection,
            """
            INSERT INTO account_days (account_id, day, sessions) VALUES ($account, $day, $sessions)
            ON CONFLICT (account_id, day) DO UPDATE SET sessions = excluded.sessions;
            """))
        {
            foreach (var ((accountId, day), sessions) in accountDays)
            {
                sessions.Sort((a, b) => a.SessionId.CompareTo(b.SessionId));
                read.Parameters.Clear();
                read.Parameters.AddWithValue("$account", accountId);
                read.Parameters.AddWithValue("$day", day);
                var stored = await read.ExecuteScalarAsync(cancellationToken) as byte[] ?? [];
                write.Parameters.Clear();
                write.Parameters.AddWithValue("$account", accountId);
                write.Parameters.AddWithValue("$day", day);
                write.Parameters.AddWithValue("$sessions", AccountDay.Merge(stored, sessions));
                await write.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        _days.Clear();
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
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

    private long Max(string sql)
    {
        var statement = Statement(sql);
        statement.Read();
        var value = statement.Int64(0);
        statement.Reset();
        return value;
    }

    private SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(_connection, sql);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>What this batch added to one session's day.</summary>
}
