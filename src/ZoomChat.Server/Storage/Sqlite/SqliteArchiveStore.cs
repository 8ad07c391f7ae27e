using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.ObjectPool;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, so that readers never wait for an import and
/// several server processes can share it. The chat API's reads run on <see cref="SqliteReadConnections"/>,
/// whose statements stay prepared; everything else opens a connection from Microsoft.Data.Sqlite's pool.
/// </summary>
internal sealed partial class SqliteArchiveStore : IArchiveStore, IArchiveSearch
{
    /// <summary>SQLite's primary result codes the store explains in its own words (https://www.sqlite.org/rescode.html).</summary>
    private const int SqliteReadOnly = 8, SqliteCantOpen = 14, SqliteNotADatabase = 26;

    /// <summary>The connection string; a read-only store swaps it for a read-only one in <see cref="InitializeAsync"/>.</summary>
    private string _connectionString;

    /// <summary><c>Mode</c> of the connection string as given: ReadOnly opens a store without ever writing it.</summary>
    private readonly SqliteOpenMode _mode;

    /// <summary>
    /// The rate limiter's buckets live in a file of their own beside the store (<c>archive.db.rate-limits</c>).
    /// Every request writes them, and a write to the store waits for an import's batch to commit: with
    /// the buckets in the store, each request during an import waited up to a batch (docs/operations.md).
    /// </summary>
    private readonly string _rateLimitsConnectionString;
    private SqliteReadConnections _readers;

    /// <summary>A read-only store's rate-limit buckets, kept in memory: it gets no file beside it.</summary>
    private MemoryRateBuckets? _memoryRateBuckets;

    /// <summary>A read-only store's page-token key when the store holds none: valid for this process only.</summary>
    private byte[]? _processPageTokenKey;

    /// <summary>
    /// chat/list's active sessions of recent queries, in no order: 200,000 sessions at most
    /// (16 bytes each), the least recently used dropped first. Enough for the later pages of the
    /// traversals running at once; not meant to hold every window.
    /// </summary>
    private readonly MemoryCache _activeSessions = new(new MemoryCacheOptions { SizeLimit = 200_000, CompactionPercentage = 0.25 });

    /// <summary>
    /// The dictionaries chat/list groups a window's days by session in, reused: on a large archive a
    /// window's grow past the large object heap's threshold, and the background collections that
    /// fresh ones cause cost the server much of its CPU (docs/benchmarks.md#fourth-pass).
    /// </summary>
    private static readonly ObjectPool<Dictionary<long, long>> Groupings = new DefaultObjectPool<Dictionary<long, long>>(new GroupingPolicy());

    /// <summary>
    /// The account_days blobs chat/list has read for the windows the index does not answer (see
    /// <see cref="ChatListIndexSlot.For"/>): 32 MB holds all of those of the 10M-message benchmark archive
    /// (docs/benchmarks.md#fifth-pass).
    /// </summary>
    private readonly AccountDayCache _accountDays = new(maxBytes: 32 * 1024 * 1024);

    private readonly ChatListIndexSlot _listIndex;
    private int _disposed;

    static SqliteArchiveStore() => SqliteLibrary.Configure();

    /// <param name="pathOrConnectionString">The store's file, or a Microsoft.Data.Sqlite connection string.</param>
    /// <param name="chatListIndex">Whether chat/list may answer from a <see cref="ChatListIndex"/>; off, it always reads the store.</param>
    /// <param name="timeProvider">Times the index's builds.</param>
    public SqliteArchiveStore(string pathOrConnectionString, bool chatListIndex = true, TimeProvider? timeProvider = null)
    {
        _listIndex = new ChatListIndexSlot(chatListIndex, timeProvider ?? TimeProvider.System, BuildListIndexAsync, _accountDays.Clear);
        var builder = pathOrConnectionString.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };
        builder.Pooling = true;
        // The mode as given (default ReadWriteCreate): Mode=ReadOnly serves a legal-hold copy without
        // writing it (docs/operations.md#read-only-stores).
        _mode = builder.Mode;
        if (builder.DefaultTimeout < 30)
        {
            // Also the busy timeout: how long a writer waits for another process's transaction.
            builder.DefaultTimeout = 30;
        }

