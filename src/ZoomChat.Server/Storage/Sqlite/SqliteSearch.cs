using System.Text;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// <see cref="IArchiveSearch"/> on SQLite: FTS5's <c>message_search</c> (SqliteSchema, version 8) finds the
/// messages, <c>messages</c> filters and orders them. The MATCH expression is built from the parsed
/// query only, every phrase as an FTS5 string (https://www.sqlite.org/fts5.html#fts5_strings), so that
/// no user text is read as FTS5 syntax (docs/search.md#the-query-language).
/// </summary>
internal static class SqliteSearch
{
    /// <summary>
    /// The page's messages found, filtered and ordered from the index alone (its unindexed columns, a
    /// narrow table), then read from messages for that page only; the account is checked there again.
    /// </summary>
    private const string PageSql =
        """
        SELECT m.id, m.date_time, s.public_id, m.message_id, u.email, m.body
        FROM (SELECT rowid AS id, date_time
              FROM message_search
              WHERE message_search MATCH $match
                AND ($session IS NULL OR session_id = $session)
                AND ($sender IS NULL OR sender_id = $sender)
                AND date_time BETWEEN $from AND $to
                AND (date_time, rowid) < ($cursor_time, $cursor_id)
              ORDER BY date_time DESC, rowid DESC
              LIMIT $limit) AS page
        JOIN messages m ON m.id = page.id
        JOIN sessions s ON s.id = m.session_id
        LEFT JOIN users u ON u.id = m.sender_id
        WHERE m.account_id = $account
        ORDER BY page.date_time DESC, page.id DESC;
        """;

    public static async Task<SearchPage> SearchAsync(
        SqliteReadConnections.Lease lease, long accountId, SearchQuery query, SearchCursor? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (query.Phrases.Count == 0)
        {
            throw new ArgumentException("A search needs at least one phrase to look for.", nameof(query));
        }

        long? sessionId = null, senderId = null;
        if (query.SessionId is { } publicId)
        {
            sessionId = await IdAsync(lease, "SELECT id FROM sessions WHERE account_id = $account AND public_id = $value;", accountId, publicId, cancellationToken);
            if (sessionId is null)
            {
                return new SearchPage([], null);
            }
        }

        if (query.Sender is { } email)
        {
            senderId = await IdAsync(lease, "SELECT id FROM users WHERE account_id = $account AND email = $value;", accountId, email, cancellationToken);
            if (senderId is null)
            {
                return new SearchPage([], null);
            }
        }

        var command = lease.Command(PageSql);
        command.Bind("$match", MatchExpression(accountId, query));
        command.Bind("$account", accountId);
        command.Bind("$session", sessionId);
        command.Bind("$sender", senderId);
        command.Bind("$from", query.FromMs ?? long.MinValue);
        command.Bind("$to", query.ToMs ?? long.MaxValue);
        command.Bind("$cursor_time", after?.DateTimeMs ?? long.MaxValue);
        command.Bind("$cursor_id", after?.Arrival ?? long.MaxValue);
        // One more than the page: whether it is there says whether a next page is.
        command.Bind("$limit", limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SearchPage.ReadAsync(reader, limit, text => text, cancellationToken);
    }

    /// <summary>
    /// The FTS5 expression of a query: the account's word in the account column, then each phrase an
    /// FTS5 string (inner quotes doubled) in the body column, all of them required (FTS5's implicit
    /// AND), then each excluded one after NOT.
    /// </summary>
    public static string MatchExpression(long accountId, SearchQuery query)
    {
        var match = new StringBuilder("account : \"").Append(accountId).Append('"');
        foreach (var phrase in query.Phrases)
        {
            match.Append(" body : ");
            Quote(match, phrase);
        }

        foreach (var phrase in query.ExcludedPhrases)
        {
            match.Append(" NOT body : ");
            Quote(match, phrase);
        }

        return match.ToString();
    }

    private static void Quote(StringBuilder match, string phrase) =>
        match.Append('"').Append(phrase.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');

    private static async Task<long?> IdAsync(SqliteReadConnections.Lease lease, string sql, long accountId, string value, CancellationToken cancellationToken)
    {
        var command = lease.Command(sql);
        command.Bind("$account", accountId);
        command.Bind("$value", value);
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }
}
