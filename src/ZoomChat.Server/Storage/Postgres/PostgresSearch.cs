using Npgsql;
using NpgsqlTypes;

namespace ZoomChat.Server.Storage.Postgres;

/// <summary>
/// <see cref="IArchiveSearch"/> on PostgreSQL: <c>message_search</c> (PostgresSchema, version 2) holds each
/// message's words as a <c>tsvector</c> made by <see cref="PostgresSearchWords"/>, with what a search filters
/// and orders by; a GIN index finds the words (docs/search.md#on-postgresql). The tsquery is built from the
/// parsed query only, every word quoted, so that no user text is read as an operator.
/// </summary>
internal static class PostgresSearch
{
    /// <summary>The page's messages found, filtered and ordered from the narrow index table, then read from messages for that page only.</summary>
    private const string PageSql =
        """
        SELECT page.id, page.date_time, s.public_id, m.message_id, u.email, m.body
        FROM (SELECT id, date_time
              FROM message_search
              WHERE account_id = $1
                AND words @@ $2::tsquery
                AND ($3::bigint IS NULL OR session_id = $3)
                AND ($4::bigint IS NULL OR sender_id = $4)
                AND date_time BETWEEN $5 AND $6
                AND (date_time, id) < ($7, $8)
              ORDER BY date_time DESC, id DESC
              LIMIT $9) AS page
        JOIN messages m ON m.id = page.id
        JOIN sessions s ON s.id = m.session_id
        LEFT JOIN users u ON u.id = m.sender_id
        WHERE m.account_id = $1
        ORDER BY page.date_time DESC, page.id DESC;
        """;

    /// <summary>How many stored messages the upgrade indexes at a time.</summary>
    private const int FillChunk = 5_000;

    public static async Task<SearchPage> SearchAsync(
        NpgsqlConnection connection, long accountId, SearchQuery query, SearchCursor? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (query.Phrases.Count == 0)
        {
            throw new ArgumentException("A search needs at least one phrase to look for.", nameof(query));
        }

        var empty = new SearchPage([], null);
        if (PostgresSearchWords.Query(query) is not { } match)
        {
            return empty;
        }

        long? sessionId = null, senderId = null;
        if (query.SessionId is { } publicId)
        {
            if (PostgresArchiveStore.Unstorable(publicId)
                || await PostgresArchiveStore.ScalarAsync(connection, "SELECT id FROM sessions WHERE account_id = $1 AND public_id = $2;", cancellationToken, accountId, publicId) is not long id)
            {
                return empty;
            }

            sessionId = id;
        }

        if (query.Sender is { } email)
        {
            if (PostgresArchiveStore.Unstorable(email)
                || await PostgresArchiveStore.ScalarAsync(connection, "SELECT id FROM users WHERE account_id = $1 AND email = $2;", cancellationToken, accountId, email) is not long id)
            {
                return empty;
            }

            senderId = id;
        }

        await using var command = PostgresArchiveStore.Command(
            connection,
            PageSql,
            accountId,
            match,
            sessionId is { } session ? session : DBNull.Value,
            senderId is { } sender ? sender : DBNull.Value,
            query.FromMs ?? long.MinValue,
            query.ToMs ?? long.MaxValue,
            after?.DateTimeMs ?? long.MaxValue,
            after?.Arrival ?? long.MaxValue,
            // One more than the page: whether it is there says whether a next page is.
            limit + 1L);
        command.Parameters[2].NpgsqlDbType = NpgsqlDbType.Bigint;
        command.Parameters[3].NpgsqlDbType = NpgsqlDbType.Bigint;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SearchPage.ReadAsync(reader, limit, PostgresText.Read, cancellationToken);
    }

    /// <summary>
    /// Indexes every stored message (but the placeholders of session 0, PostgresSessionRemoval) in the
    /// upgrade's transaction: a store written before version 2 finds what it held (docs/search.md#the-index).
    /// </summary>
    public static async Task IndexStoredMessagesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var last = 0L;
        while (true)
        {
            var ids = new List<long>();
            var accounts = new List<long>();
            var sessions = new List<long>();
            var senders = new List<long?>();
            var times = new List<long>();
            var words = new List<string>();
            await using (var read = PostgresArchiveStore.Command(
                connection,
                "SELECT id, account_id, session_id, sender_id, date_time, body FROM messages WHERE id > $1 AND session_id <> 0 ORDER BY id LIMIT $2;",
                last,
                FillChunk))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetInt64(0));
                    accounts.Add(reader.GetInt64(1));
                    sessions.Add(reader.GetInt64(2));
                    senders.Add(reader.IsDBNull(3) ? null : reader.GetInt64(3));
                    times.Add(reader.GetInt64(4));
                    words.Add(PostgresSearchWords.Vector(PostgresText.Read(reader.GetString(5))));
                }
            }

            if (ids.Count == 0)
            {
                return;
            }

            await PostgresArchiveStore.ExecuteAsync(
                connection,
                """
                INSERT INTO message_search (id, account_id, session_id, sender_id, date_time, words)
                SELECT id, account_id, session_id, sender_id, date_time, words::tsvector
                FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[])
                    AS v(id, account_id, session_id, sender_id, date_time, words);
                """,
                cancellationToken,
                ids.ToArray(),
                accounts.ToArray(),
                sessions.ToArray(),
                senders.ToArray(),
                times.ToArray(),
                words.ToArray());
            last = ids[^1];
        }
    }
}
