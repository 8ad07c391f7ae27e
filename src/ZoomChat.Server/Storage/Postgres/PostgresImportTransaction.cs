using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ZoomChat.Server.Storage.Postgres;

/// <summary>
/// One import batch on PostgreSQL: one transaction holding the writers' advisory lock
/// (<see cref="PostgresArchiveStore.WriterLock"/>), so that no other writer comes between a chunk's
/// reads and its writes and the ids read at its start are the ones new rows take. A chunk's keys are
/// looked up a table at a time (arrays joined with the tables); its messages are sent by COPY straight
/// into <c>messages</c> and the search index's <c>message_search</c> (docs/search.md#the-index), and the
/// per-day tallies that chat/list and chat/get read (<c>session_days</c>) are summed here and merged
/// by one statement, all in the same transaction.
/// </summary>
internal sealed class PostgresImportTransaction : IImportTransaction
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private long _nextSessionId;
    private long _nextUserId;
    private long _nextArrival;
    private bool _committed;

    /// <summary>Whether <see cref="PostgresSchema.SessionTimeIndex"/> is missing: dropped by an import into an empty database.</summary>
    private bool _sessionTimeIndexMissing;

    private PostgresImportTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<PostgresImportTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = new PostgresImportTransaction(connection, transaction);
        try
        {
            // The import's commits may be lost to a crash of the database server (not of zoomchat): the
            // import is idempotent, so running it again restores them (docs/operations.md#running-on-postgresql).
            await PostgresArchiveStore.ExecuteAsync(connection, "SET LOCAL synchronous_commit = off;", cancellationToken);
            // The schema lock too, before any table's: a batch may drop or build indexes, as a starting
            // server may, and each taking the tables before the other's lock would deadlock.
            await PostgresArchiveStore.ExecuteAsync(
                connection,
                $"SELECT pg_advisory_xact_lock({PostgresArchiveStore.WriterLock}); SELECT pg_advisory_xact_lock({PostgresArchiveStore.SchemaLock});",
                cancellationToken);
            batch._nextSessionId = await batch.MaxAsync("sessions", cancellationToken) + 1;
            batch._nextUserId = await batch.MaxAsync("users", cancellationToken) + 1;
            batch._nextArrival = await batch.MaxAsync("messages", cancellationToken) + 1;
            if (batch._nextArrival == 1)
            {
                // An empty database: the indexes no import reads are built after the load (PostgresArchiveStore.CompleteImportAsync).
                await PostgresArchiveStore.ExecuteAsync(
                    connection, string.Concat(PostgresSchema.DeferredIndexes.Select(index => $"DROP INDEX IF EXISTS {index.Name};")), cancellationToken);
            }

            batch._sessionTimeIndexMissing = (bool)(await PostgresArchiveStore.ScalarAsync(
                connection, $"SELECT to_regclass('{PostgresSchema.SessionTimeIndex.Name}') IS NULL;", cancellationToken))!;
            return batch;
        }
        catch
        {
            await batch.DisposeAsync();
            throw;
        }
    }

    public async Task ReadAsync(ImportKeys keys, StoredKeys stored, CancellationToken cancellationToken)
    {
        (stored.NextSessionId, stored.NextUserId, stored.NextArrival) = (_nextSessionId, _nextUserId, _nextArrival);
        if (keys.Accounts.Count > 0)
        {
            await ReadAsync(
                "SELECT name, id FROM accounts WHERE name = ANY($1::text[]);",
                r => stored.Accounts[r.GetString(0)] = r.GetInt64(1),
                cancellationToken,
                (object)keys.Accounts.ToArray());
        }

        if (keys.Sessions.Count > 0)
        {
            var found = new Dictionary<long, (long AccountId, string PublicId, string Type, string GroupName, HashSet<long> Participants)>();
            await ReadAsync(
                """
                SELECT s.id, s.account_id, s.public_id, s.type, s.group_name
                FROM unnest($1::bigint[], $2::text[]) AS k(account_id, public_id)
                JOIN sessions s ON s.account_id = k.account_id AND s.public_id = k.public_id;
                """,
                r => found[r.GetInt64(0)] = (r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), []),
                cancellationToken,
                keys.Sessions.Select(k => k.AccountId).ToArray(),
                keys.Sessions.Select(k => k.SessionId).ToArray());
            if (found.Count > 0)
            {
                await ReadAsync(
                    "SELECT session_id, user_id FROM participants WHERE session_id = ANY($1::bigint[]);",
                    r => found[r.GetInt64(0)].Participants.Add(r.GetInt64(1)),
                    cancellationToken,
                    found.Keys.ToArray());
            }

            foreach (var (id, session) in found)
            {
                stored.Sessions[(session.AccountId, session.PublicId)] = new ImportedSession(id, session.Type, session.GroupName, session.Participants);
            }
        }

        if (keys.Users.Count > 0)
        {
            await ReadAsync(
                """
                SELECT u.account_id, u.email, u.id
                FROM unnest($1::bigint[], $2::text[]) AS k(account_id, email)
                JOIN users u ON u.account_id = k.account_id AND u.email = k.email;
                """,
                r => stored.Users[(r.GetInt64(0), r.GetString(1))] = r.GetInt64(2),
                cancellationToken,
                keys.Users.Select(k => k.AccountId).ToArray(),
                keys.Users.Select(k => k.Email).ToArray());
        }

        if (keys.MessageIds.Count > 0)
        {
            await ReadAsync(
                """
                SELECT m.account_id, m.message_id, m.session_id, m.date_time, m.sender_id, m.body
                FROM unnest($1::bigint[], $2::text[]) AS k(account_id, message_id)
                JOIN messages m ON m.account_id = k.account_id AND m.message_id = k.message_id;
                """,
                r => stored.Messages[(r.GetInt64(0), r.GetString(1))] = new MessageIdentity(
                    r.GetInt64(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4), PostgresText.Read(r.GetString(5))),
                cancellationToken,
                keys.MessageIds.Keys.Select(k => k.AccountId).ToArray(),
                keys.MessageIds.Keys.Select(k => k.MessageId).ToArray());
        }

        if (keys.Instants.Count > 0)
        {
            if (_sessionTimeIndexMissing)
            {
                // A line without message_id looks its duplicates up by session and instant, through this index.
                await PostgresArchiveStore.BuildMissingIndexesAsync(_connection, [PostgresSchema.SessionTimeIndex], cancellationToken);
                _sessionTimeIndexMissing = false;
            }

            await ReadAsync(
                """
                SELECT k.account_id, k.public_id, k.date_time, m.sender_id, m.body
                FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS k(account_id, public_id, date_time)
                JOIN sessions s ON s.account_id = k.account_id AND s.public_id = k.public_id
                JOIN messages m ON m.session_id = s.id AND m.date_time = k.date_time
                ORDER BY m.id;
                """,
                r =>
                {
                    var key = (r.GetInt64(0), r.GetString(1), r.GetInt64(2));
                    if (!stored.Instants.TryGetValue(key, out var same))
                    {
                        stored.Instants.Add(key, same = []);
                    }

                    same.Add((r.IsDBNull(3) ? null : r.GetInt64(3), PostgresText.Read(r.GetString(4))));
                },
                cancellationToken,
                keys.Instants.Select(k => k.AccountId).ToArray(),
                keys.Instants.Select(k => k.SessionId).ToArray(),
                keys.Instants.Select(k => k.DateTimeMs).ToArray());
        }
    }

    /// <summary>Makes the messages' search words (the client's share of the write's CPU) while the previous chunk is written.</summary>
    public void Prepare(ImportChanges changes) => changes.Prepared = SearchWords(changes);

    public async Task WriteAsync(ImportChanges changes, CancellationToken cancellationToken)
    {
        if (changes.Sessions.Count > 0)
        {
            await PostgresArchiveStore.ExecuteAsync(
                _connection,
                "INSERT INTO sessions (id, account_id, public_id, type, group_name) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]);",
                cancellationToken,
                changes.Sessions.Select(s => s.Id).ToArray(),
                changes.Sessions.Select(s => s.AccountId).ToArray(),
                changes.Sessions.Select(s => s.PublicId).ToArray(),
                changes.Sessions.Select(s => s.Type).ToArray(),
                changes.Sessions.Select(s => s.GroupName).ToArray());
            _nextSessionId = Math.Max(_nextSessionId, changes.Sessions.Max(s => s.Id) + 1);
        }

        if (changes.Users.Count > 0)
        {
            await PostgresArchiveStore.ExecuteAsync(
                _connection,
                "INSERT INTO users (id, account_id, email) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]);",
                cancellationToken,
                changes.Users.Select(u => u.Id).ToArray(),
                changes.Users.Select(u => u.AccountId).ToArray(),
                changes.Users.Select(u => u.Email).ToArray());
            _nextUserId = Math.Max(_nextUserId, changes.Users.Max(u => u.Id) + 1);
        }

        if (changes.GroupNames.Count > 0)
        {
            // The last name given to a session is the one it keeps, as when the names are written one by one.
            var last = new Dictionary<long, string>();
            foreach (var (sessionId, groupName) in changes.GroupNames)
            {
                last[sessionId] = groupName;
            }

            await PostgresArchiveStore.ExecuteAsync(
                _connection,
                "UPDATE sessions s SET group_name = v.group_name FROM unnest($1::bigint[], $2::text[]) AS v(id, group_name) WHERE s.id = v.id;",
                cancellationToken,
                last.Keys.ToArray(),
                last.Values.ToArray());
        }

        if (changes.Messages.Count > 0)
        {
            var words = changes.Prepared is string[] prepared && prepared.Length == changes.Messages.Count ? prepared : SearchWords(changes);
            await using (var copy = await _connection.BeginBinaryImportAsync(
                "COPY messages (id, account_id, session_id, date_time, sender_id, message_id, body) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var message in changes.Messages)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(message.Arrival, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(message.AccountId, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(message.SessionId, NpgsqlDbType.Bigint, cancellationToken);
                    await copy.WriteAsync(message.DateTimeMs, NpgsqlDbType.Bigint, cancellationToken);
                    if (message.SenderId is { } sender)
                    {
                        await copy.WriteAsync(sender, NpgsqlDbType.Bigint, cancellationToken);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }

                    if (message.MessageId is { } id)
                    {
                        await copy.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }

                    await copy.WriteAsync(PostgresText.Store(message.Text), NpgsqlDbType.Text, cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            // In COPY's text format, as the words are a tsvector's text and the server reads that (tsvectorin);
            // their characters are letters and digits, with quotes around: nothing that format escapes but a backslash.
            await using (var search = await _connection.BeginTextImportAsync(
                "COPY message_search (id, account_id, session_id, sender_id, date_time, words) FROM STDIN", cancellationToken))
            {
                var rows = new StringBuilder();
                for (var i = 0; i < words.Length; i++)
                {
                    var message = changes.Messages[i];
                    rows.Append(CultureInfo.InvariantCulture, $"{message.Arrival}\t{message.AccountId}\t{message.SessionId}\t");
                    rows.Append(CultureInfo.InvariantCulture, $"{(message.SenderId is { } sender ? sender.ToString(CultureInfo.InvariantCulture) : "\\N")}\t{message.DateTimeMs}\t");
                    rows.Append(words[i].Replace("\\", "\\\\", StringComparison.Ordinal)).Append('\n');
                }

                await search.WriteAsync(rows, cancellationToken);
            }

            // The per-day tallies, summed here rather than read back from the rows just written.
            var days = new SessionDayTallies();
            foreach (var message in changes.Messages)
            {
                days.Add(message);
            }

            await PostgresArchiveStore.ExecuteAsync(
                _connection,
                """
                INSERT INTO session_days AS d (account_id, day, session_id, messages, last_time, max_arrival)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
                ON CONFLICT (account_id, day, session_id) DO UPDATE SET
                    messages = d.messages + excluded.messages,
                    last_time = greatest(d.last_time, excluded.last_time),
                    max_arrival = greatest(d.max_arrival, excluded.max_arrival);
                """,
                cancellationToken,
                days.Select(d => d.Value.AccountId).ToArray(),
                days.Select(d => d.Key.Day).ToArray(),
                days.Select(d => d.Key.SessionId).ToArray(),
                days.Select(d => d.Value.Messages).ToArray(),
                days.Select(d => d.Value.LastTime).ToArray(),
                days.Select(d => d.Value.MaxArrival).ToArray());
            _nextArrival = Math.Max(_nextArrival, changes.Messages[^1].Arrival + 1);
        }

        if (changes.Participants.Count > 0)
        {
            await PostgresArchiveStore.ExecuteAsync(
                _connection,
                """
                INSERT INTO participants (session_id, user_id, since_arrival)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])
                ON CONFLICT DO NOTHING;
                """,
                cancellationToken,
                changes.Participants.Select(p => p.SessionId).ToArray(),
                changes.Participants.Select(p => p.UserId).ToArray(),
                changes.Participants.Select(p => p.SinceArrival).ToArray());
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            try
            {
                await _transaction.RollbackAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection broke, and the transaction went with it: the error that broke it
                // is the one the caller is already handling.
            }
        }

        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static string[] SearchWords(ImportChanges changes)
    {
        var words = new string[changes.Messages.Count];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = PostgresSearchWords.Vector(changes.Messages[i].Text);
        }

        return words;
    }

    private async Task<long> MaxAsync(string table, CancellationToken cancellationToken) =>
        (long)(await PostgresArchiveStore.ScalarAsync(_connection, $"SELECT coalesce(max(id), 0) FROM {table};", cancellationToken))!;

    private async Task ReadAsync(string sql, Action<NpgsqlDataReader> read, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = PostgresArchiveStore.Command(_connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }
}