        _connectionString = builder.ToString();
        _readers = new SqliteReadConnections(_connectionString);
        FilePath = Path.GetFullPath(builder.DataSource);
        Description = $"sqlite:{FilePath}";
        builder.DataSource = FilePath + ".rate-limits";
        _rateLimitsConnectionString = builder.ToString();
    }

    public string FilePath { get; }

    public string Description { get; }

    public bool IsReadOnly { get; private set; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(FilePath))
        {
            throw new ArchiveStoreException($"The store {FilePath} is a folder: give a file in it, such as {Path.Combine(FilePath, "zoomchat.db")}.");
        }

        var exists = File.Exists(FilePath);
        if (!exists && _mode is SqliteOpenMode.ReadOnly or SqliteOpenMode.ReadWrite)
        {
            throw new ArchiveStoreException($"The store {FilePath} does not exist (Mode={_mode} does not create one).");
        }

        try
        {
            if (_mode == SqliteOpenMode.ReadOnly || (exists && await OpensReadOnlyAsync(cancellationToken)))
            {
                await InitializeReadOnlyAsync(cancellationToken);
                return;
            }

            await InitializeWritableAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            throw StoreError(e, exists);
        }

        try
        {
            await using var limits = await OpenRateLimitsAsync(cancellationToken);
            await ExecuteAsync(limits, "PRAGMA journal_mode=WAL;", cancellationToken);
            await ExecuteAsync(limits, SqliteSchema.RateLimits, cancellationToken);
        }
        catch (SqliteException e)
        {
            throw new ArchiveStoreException($"The rate limiter's file {FilePath}.rate-limits cannot be used: {e.Message}", e);
        }
    }

    /// <summary>Creates the schema, or upgrades it, in one transaction.</summary>
    private async Task InitializeWritableAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken);
        if (await SchemaVersionAsync(connection, cancellationToken) is null && await HasTablesAsync(connection, cancellationToken))
        {
            throw new ArchiveStoreException($"The store {FilePath} is a SQLite database of something else, not a ZoomChat store; it was left as it is.");
        }

        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        connection.CreateFunction("zoomchat_message_hash", (long accountId, string messageId) => SqliteImportTransaction.MessageIdHash(accountId, messageId), isDeterministic: true);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);", cancellationToken);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
            var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (current > SqliteSchema.Versions.Length)
            {
                throw NewerSchema(current);
            }

            for (var version = current + 1; version <= SqliteSchema.Versions.Length; version++)
            {
                await ExecuteAsync(connection, SqliteSchema.Versions[version - 1], cancellationToken);
                await ExecuteAsync(connection, $"INSERT INTO schema_version (version) VALUES ({version});", cancellationToken);
            }
        }

        await ExecuteAsync(connection, SqliteSchema.DeferredIndex, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Whether SQLite could open the existing file for reading only: its permissions or its file system
    /// forbid writing it. SQLite's own check, so it holds for every user, root included.
    /// </summary>
    private async Task<bool> OpensReadOnlyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1;
    }

    /// <summary>
    /// Opens the store for reading only (docs/operations.md#read-only-stores): nothing is created,
    /// upgraded or written, the rate limiter counts in memory, and a store of another schema version is
    /// refused. A store in WAL mode needs its <c>-wal</c> and <c>-shm</c> files beside it; where the
    /// folder lets SQLite create neither and no log is left to read, the file is opened as immutable
    /// (https://www.sqlite.org/wal.html#readonly).
    /// </summary>
    private async Task InitializeReadOnlyAsync(CancellationToken cancellationToken)
    {
        IsReadOnly = true;
        var builder = new SqliteConnectionStringBuilder(_connectionString) { Mode = SqliteOpenMode.ReadOnly };
        await UseConnectionStringAsync(builder.ToString());
        int? version;
        try
        {
            version = await ReadSchemaVersionAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteReadOnly or SqliteCantOpen && new FileInfo(FilePath + "-wal") is not { Exists: true, Length: > 0 })
        {
            builder.DataSource = new Uri(FilePath).AbsoluteUri + "?immutable=1";
            await UseConnectionStringAsync(builder.ToString());
            version = await ReadSchemaVersionAsync(cancellationToken);
        }

        if (version is null)
        {
            throw new ArchiveStoreException($"The store {FilePath} is not a ZoomChat store, and a read-only store is never created.");
        }

        if (version > SqliteSchema.Versions.Length)
        {
            throw NewerSchema(version.Value);
        }

        if (version < SqliteSchema.Versions.Length)
        {
            throw new ArchiveStoreException(
                $"The store {FilePath} has schema version {version}, older than this zoomchat's ({SqliteSchema.Versions.Length}), and is read-only, so it is not upgraded: "
                + "upgrade a writable copy of it (any zoomchat command on the copy does), or read it with the zoomchat that wrote it.");
        }

        _memoryRateBuckets = new MemoryRateBuckets();
    }

    private async Task UseConnectionStringAsync(string connectionString)
    {
        await _readers.DisposeAsync();
        _connectionString = connectionString;
        _readers = new SqliteReadConnections(connectionString);
    }

    private async Task<int?> ReadSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await SchemaVersionAsync(connection, cancellationToken);
    }

    /// <summary>The store's schema version, or null when it has no <c>schema_version</c> table.</summary>
    private static async Task<int?> SchemaVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = Command(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';");
        if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
        {
            return null;
        }

        await using var read = Command(connection, "SELECT coalesce(max(version), 0) FROM schema_version;");
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> HasTablesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var tables = Command(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table';");
        return (long)(await tables.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private ArchiveStoreException NewerSchema(int version) =>
        new($"The store {FilePath} has schema version {version}, newer than this zoomchat knows ({SqliteSchema.Versions.Length}). Upgrade zoomchat.");

    /// <summary>A SQLite failure to open or set up the store, in words that name the file.</summary>
    private ArchiveStoreException StoreError(SqliteException e, bool existed) => e.SqliteErrorCode switch
    {
        SqliteNotADatabase => new($"The store {FilePath} is not a SQLite database, so not a ZoomChat store; it was left as it is (files of messages are read by zoomchat import).", e),
        SqliteCantOpen when !existed => new($"The store {FilePath} cannot be created: is its folder writable?", e),
        SqliteCantOpen or SqliteReadOnly => new(
            $"The store {FilePath} cannot be opened for writing ({e.Message.TrimEnd('.')}): is its folder writable? To read a store without writing, give --store \"Data Source={FilePath};Mode=ReadOnly\".", e),
        _ => new($"The store {FilePath}: {e.Message}", e),
    };

    public async Task<byte[]> GetPageTokenKeyAsync(CancellationToken cancellationToken)
    {
        if (IsReadOnly)
        {
            return await ReadOnlyPageTokenKeyAsync(cancellationToken);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = Command(connection, "INSERT OR IGNORE INTO server_keys (name, value) VALUES ('page_token', $value);");
        insert.Parameters.AddWithValue("$value", RandomNumberGenerator.GetBytes(32));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await using var select = Command(connection, "SELECT value FROM server_keys WHERE name = 'page_token';");
        return (byte[])(await select.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The key a writable store created, as every server on the store shares it; a store that was
    /// never served holds none, and gets one for this process, which its page tokens are then bound to.
    /// </summary>
    private async Task<byte[]> ReadOnlyPageTokenKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var select = Command(connection, "SELECT value FROM server_keys WHERE name = 'page_token';");
        return await select.ExecuteScalarAsync(cancellationToken) as byte[]
            ?? LazyInitializer.EnsureInitialized(ref _processPageTokenKey, () => RandomNumberGenerator.GetBytes(32));
    }

    public async Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id FROM accounts WHERE name = $name;");
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : null;
    }

    public async Task<bool> CreateAccountAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "INSERT OR IGNORE INTO accounts (name, created_ms) VALUES ($name, $now);");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ListedAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT name, created_ms FROM accounts ORDER BY name;");
        var accounts = new List<ListedAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new ListedAccount(reader.GetString(0), Instant(reader, 1)!.Value));
        }

        return accounts;
    }

    public async Task CreateApiKeyAsync(long accountId, string apiKey, byte[] secretHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "INSERT INTO api_keys (account_id, api_key, secret_hash, created_ms) VALUES ($account, $key, $hash, $now);");
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$key", apiKey);
        command.Parameters.AddWithValue("$hash", secretHash);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RevokeApiKeyAsync(long accountId, string apiKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "UPDATE api_keys SET revoked_ms = coalesce(revoked_ms, $now) WHERE account_id = $account AND api_key = $key;");
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$key", apiKey);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<StoredApiKey?> FindApiKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command("SELECT id, account_id, secret_hash, revoked_ms FROM api_keys WHERE api_key = $key;");
        command.Bind("$key", apiKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredApiKey(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2), !reader.IsDBNull(3))
            : null;
    }

    public async Task<IReadOnlyList<ListedApiKey>> ListApiKeysAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT api_key, created_ms, revoked_ms FROM api_keys WHERE account_id = $account ORDER BY created_ms, id;");
        command.Parameters.AddWithValue("$account", accountId);
        var keys = new List<ListedApiKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ListedApiKey(reader.GetString(0), Instant(reader, 1)!.Value, Instant(reader, 2)));
        }

        return keys;
    }

    public async Task UpsertUserAsync(long accountId, string email, string? displayName, bool? archiveViewer, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            INSERT INTO users (account_id, email, display_name, archive_viewer) VALUES ($account, $email, $name, coalesce($viewer, 0))
            ON CONFLICT (account_id, email) DO UPDATE SET
                display_name = coalesce($name, display_name),
                archive_viewer = coalesce($viewer, archive_viewer);
            """);
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$name", (object?)displayName ?? DBNull.Value);
        command.Parameters.AddWithValue("$viewer", archiveViewer is { } viewer ? (viewer ? 1 : 0) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(long Id, bool ArchiveViewer)?> FindUserAsync(long accountId, string email, CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command("SELECT id, archive_viewer FROM users WHERE account_id = $account AND email = $email;");
        command.Bind("$account", accountId);
        command.Bind("$email", email);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1) != 0) : null;
    }

    public async Task<IReadOnlyList<ListedUser>> ListUsersAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT email, display_name, archive_viewer FROM users WHERE account_id = $account ORDER BY email;");
        command.Parameters.AddWithValue("$account", accountId);
        var users = new List<ListedUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new ListedUser(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2) != 0));
        }

        return users;
    }

    public async Task<UserRemoval> RemoveUserAsync(long accountId, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        int revoked;
        await using (var revoke = Command(
            connection, "UPDATE access_tokens SET revoked_ms = $now WHERE account_id = $account AND user_id = $user AND revoked_ms IS NULL;"))
        {
            revoke.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            revoke.Parameters.AddWithValue("$account", accountId);
            revoke.Parameters.AddWithValue("$user", userId);
            revoked = await revoke.ExecuteNonQueryAsync(cancellationToken);
        }

        // Every sender is a participant of their session (ArchiveImporter); the messages are read as well,
        // so that no stored message could lose its sender.
        bool named;
        await using (var referenced = Command(
            connection,
            """
            SELECT EXISTS (SELECT 1 FROM participants WHERE user_id = $user)
                OR EXISTS (SELECT 1 FROM messages WHERE sender_id = $user);
            """))
        {
            referenced.Parameters.AddWithValue("$user", userId);
            named = (long)(await referenced.ExecuteScalarAsync(cancellationToken))! != 0;
        }

        await using (var change = Command(
            connection,
            named
                ? "UPDATE users SET archive_viewer = 0 WHERE id = $user AND account_id = $account;"
                : "DELETE FROM access_tokens WHERE user_id = $user AND account_id = $account; DELETE FROM users WHERE id = $user AND account_id = $account;"))
        {
            change.Parameters.AddWithValue("$account", accountId);
            change.Parameters.AddWithValue("$user", userId);
            await change.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new UserRemoval(revoked, Deleted: !named);
    }

    public async Task CreateAccessTokenAsync(
        long accountId, long userId, byte[] tokenHash, DateTimeOffset issuedAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "INSERT INTO access_tokens (account_id, user_id, token_hash, issued_ms, expires_ms) VALUES ($account, $user, $hash, $issued, $expires);");
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$hash", tokenHash);
        command.Parameters.AddWithValue("$issued", issuedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", expiresAt is { } expires ? expires.ToUnixTimeMilliseconds() : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RevokeAccessTokenAsync(long accountId, byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            "UPDATE access_tokens SET revoked_ms = coalesce(revoked_ms, $now) WHERE account_id = $account AND token_hash = $hash;");
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$hash", tokenHash);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<StoredAccessToken?> FindAccessTokenAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command(
            """
            SELECT t.account_id, t.expires_ms, t.revoked_ms, u.archive_viewer
            FROM access_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = $hash;
            """);
        command.Bind("$hash", tokenHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return ReadAccessToken(reader, 0);
    }

    public async Task<IReadOnlyList<ListedAccessToken>> ListAccessTokensAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            """
            SELECT t.token_hash, u.email, t.issued_ms, t.expires_ms, t.revoked_ms, u.archive_viewer
            FROM access_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.account_id = $account
            ORDER BY t.issued_ms, t.id;
            """);
        command.Parameters.AddWithValue("$account", accountId);
        var tokens = new List<ListedAccessToken>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new ListedAccessToken(
                (byte[])reader.GetValue(0), reader.GetString(1), Instant(reader, 2)!.Value, Instant(reader, 3), Instant(reader, 4), reader.GetInt64(5) != 0));
        }

        return tokens;
    }

    public async Task<RateDecision> TryConsumeAsync(long apiKeyId, IReadOnlyList<RateBucket> buckets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_memoryRateBuckets is { } memory)
        {
            return memory.TryConsume(apiKeyId, buckets, now);
        }

        await using var connection = await OpenRateLimitsAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var nowMs = now.ToUnixTimeMilliseconds();
        var held = new List<(double Tokens, long StampMs)?>(buckets.Count);
        foreach (var bucket in buckets)
        {
            await using var read = Command(connection, "SELECT tokens, stamp_ms FROM rate_buckets WHERE api_key_id = $key AND name = $name;");
            read.Parameters.AddWithValue("$key", apiKeyId);
            read.Parameters.AddWithValue("$name", bucket.Name);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            held.Add(await reader.ReadAsync(cancellationToken) ? (reader.GetDouble(0), reader.GetInt64(1)) : null);
        }

        var levels = new double[buckets.Count];
        var retryAfter = RateBuckets.Levels(buckets, held, nowMs, levels);
        if (retryAfter > 0)
        {
            // A refused request takes nothing (docs/api.md#rate-limits).
            return new RateDecision(false, retryAfter);
        }

        for (var i = 0; i < buckets.Count; i++)
        {
            await using var write = Command(
                connection,
                """
                INSERT INTO rate_buckets (api_key_id, name, tokens, stamp_ms) VALUES ($key, $name, $tokens, $now)
                ON CONFLICT (api_key_id, name) DO UPDATE SET tokens = excluded.tokens, stamp_ms = excluded.stamp_ms;
                """);
            write.Parameters.AddWithValue("$key", apiKeyId);
            write.Parameters.AddWithValue("$name", buckets[i].Name);
            write.Parameters.AddWithValue("$tokens", levels[i] - 1);
            write.Parameters.AddWithValue("$now", nowMs);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RateDecision(true, 0);
    }

    public async Task<StoredCaller> FindCallerAsync(
        string apiKey, byte[]? accessTokenHash, string? sessionId, string? email, PageRead? page, CancellationToken cancellationToken)
    {
        // One statement instead of five (key, token, session, user, mark): on this path each statement cost
        // more in its read transaction and its trip through Microsoft.Data.Sqlite than in its index seeks.
        // The one row comes from (SELECT 1), not from api_keys, so that the token and the mark are looked
        // up whether or not the key exists: an unknown key answers no faster than a wrong secret.
        // The page is left to its own statement: in the process, it costs no trip.
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command(
            """
            SELECT k.id, k.account_id, k.secret_hash, k.revoked_ms,
                   t.account_id, t.expires_ms, t.revoked_ms, u.archive_viewer,
                   s.id, s.public_id, s.type, s.group_name,
                   (SELECT coalesce(max(id), 0) FROM messages),
                   (SELECT coalesce(max(r.mark), 0) FROM session_removals r WHERE r.account_id = k.account_id),
                   e.id
            FROM (SELECT 1)
            LEFT JOIN api_keys k ON k.api_key = $key
            LEFT JOIN access_tokens t ON t.token_hash = $hash
            LEFT JOIN users u ON u.id = t.user_id
            LEFT JOIN sessions s ON s.account_id = k.account_id AND s.public_id = $session
            LEFT JOIN users e ON e.account_id = k.account_id AND e.email = $email;
            """);
        command.Bind("$key", apiKey);
        command.Bind("$hash", accessTokenHash);
        command.Bind("$session", sessionId);
        command.Bind("$email", email);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(0))
        {
            return new StoredCaller(null, null, null, 0);
        }

        var key = new StoredApiKey(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2), !reader.IsDBNull(3));
        // A token counts only with its user, as in FindAccessTokenAsync's inner join.
        var token = reader.IsDBNull(7) ? null : ReadAccessToken(reader, 4);
        var session = reader.IsDBNull(8) ? null : ReadSession(reader, 8);
        return new StoredCaller(key, token, session, reader.GetInt64(12), reader.GetInt64(13), reader.IsDBNull(14) ? null : reader.GetInt64(14));
    }

    public async Task<long> GetHighWaterMarkAsync(CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command("SELECT coalesce(max(id), 0) FROM messages;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<StoredSession?> FindSessionAsync(long accountId, string sessionId, CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command("SELECT id, public_id, type, group_name FROM sessions WHERE account_id = $account AND public_id = $session;");
        command.Bind("$account", accountId);
        command.Bind("$session", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSession(reader, 0) : null;
    }

    public async Task<SessionPage> ListSessionsAsync(
        ChatListQuery query, SessionCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        var cursorTime = after?.LastMessageTimeMs;
        var (lastOf, total) = _listIndex.For(query) is { } index
            ? await index.WindowAsync(
                query, cursorTime, limit, (user, mark, cancel) => UserSessionsAsync(lease, user, mark, cancel), cancellationToken)
            : await StoredWindowAsync(lease, query, cursorTime, limit, cancellationToken);

        var candidates = new List<StoredSession>();
        if (lastOf.Count > 0)
        {
            var sessions = lease.Command("SELECT id, public_id, type, group_name FROM sessions WHERE id IN (SELECT value FROM json_each($sessions));");
            sessions.Bind("$sessions", "[" + string.Join(',', lastOf.Keys) + "]");
            await using var reader = await sessions.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add(ReadSession(reader, 0));
            }
        }

        var page = SessionPages.Page(candidates, lastOf, after, limit);

        var oneOnOne = SessionPages.OneOnOne(page);
        SqliteDataReader? participants = null;
        if (oneOnOne.Length > 0)
        {
            var members = lease.Command(
                """
                SELECT p.session_id, u.email FROM participants p JOIN users u ON u.id = p.user_id
                WHERE p.session_id IN (SELECT value FROM json_each($sessions))
                ORDER BY p.session_id, u.email;
                """);
            members.Bind("$sessions", "[" + string.Join(',', oneOnOne) + "]");
            participants = await members.ExecuteReaderAsync(cancellationToken);
        }

        await using (participants)
        {
            return await SessionPages.WithParticipantsAsync(page, total, participants, cancellationToken);
        }
    }

    public async Task<int> CountMessagesAsync(ChatGetQuery query, CancellationToken cancellationToken)
    {
        // Days wholly inside the window take their count from session_day_stats; the two edge days,
        // and any day holding a message newer than the snapshot, are counted exactly (only arrivals
        // up to the high-water mark count: docs/api.md#snapshots).
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command(
            """
            SELECT coalesce(sum(CASE
                WHEN d.day * 86400000 >= $from AND d.day * 86400000 + 86399999 <= $to AND d.max_arrival <= $mark
                    THEN d.messages
                ELSE (SELECT count(*) FROM messages m
                      WHERE m.session_id = $session
                        AND m.date_time BETWEEN max($from, d.day * 86400000) AND min($to, d.day * 86400000 + 86399999)
                        AND m.id <= $mark)
                END), 0)
            FROM session_day_stats d
            WHERE d.session_id = $session AND d.day BETWEEN $from_day AND $to_day;
            """);
        BindGetParameters(command, query);
        command.Bind("$from_day", UtcDay.Of(query.FromMs));
        command.Bind("$to_day", UtcDay.Of(query.ToMs));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<StoredMessage>> GetMessagesAsync(
        ChatGetQuery query, MessageCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        var command = lease.Command(
            """
            SELECT m.id, m.date_time, m.body, u.email
            FROM messages m LEFT JOIN users u ON u.id = m.sender_id
            WHERE m.session_id = $session
              AND (m.date_time, m.id) > ($cursor_time, $cursor_id)
              AND m.date_time <= $to
              AND m.id <= $mark
            ORDER BY m.date_time, m.id
            LIMIT $limit;
            """);
        BindGetParameters(command, query);
        command.Bind("$cursor_time", after?.DateTimeMs ?? query.FromMs);
        command.Bind("$cursor_id", after?.Arrival ?? 0);
        command.Bind("$limit", limit);
        var result = new List<StoredMessage>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new StoredMessage(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return result;
    }

    public async Task<SearchPage> SearchAsync(long accountId, SearchQuery query, SearchCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var lease = await _readers.RentAsync(cancellationToken);
        return await SqliteSearch.SearchAsync(lease, accountId, query, after, limit, cancellationToken);
    }

    public async Task<IImportTransaction> BeginImportAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            return await SqliteImportTransaction.BeginAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task CompleteImportAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await SqliteImportTransaction.BuildDeferredIndexAsync(connection, cancellationToken);
    }

    public Task<bool> SessionExistsAsync(string? account, string sessionId, CancellationToken cancellationToken) =>
        ExistsInAccountAsync("SELECT 1 FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.public_id = $value AND ($account IS NULL OR a.name = $account) LIMIT 1;", account, sessionId, cancellationToken);

    public Task<bool> UserExistsAsync(string? account, string email, CancellationToken cancellationToken) =>
        ExistsInAccountAsync("SELECT 1 FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.email = $value AND ($account IS NULL OR a.name = $account) LIMIT 1;", account, email, cancellationToken);

    public async IAsyncEnumerable<ExportedMessage> ExportAsync(ExportQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One read transaction: sessions' types and names are read as of the same moment as the
        // messages, even while imports commit (WAL keeps the snapshot for as long as it is open).
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        long mark;
        await using (var highWater = Command(connection, "SELECT coalesce(max(id), 0) FROM messages;"))
        {
            mark = (long)(await highWater.ExecuteScalarAsync(cancellationToken))!;
        }
        var sessions = new List<(string Account, StoredSession Session)>();
        await using (var command = Command(
            connection,
            """
            SELECT a.name, s.id, s.public_id, s.type, s.group_name
            FROM sessions s JOIN accounts a ON a.id = s.account_id
            WHERE ($account IS NULL OR a.name = $account)
              AND ($session IS NULL OR s.public_id = $session)
              AND ($email IS NULL OR EXISTS (
                    SELECT 1 FROM participants p JOIN users u ON u.id = p.user_id
                    WHERE p.session_id = s.id AND u.email = $email AND p.since_arrival <= $mark))
            ORDER BY a.name, s.public_id;
            """))
        {
            command.Parameters.AddWithValue("$account", (object?)query.Account ?? DBNull.Value);
            command.Parameters.AddWithValue("$session", (object?)query.SessionId ?? DBNull.Value);
            command.Parameters.AddWithValue("$email", (object?)query.Email ?? DBNull.Value);
            command.Parameters.AddWithValue("$mark", mark);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                sessions.Add((reader.GetString(0), ReadSession(reader, 1)));
            }
        }

        foreach (var (account, session) in sessions)
        {
            var participants = await ParticipantEmailsAsync(connection, session.Id, mark, cancellationToken);
            await using var command = Command(
                connection,
                """
                SELECT m.message_id, u.email, m.date_time, m.body
                FROM messages m LEFT JOIN users u ON u.id = m.sender_id
                WHERE m.session_id = $session AND m.id <= $mark AND m.date_time BETWEEN $from AND $to
                ORDER BY m.date_time, m.id;
                """);
            command.Parameters.AddWithValue("$session", session.Id);
            command.Parameters.AddWithValue("$mark", mark);
            command.Parameters.AddWithValue("$from", query.FromMs ?? long.MinValue);
            command.Parameters.AddWithValue("$to", query.ToMs ?? long.MaxValue);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new ExportedMessage(
                    account,
                    session.PublicId,
                    session.Type,
                    session.GroupName,
                    participants,
                    reader.IsDBNull(0) ? null : reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetInt64(2),
                    reader.GetString(3));
            }
        }
    }

    public async Task<IReadOnlyList<SessionRemoval>?> RemoveSessionsAsync(
        string account, IReadOnlyList<string> sessionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await SqliteSessionRemoval.RemoveAsync(connection, account, sessionIds, now, cancellationToken);
    }

    public async Task<IReadOnlyList<SessionRemoval>> ListRemovalsAsync(string? account, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await SqliteSessionRemoval.ListAsync(connection, account, cancellationToken);
    }

    public async Task<long> BackupAsync(string destination, CancellationToken cancellationToken)
    {
        await using var source = await OpenAsync(cancellationToken);
        var target = new SqliteConnectionStringBuilder { DataSource = destination, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        await using (var copy = new SqliteConnection(target.ToString()))
        {
            await copy.OpenAsync(cancellationToken);

            // SQLite's online backup (https://www.sqlite.org/backup.html) in one step: one read transaction
            // of the source, so the copy is the store as of one moment, while servers and imports go on.
            source.BackupDatabase(copy);

            // One file, without a -wal beside it; the next zoomchat to open it sets WAL mode again.
            await ExecuteAsync(copy, "PRAGMA journal_mode=DELETE;", cancellationToken);
        }

        return new FileInfo(destination).Length;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _listIndex.DisposeAsync();
        _activeSessions.Dispose();
        await _readers.DisposeAsync();
        await CheckpointAsync(_connectionString);
        await CheckpointAsync(_rateLimitsConnectionString);
    }

    /// <summary>
    /// Moves what the WAL holds into the store's file and empties it (TRUNCATE), once this store's
    /// connections are closed: a copy of the file alone, taken after a server stopped or a command
    /// ended, lost the keys and tokens that were still in the <c>-wal</c> (docs/operations.md#backup-and-restore).
    /// Another process still using the store may keep it from completing; its own end does it then.
    /// </summary>
    private static async Task CheckpointAsync(string connectionString)
    {
        using (var pooled = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        // Its own connection, outside the pool (whose connections keep their settings), that never creates the file.
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite };
        try
        {
            await using var connection = new SqliteConnection(builder.ToString());
            await connection.OpenAsync();
            await ExecuteAsync(connection, "PRAGMA busy_timeout=1000; PRAGMA wal_checkpoint(TRUNCATE);", CancellationToken.None);
        }
        catch (SqliteException)
        {
            // No store file (it was never created), or it is busy: nothing to lose that WAL replay does not restore.
        }
    }

    /// <summary>Builds the chat/list index now, as a query with a newer mark would in the background (for tests).</summary>
    internal Task<ChatListIndex?> BuildListIndexNowAsync(CancellationToken cancellationToken) => _listIndex.BuildNowAsync(cancellationToken);

    /// <summary>
    /// Reads every <c>account_days</c> row in one read transaction. Null when the index would take more
    /// than its budget; chat/list then reads the store as before.
    /// </summary>
    private async Task<ChatListIndex?> BuildListIndexAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var mark = await ScalarAsync(connection, "SELECT coalesce(max(id), 0) FROM messages;", cancellationToken);
        var maxSession = await ScalarAsync(connection, "SELECT coalesce(max(id), 0) FROM sessions;", cancellationToken);
        var total = await ScalarAsync(connection, $"SELECT coalesce(sum(length(sessions) / {AccountDay.EntrySize}), 0) FROM account_days;", cancellationToken);
        if (!ChatListIndex.Fits(maxSession, total))
        {
            return null;
        }

        var builder = new ChatListIndex.Builder(mark, maxSession, total);
        await using var read = Command(connection, "SELECT account_id, day, sessions FROM account_days ORDER BY account_id, day;");
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (account, day, sessions) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
            for (var i = 0; i < AccountDay.Count(sessions); i++)
            {
                var entry = AccountDay.Read(sessions, i);
                builder.Add(account, day, entry.SessionId, entry.LastTime);
            }
        }

        return builder.Build();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A command on the connection, enlisted in its open transaction if it has one.</summary>
    internal static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Empties a grouping for its next window; one that grew past 50,000 sessions (1.2 MB) is left to the collector.</summary>
    private sealed class GroupingPolicy : PooledObjectPolicy<Dictionary<long, long>>
    {
        public override Dictionary<long, long> Create() => [];

        public override bool Return(Dictionary<long, long> grouping)
        {
            if (grouping.Count > 50_000)
            {
                return false;
            }

            grouping.Clear();
            return true;
        }
    }

    /// <summary>A column of Unix milliseconds as an instant, or null.</summary>
    private static DateTimeOffset? Instant(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    private static StoredAccessToken ReadAccessToken(SqliteDataReader reader, int first)
    {
        return new StoredAccessToken(reader.GetInt64(first), Instant(reader, first + 1), !reader.IsDBNull(first + 2), reader.GetInt64(first + 3) != 0);
    }

    private static StoredSession ReadSession(SqliteDataReader reader, int first) =>
        new(reader.GetInt64(first), reader.GetString(first + 1), reader.GetString(first + 2), reader.GetString(first + 3));

    private static void BindGetParameters(SqliteCommand command, ChatGetQuery query)
    {
        command.Bind("$session", query.SessionId);
        command.Bind("$from", query.FromMs);
        command.Bind("$to", query.ToMs);
        command.Bind("$mark", query.HighWaterMark);
    }

    /// <summary>The same, from the store's <c>account_days</c> rows (<see cref="ActiveSessionsAsync"/>).</summary>
    private async Task<(Dictionary<long, long> Candidates, int Total)> StoredWindowAsync(
        SqliteReadConnections.Lease lease, ChatListQuery query, long? cursorTime, int limit, CancellationToken cancellationToken)
    {
        var active = await ActiveSessionsAsync(lease, query, cancellationToken);
        return (ChatListIndex.PageCandidates(active, cursorTime, limit), active.Length);
    }

    /// <summary>A user's sessions as of <paramref name="mark"/>, ascending.</summary>
    private static async Task<int[]> UserSessionsAsync(SqliteReadConnections.Lease lease, long user, long mark, CancellationToken cancellationToken)
    {
        var command = lease.Command(
            """
            SELECT session_id FROM participants INDEXED BY participants_by_user
            WHERE user_id = $user AND since_arrival <= $mark ORDER BY session_id;
            """);
        command.Bind("$user", user);
        command.Bind("$mark", mark);
        var sessions = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                sessions.Add((int)reader.GetInt64(0));
            }
        }

        return [.. sessions];
    }

    /// <summary>
    /// The sessions of a <c>chat/list</c> window with their latest message time in it, from the
    /// window's <c>account_days</c> rows: never from the messages of the window. A session's day whose
    /// messages had all arrived by the snapshot gives its latest time when that time lies in the
    /// window, and shows it has no message in the window when that time is before it. Only a day with
    /// messages after the window's end, or holding a newer arrival, seeks its latest message in the
    /// window, walking back past newer arrivals: at most the window's last day, usually.
    /// </summary>
    private async Task<ActiveSession[]> ActiveSessionsAsync(
        SqliteReadConnections.Lease lease, ChatListQuery query, CancellationToken cancellationToken)
    {
        // The query holds the snapshot's high-water mark, and nothing that arrives later changes what
        // it reads: a result is valid for as long as it is kept, and the later pages of a traversal do
        // not scan at all.
        if (_activeSessions.TryGetValue(query, out ActiveSession[]? cached))
        {
            return cached!;
        }

        var latest = Groupings.Get();
        try
        {
            var seeks = new List<(long SessionId, long Day)>();
            var (fromDay, toDay) = (UtcDay.Of(query.FromMs), UtcDay.Of(query.ToMs));
            var days = new List<(long Day, byte[] Sessions)>();
            if (!_accountDays.TryGet(query.AccountId, fromDay, toDay, query.HighWaterMark, days))
            {
                var read = lease.Command(
                    "SELECT day, sessions FROM account_days WHERE account_id = $account AND day BETWEEN $from_day AND $to_day ORDER BY day;");
                read.Bind("$account", query.AccountId);
                read.Bind("$from_day", fromDay);
                read.Bind("$to_day", toDay);
                await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        days.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
                    }
                }

                _accountDays.Set(query.AccountId, fromDay, toDay, query.HighWaterMark, days);
            }

            foreach (var (day, sessions) in days)
            {
                for (var i = 0; i < AccountDay.Count(sessions); i++)
                {
                    var entry = AccountDay.Read(sessions, i);
                    if (entry.LastTime < query.FromMs)
                    {
                        // Every message of the day, arrived by the snapshot or not, is before the window.
                        continue;
                    }

                    if (entry.MaxArrival > query.HighWaterMark || entry.LastTime > query.ToMs)
                    {
                        seeks.Add((entry.SessionId, day));
                        continue;
                    }

                    Keep(latest, entry.SessionId, entry.LastTime);
                }
            }

            foreach (var (sessionId, day) in seeks)
            {
                var seek = lease.Command(
                    """
                    SELECT m.date_time FROM messages m
                    WHERE m.session_id = $session
                      AND m.date_time BETWEEN max($from, $day * 86400000) AND min($to, $day * 86400000 + 86399999)
                      AND m.id <= $mark
                    ORDER BY m.date_time DESC LIMIT 1;
                    """);
                seek.Bind("$session", sessionId);
                seek.Bind("$day", day);
                seek.Bind("$from", query.FromMs);
                seek.Bind("$to", query.ToMs);
                seek.Bind("$mark", query.HighWaterMark);
                if (await seek.ExecuteScalarAsync(cancellationToken) is long last)
                {
                    Keep(latest, sessionId, last);
                }
            }

            var active = query.UserId is { } user && latest.Count > 0
                ? await JoinedByAsync(lease, user, query.HighWaterMark, latest, cancellationToken)
                : [.. latest.Select(pair => new ActiveSession(pair.Key, pair.Value))];
            _activeSessions.Set(query, active, new MemoryCacheEntryOptions { Size = Math.Max(1, active.Length) });
            return active;
        }
        finally
        {
            Groupings.Return(latest);
        }

        static void Keep(Dictionary<long, long> latest, long sessionId, long last)
        {
            ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(latest, sessionId, out var exists);
            if (!exists || last > known)
            {
                known = last;
            }
        }
    }

    /// <summary>
    /// The sessions among <paramref name="latest"/> that <paramref name="user"/> had joined by the
    /// snapshot. Most users are in a few sessions: their entries of participants_by_user within the
    /// candidates' range (schema version 5) are read whole when there are at most a quarter as many as
    /// candidates. Otherwise each candidate is looked up, in ascending order, which costs SQLite a
    /// B-tree seek apiece: a busy user's range holds many more sessions than the window.
    /// </summary>
    private static async Task<ActiveSession[]> JoinedByAsync(
        SqliteReadConnections.Lease lease, long user, long mark, Dictionary<long, long> latest, CancellationToken cancellationToken)
    {
        var candidates = latest.Keys.ToArray();
        Array.Sort(candidates);
        var joined = new List<ActiveSession>();
        var most = Math.Max(64, candidates.Length / 4);
        var own = lease.Command(
            """
            SELECT session_id FROM participants INDEXED BY participants_by_user
            WHERE user_id = $user AND session_id BETWEEN $low AND $high AND since_arrival <= $mark
            LIMIT $most + 1;
            """);
        own.Bind("$user", user);
        own.Bind("$low", candidates[0]);
        own.Bind("$high", candidates[^1]);
        own.Bind("$mark", mark);
        own.Bind("$most", most);
        var read = 0;
        await using (var reader = await own.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                read++;
                var sessionId = reader.GetInt64(0);
                if (latest.TryGetValue(sessionId, out var last))
                {
                    joined.Add(new ActiveSession(sessionId, last));
                }
            }
        }

        if (read <= most)
        {
            return [.. joined];
        }

        joined.Clear();
        var members = lease.Command(
            """
            SELECT p.session_id FROM json_each($sessions) j CROSS JOIN participants p
            WHERE p.session_id = j.value AND p.user_id = $user AND p.since_arrival <= $mark;
            """);
        members.Bind("$sessions", "[" + string.Join(',', candidates) + "]");
        members.Bind("$user", user);
        members.Bind("$mark", mark);
        await using (var reader = await members.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var sessionId = reader.GetInt64(0);
                joined.Add(new ActiveSession(sessionId, latest[sessionId]));
            }
        }

        return [.. joined];
    }

    private static async Task<IReadOnlyList<string>> ParticipantEmailsAsync(
        SqliteConnection connection, long sessionId, long mark, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            """
            SELECT u.email FROM participants p JOIN users u ON u.id = p.user_id
            WHERE p.session_id = $session AND p.since_arrival <= $mark
            ORDER BY u.email;
            """);
        command.Parameters.AddWithValue("$session", sessionId);
        command.Parameters.AddWithValue("$mark", mark);
        var emails = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            emails.Add(reader.GetString(0));
        }

        return emails;
    }

    private async Task<bool> ExistsInAccountAsync(string sql, string? account, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql);
        command.Parameters.AddWithValue("$account", (object?)account ?? DBNull.Value);
        command.Parameters.AddWithValue("$value", value);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(_connectionString, cancellationToken);

    private Task<SqliteConnection> OpenRateLimitsAsync(CancellationToken cancellationToken) => OpenAsync(_rateLimitsConnectionString, cancellationToken);

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
