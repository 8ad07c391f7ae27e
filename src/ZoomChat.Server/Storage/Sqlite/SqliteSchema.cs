namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// The SQLite schema, one script per version. The hot paths shape it: <c>chat/get</c> is a keyset
/// range read on <c>messages(session_id, date_time, rowid)</c>; <c>chat/list</c> finds the sessions
/// active in a window through <c>account_days</c> (one row per account and UTC day, listing the day's
/// sessions with their latest message: version 5), so that it never scans the messages of the window;
/// <c>chat/get</c> counts a window's messages from <c>session_day_stats</c> (version 2).
/// </summary>
internal static class SqliteSchema
{
    public static readonly string[] Versions =
    [
        """
        CREATE TABLE server_keys (
            name  TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE accounts (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            created_ms INTEGER NOT NULL
        );

        CREATE TABLE api_keys (
            id          INTEGER PRIMARY KEY,
            account_id  INTEGER NOT NULL,
            api_key     TEXT NOT NULL UNIQUE,
            secret_hash BLOB NOT NULL,
            created_ms  INTEGER NOT NULL,
            revoked_ms  INTEGER
        );

        CREATE TABLE users (
            id             INTEGER PRIMARY KEY,
            account_id     INTEGER NOT NULL,
            email          TEXT NOT NULL,
            display_name   TEXT,
            archive_viewer INTEGER NOT NULL DEFAULT 0,
            UNIQUE (account_id, email)
        );

        CREATE TABLE access_tokens (
            id         INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL,
            user_id    INTEGER NOT NULL,
            token_hash BLOB NOT NULL UNIQUE,
            issued_ms  INTEGER NOT NULL,
            expires_ms INTEGER,
            revoked_ms INTEGER
        );

        CREATE TABLE sessions (
            id         INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL,
            public_id  TEXT NOT NULL,
            type       TEXT NOT NULL,
            group_name TEXT NOT NULL,
            UNIQUE (account_id, public_id)
        );

        -- since_arrival: the arrival number of the message whose import added the participant, so
        -- that a traversal's snapshot also fixes which sessions a user belongs to (docs/api.md#snapshots).
        CREATE TABLE participants (
            session_id    INTEGER NOT NULL,
            user_id       INTEGER NOT NULL,
            since_arrival INTEGER NOT NULL,
            PRIMARY KEY (session_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX participants_by_user ON participants (user_id, session_id);

        -- The rowid is the arrival number: it only grows, so "arrived by the snapshot" is rowid <= mark.
        CREATE TABLE messages (
            id         INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            date_time  INTEGER NOT NULL,
            sender_id  INTEGER,
            message_id TEXT,
            body       TEXT NOT NULL
        );
        CREATE INDEX messages_by_session_time ON messages (session_id, date_time);
        CREATE UNIQUE INDEX messages_by_message_id ON messages (account_id, message_id) WHERE message_id IS NOT NULL;

        CREATE TABLE session_days (
            account_id INTEGER NOT NULL,
            day        INTEGER NOT NULL,
            session_id INTEGER NOT NULL,
            PRIMARY KEY (account_id, day, session_id)
        ) WITHOUT ROWID;

        CREATE TABLE rate_buckets (
            api_key_id INTEGER NOT NULL,
            name       TEXT NOT NULL,
            tokens     REAL NOT NULL,
            stamp_ms   INTEGER NOT NULL,
            PRIMARY KEY (api_key_id, name)
        ) WITHOUT ROWID;
        """,
        // Version 2: per session and UTC day, how many messages and the newest arrival among them, so
        // that chat/get's page count reads the days wholly inside its window instead of counting
        // their messages; a day with an arrival newer than the snapshot is still counted exactly.
        // The floor division matches UtcDay.Of for dates before 1970 too.
        """
        CREATE TABLE session_day_stats (
            session_id  INTEGER NOT NULL,
            day         INTEGER NOT NULL,
            messages    INTEGER NOT NULL,
            max_arrival INTEGER NOT NULL,
            PRIMARY KEY (session_id, day)
        ) WITHOUT ROWID;

        INSERT INTO session_day_stats (session_id, day, messages, max_arrival)
        SELECT session_id, (date_time - ((date_time % 86400000) + 86400000) % 86400000) / 86400000 AS day, count(*), max(id)
        FROM messages
        GROUP BY session_id, day;
        """,
        // Version 3: each session_days row also holds the day's latest message time and newest arrival,
        // so that chat/list finds a session's latest message in a window from the rows it reads anyway
        // instead of seeking it among the messages (only days cut by the window's edges, or holding an
        // arrival newer than the snapshot, are still looked up).
        """
        ALTER TABLE session_days ADD COLUMN last_time INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE session_days ADD COLUMN max_arrival INTEGER NOT NULL DEFAULT 0;

        UPDATE session_days SET last_time = t.last_time, max_arrival = t.max_arrival
        FROM (SELECT session_id, (date_time - ((date_time % 86400000) + 86400000) % 86400000) / 86400000 AS day,
                     max(date_time) AS last_time, max(id) AS max_arrival
              FROM messages
              GROUP BY session_id, day) AS t
        WHERE session_days.session_id = t.session_id AND session_days.day = t.day;
        """,
        // Version 4: the rate limiter's buckets moved to a file of their own beside the store (RateLimits
        // below, the same table as version 1's). They only pace requests: a bucket that is gone is full again.
        """
        DROP TABLE IF EXISTS rate_buckets;
        """,
        // Version 5: session_days folded into one row per account and UTC day (AccountDay): chat/list
        // reads a row per day of its window instead of one per session and day. Entries are three
        // big-endian 64-bit integers (printf's %X writes a negative time in two's complement).
        // participants_by_user also holds since_arrival, so that chat/list's email filter reads a
        // user's sessions from the index alone.
        """
        DROP INDEX participants_by_user;
        CREATE INDEX participants_by_user ON participants (user_id, session_id, since_arrival);

        CREATE TABLE account_days (
            account_id INTEGER NOT NULL,
            day        INTEGER NOT NULL,
            sessions   BLOB NOT NULL,
            PRIMARY KEY (account_id, day)
        );

        INSERT INTO account_days (account_id, day, sessions)
        SELECT account_id, day, unhex(group_concat(printf('%016X%016X%016X', session_id, last_time, max_arrival), '' ORDER BY session_id))
        FROM session_days
        GROUP BY account_id, day;

        DROP TABLE session_days;
        """,
        // Version 6: message ids are indexed by a 64-bit hash of account and id (zoomchat_message_hash,
        // SqliteImportTransaction.MessageIdHash) instead of their text: an integer index costs an
        // import far less, and the importer checks every hit against the stored id, so ids stay unique
        // per account as before (docs/benchmarks.md#import).
        """
        ALTER TABLE messages ADD COLUMN message_hash INTEGER;
        UPDATE messages SET message_hash = zoomchat_message_hash(account_id, message_id) WHERE message_id IS NOT NULL;
        DROP INDEX messages_by_message_id;
        CREATE INDEX messages_by_hash ON messages (message_hash) WHERE message_hash IS NOT NULL;
        """,
        // Version 7: the record of every removed session (zoomchat session remove), kept for audit:
        // when, which account and session, and what it held. mark is the arrival number the removal
        // took (SqliteSessionRemoval): a traversal of the account whose snapshot is older is refused.
        """
        CREATE TABLE session_removals (
            id           INTEGER PRIMARY KEY,
            removed_ms   INTEGER NOT NULL,
            account_id   INTEGER NOT NULL,
            account      TEXT NOT NULL,
            session_id   TEXT NOT NULL,
            type         TEXT NOT NULL,
            group_name   TEXT NOT NULL,
            messages     INTEGER NOT NULL,
            participants INTEGER NOT NULL,
            first_ms     INTEGER,
            last_ms      INTEGER,
            mark         INTEGER NOT NULL
        );
        CREATE INDEX session_removals_by_account ON session_removals (account_id, mark);
        """,
        // Version 8: the full-text index of message bodies (docs/search.md), filled here for the messages
        // already stored and kept by every import and session removal in their own transactions. The
        // rowid is the message's id; session 0 (SqliteSessionRemoval's placeholder) is never indexed.
        // Contentless, with deletes by rowid and its unindexed columns kept
        // (https://www.sqlite.org/fts5.html#contentless_tables): the text stays only in messages, while
        // what a search filters and orders its hits by is read beside the index, not from messages'
        // wide rows; account holds the account's id as a word, so that FTS5 itself keeps to one account
        // (docs/benchmarks.md#search).
        """
        CREATE VIRTUAL TABLE message_search USING fts5(
            body, account, date_time UNINDEXED, session_id UNINDEXED, sender_id UNINDEXED,
            content = '', contentless_delete = 1, contentless_unindexed = 1,
            tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO message_search (rowid, body, account, date_time, session_id, sender_id)
        SELECT id, body, account_id, date_time, session_id, sender_id FROM messages WHERE session_id <> 0;
        """,
        // Version 9: the web viewer's one-time sign-in links and the viewer sessions they open, each kept
        // only as the SHA-256 hash of its token (docs/viewer.md#signing-in). Taking a user's archive-view
        // privilege away, or deleting the user, ends their viewer sessions and unused links for good: granted
        // again, the user needs a new link.
        """
        CREATE TABLE viewer_links (
            link_hash  BLOB PRIMARY KEY,
            account_id INTEGER NOT NULL,
            user_id    INTEGER NOT NULL,
            created_ms INTEGER NOT NULL,
            expires_ms INTEGER NOT NULL,
            used_ms    INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX viewer_links_by_user ON viewer_links (user_id);

        CREATE TABLE viewer_sessions (
            session_hash BLOB PRIMARY KEY,
            account_id   INTEGER NOT NULL,
            user_id      INTEGER NOT NULL,
            created_ms   INTEGER NOT NULL,
            expires_ms   INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX viewer_sessions_by_user ON viewer_sessions (user_id);

        CREATE TRIGGER viewer_privilege_taken AFTER UPDATE OF archive_viewer ON users
        WHEN OLD.archive_viewer <> 0 AND NEW.archive_viewer = 0
        BEGIN
            DELETE FROM viewer_sessions WHERE user_id = NEW.id;
            DELETE FROM viewer_links WHERE user_id = NEW.id AND used_ms IS NULL;
        END;

        CREATE TRIGGER viewer_user_deleted AFTER DELETE ON users
        BEGIN
            DELETE FROM viewer_sessions WHERE user_id = OLD.id;
            DELETE FROM viewer_links WHERE user_id = OLD.id;
        END;
        """,
    ];

    /// <summary>
    /// The index an import into an empty store drops and builds after the load, as <c>pg_restore</c>
    /// does: one sort instead of an insert per message all over its B-tree
    /// (docs/operations.md#import-into-an-empty-store). Opening a writable store builds it when it is
    /// missing (an import that failed or was killed before building it).
    /// </summary>
    public const string DeferredIndexName = "messages_by_session_time";

    /// <summary>The same index as version 1 creates (<see cref="DeferredIndexName"/>).</summary>
    public const string DeferredIndex = "CREATE INDEX IF NOT EXISTS messages_by_session_time ON messages (session_id, date_time);";

    /// <summary>The rate limiter's file: one table, token buckets per API key.</summary>
    public const string RateLimits =
        """
        CREATE TABLE IF NOT EXISTS rate_buckets (
            api_key_id INTEGER NOT NULL,
            name       TEXT NOT NULL,
            tokens     REAL NOT NULL,
            stamp_ms   INTEGER NOT NULL,
            PRIMARY KEY (api_key_id, name)
        ) WITHOUT ROWID;
        """;
}
