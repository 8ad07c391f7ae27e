using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using ZoomChat.Client.Wire;

namespace ZoomChat.Server.Storage.Postgres;

/// <summary>
/// The store on a PostgreSQL database (docs/operations.md#running-on-postgresql): one
/// <see cref="NpgsqlDataSource"/> whose pool every call borrows from. Writers that hand out ids
/// (imports, session removal, adding a user) take one transaction-level advisory lock, one at a time
/// per database, and give each new row max + 1: so an arrival number, once committed, is never given
/// again or preceded by a later commit, and a snapshot mark means the same rows for as long as it lives
/// (docs/operations.md#snapshots-on-postgresql). The chat API's page reads may go to streaming replicas
/// (docs/operations.md#read-replicas); everything else stays on the primary.
/// </summary>
internal sealed partial class PostgresArchiveStore : IArchiveStore, IArchiveSearch
{
    /// <summary>How a bad <c>--store</c> value is named in its error.</summary>
    internal const string StoreSetting = "--store (or ZoomChat:Store)";

    /// <summary>How a bad <c>--read-store</c> value is named in its error.</summary>
    internal const string ReadStoreSetting = "--read-store (or ZoomChat:ReadStore)";

    /// <summary>How long a page read waits for a replica to replay its snapshot before it reads the primary.</summary>
    internal static readonly TimeSpan ReplicaWait = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan ReplicaPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Statements kept prepared per connection: more than the store runs, so none is ever evicted.</summary>
    private const int AutoPrepared = 64;

    /// <summary>A pool's connections at most, unless the store value says otherwise (<see cref="Pooled"/>).</summary>
    internal const int PoolSize = 16;

    /// <summary>The most sessions' chat/list rows kept (<see cref="SessionRows"/>): the busy ones of a large archive, in a few tens of megabytes.</summary>
    private const int SessionRowsKept = 100_000;

    /// <summary>The advisory lock that writers of ids hold for their transaction (an arbitrary constant: "ZoomChat" in ASCII).</summary>
    internal const long WriterLock = 0x5A6F6F6D43686174;

    /// <summary>
    /// The advisory lock that creating or upgrading the schema holds, so that servers starting at once take
    /// turns; dropping and building <see cref="PostgresSchema.DeferredIndexes"/> holds it too.
    /// </summary>
    internal const long SchemaLock = 0x5A6F6F6D53636865;

    private readonly NpgsqlDataSource _dataSource;
    private readonly (NpgsqlDataSource Pool, string Description)[] _replicas;
    private readonly ChatListIndexSlot _listIndex;
    private readonly SenderEmails _senders = new();
    private SessionRows? _sessionRows;
    private int _nextReplica;

    /// <param name="urlOrConnectionString">The primary: every write, every credential check and every snapshot mark.</param>
    /// <param name="replicas">Streaming replicas of it, for the chat API's page reads; each may name several hosts.</param>
    /// <param name="chatListIndex">Whether chat/list may answer from a <see cref="ChatListIndex"/>; off, it always reads the database.</param>
    public PostgresArchiveStore(string urlOrConnectionString, IReadOnlyList<string>? replicas = null, bool chatListIndex = true)
    {
        var builder = Pooled(Parse(urlOrConnectionString));
        Description = DescriptionOf(builder);
        _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        _replicas = [.. (replicas ?? []).Select(OpenReplica)];
        _listIndex = new ChatListIndexSlot(chatListIndex, TimeProvider.System, BuildListIndexAsync, () => { });
    }

    public string Description { get; }

    public bool IsReadOnly => false;

    /// <summary>Whether a <c>--store</c> value names a PostgreSQL database: a postgres:// URL or a connection string with Host=.</summary>
    public static bool Names(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || store.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A postgres:// URL (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING-URIS: user,
    /// password, host, port, database, and query parameters as Npgsql keywords) or an Npgsql connection string.
    /// </summary>
    internal static NpgsqlConnectionStringBuilder Parse(string store, string setting = StoreSetting)
    {
        if (!store.Contains("://", StringComparison.Ordinal))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(store);
            }
            catch (ArgumentException e)
            {
                throw new ArchiveStoreException($"{setting} is no PostgreSQL connection string: {e.Message}", e);
            }
        }

        if (!Uri.TryCreate(store, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArchiveStoreException($"{setting} is no PostgreSQL URL: give postgres://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (pair, "") : (pair[..equals], pair[(equals + 1)..]);
            try
            {
                builder[Uri.UnescapeDataString(name)] = Uri.UnescapeDataString(value);
            }
            catch (ArgumentException e)
            {
                throw new ArchiveStoreException($"{setting} has a parameter PostgreSQL does not know: {Uri.UnescapeDataString(name)} ({e.Message})", e);
            }
        }

        return builder;
    }

    /// <summary>
    /// The settings of a pool, each unless the value sets it (docs/operations.md#running-on-postgresql): a
    /// statement run a few times on a connection is prepared there, not parsed and planned again on every
    /// request (<c>Max Auto Prepare</c>, https://www.npgsql.org/doc/prepare.html#automatic-preparation); and a
    /// connection handed back to the pool is not reset (<c>No Reset On Close</c>), since the store leaves no
    /// session state behind: its settings are <c>SET LOCAL</c>, its advisory locks end with their transaction
    /// or are unlocked, and it makes no temporary table; and the pool holds <see cref="PoolSize"/> connections
    /// at most (<c>Maximum Pool Size</c>), not Npgsql's 100. Its connections are never multiplexed: the store's
    /// transactions and advisory locks live on a connection.
    /// </summary>
    internal static NpgsqlConnectionStringBuilder Pooled(NpgsqlConnectionStringBuilder builder)
    {
        // Npgsql's builder knows every keyword, set or not; its connection string holds only those set.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = AutoPrepared;
        }

        // Npgsql's reset is seven statements (RESET ALL, DISCARD TEMP, ...) sent before the next use of the
        // connection: before every statement of a request, as each opens its own.
        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        // Each connection is a database process: a request's statements wait less for a few busy ones than
        // for dozens that the database's cores switch among (https://wiki.postgresql.org/wiki/Number_Of_Database_Connections).
        // With 100 on the benchmark machine, a request took nearly twice the database's CPU (docs/benchmarks.md).
        if (!given.ContainsKey("Maximum Pool Size"))
        {
            builder.MaxPoolSize = PoolSize;
        }

        builder.Multiplexing = false;
        return builder;
    }

    /// <summary>
    /// A replica's pool. A value naming several hosts (<c>Host=r1,r2</c>) is one multi-host pool that prefers standbys
    /// unless it says otherwise (https://www.npgsql.org/doc/failover-and-load-balancing.html).
    /// </summary>
    private static (NpgsqlDataSource Pool, string Description) OpenReplica(string urlOrConnectionString)
    {
        var builder = Pooled(Parse(urlOrConnectionString, ReadStoreSetting));
        var pool = builder.Host?.Contains(',', StringComparison.Ordinal) == true && builder.TargetSessionAttributes is null
            ? new NpgsqlDataSourceBuilder(builder.ConnectionString).BuildMultiHost().WithTargetSession(TargetSessionAttributes.PreferStandby)
            : new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        return (pool, DescriptionOf(builder));
    }

    /// <summary>
    /// A connection for a page read of the snapshot <paramref name="mark"/>: to a replica once it holds every message
    /// up to the mark, which it does as soon as it holds any message at or above it; else, after waiting
    /// <see cref="ReplicaWait"/> at most, to the primary (docs/operations.md#read-replicas). Later statements on the
    /// same connection see the same replica, which only moves forward.
    /// </summary>
    private async Task<NpgsqlConnection> OpenReadConnectionAsync(long mark, CancellationToken cancellationToken)
    {
        if (_replicas.Length == 0)
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }

        var replica = _replicas[(int)((uint)Interlocked.Increment(ref _nextReplica) % (uint)_replicas.Length)].Pool;
        NpgsqlConnection? connection = null;
        try
        {
            connection = await replica.OpenConnectionAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            await using var holds = Command(connection, "SELECT $1 <= 0 OR EXISTS (SELECT 1 FROM messages WHERE id >= $1);", mark);
            while (true)
            {
                if ((bool)(await holds.ExecuteScalarAsync(cancellationToken))!)
                {
                    return connection;
                }

                if (Stopwatch.GetElapsedTime(started) >= ReplicaWait)
                {
                    break;
                }

                await Task.Delay(ReplicaPoll, cancellationToken);
            }
        }
        catch (NpgsqlException)
        {
            // A replica that went away (refused, or its pooled connections broken) sends its pages to the primary.
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw;
        }

        await connection.DisposeAsync();
        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>The database as a URL without its password, for logs and errors.</summary>
    private static string DescriptionOf(NpgsqlConnectionStringBuilder builder)
    {
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        return $"postgres://{user}{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? ""}";
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({SchemaLock});", cancellationToken);
            try
            {
                await UpgradeAsync(connection, cancellationToken);
                await BuildDeferredIndexesAsync(connection, cancellationToken);
            }
            finally
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({SchemaLock});", CancellationToken.None);
            }
        }
        catch (NpgsqlException e)
        {
            throw new ArchiveStoreException($"The store {Description} cannot be used: {e.Message}", e);
        }

        // A replica is only reached at start, not checked further: it may not have replayed a new schema yet.
        foreach (var (pool, description) in _replicas)
        {
            try
            {
                await using var connection = await pool.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw new ArchiveStoreException($"The read store {description} cannot be used: {e.Message}", e);
            }
        }
    }

    private async Task UpgradeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var hasVersion = (bool)(await ScalarAsync(connection, "SELECT to_regclass('schema_version') IS NOT NULL;", cancellationToken))!;
        if (!hasVersion && (long)(await ScalarAsync(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema();", cancellationToken))! > 0)
        {
            throw new ArchiveStoreException($"The store {Description} is a database of something else, not a ZoomChat store; it was left as it is.");
        }

        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);", cancellationToken);
        var current = (int)(await ScalarAsync(connection, "SELECT coalesce(max(version), 0) FROM schema_version;", cancellationToken))!;
        if (current > PostgresSchema.Versions.Length)
        {
            throw new ArchiveStoreException(
                $"The store {Description} has schema version {current}, newer than this zoomchat knows ({PostgresSchema.Versions.Length}). Upgrade zoomchat.");
        }

        for (var version = current + 1; version <= PostgresSchema.Versions.Length; version++)
        {
            await ExecuteAsync(connection, PostgresSchema.Versions[version - 1], cancellationToken);
            if (version == PostgresSchema.SearchIndexVersion)
            {
                await PostgresSearch.IndexStoredMessagesAsync(connection, cancellationToken);
            }

            await ExecuteAsync(connection, $"INSERT INTO schema_version (version) VALUES ({version});", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Builds the indexes that an import into an empty database put off, those missing, in one transaction
    /// (docs/operations.md#import-into-an-empty-store).
    /// </summary>
    internal static async Task BuildDeferredIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await BuildMissingIndexesAsync(connection, PostgresSchema.DeferredIndexes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Builds those of the indexes that are missing, in the connection's transaction, under the schema lock
    /// (taken here; a transaction that holds it already takes it again, as advisory locks stack).
    /// Whether one is missing is read from the catalog first: <c>CREATE INDEX IF NOT EXISTS</c> would lock
    /// the table against an import's writes to find out.
    /// </summary>
    internal static async Task BuildMissingIndexesAsync(
        NpgsqlConnection connection, IEnumerable<(string Name, string Create)> indexes, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({SchemaLock});", cancellationToken);
        foreach (var (name, create) in indexes)
        {
            if ((bool)(await ScalarAsync(connection, "SELECT to_regclass($1) IS NULL;", cancellationToken, name))!)
            {
                await ExecuteAsync(connection, create, cancellationToken);
            }
        }
    }

    public async Task<byte[]> GetPageTokenKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "INSERT INTO server_keys (name, value) VALUES ('page_token', $1) ON CONFLICT DO NOTHING;", cancellationToken, RandomNumberGenerator.GetBytes(32));
        return (byte[])(await ScalarAsync(connection, "SELECT value FROM server_keys WHERE name = 'page_token';", cancellationToken))!;
    }

    public async Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken) =>
        Unstorable(name) ? null : await ScalarAsync("SELECT id FROM accounts WHERE name = $1;", cancellationToken, name) is long id ? id : null;

    public async Task<bool> CreateAccountAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        await NonQueryAsync("INSERT INTO accounts (name, created_ms) VALUES ($1, $2) ON CONFLICT DO NOTHING;", cancellationToken, name, now.ToUnixTimeMilliseconds()) == 1;

    public Task<IReadOnlyList<ListedAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
        ListAsync("SELECT name, created_ms FROM accounts ORDER BY name;", r => new ListedAccount(r.GetString(0), Instant(r, 1)!.Value), cancellationToken);

    public Task CreateApiKeyAsync(long accountId, string apiKey, byte[] secretHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        NonQueryAsync(
            "INSERT INTO api_keys (account_id, api_key, secret_hash, created_ms) VALUES ($1, $2, $3, $4);",
            cancellationToken, accountId, apiKey, secretHash, now.ToUnixTimeMilliseconds());

    public async Task<bool> RevokeApiKeyAsync(long accountId, string apiKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        await NonQueryAsync(
            "UPDATE api_keys SET revoked_ms = coalesce(revoked_ms, $3) WHERE account_id = $1 AND api_key = $2;",
            cancellationToken, accountId, apiKey, now.ToUnixTimeMilliseconds()) == 1;

    public async Task<StoredApiKey?> FindApiKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (Unstorable(apiKey))
        {
            return null;
        }

        var found = await ListAsync(
            "SELECT id, account_id, secret_hash, revoked_ms FROM api_keys WHERE api_key = $1;",
            r => new StoredApiKey(r.GetInt64(0), r.GetInt64(1), (byte[])r.GetValue(2), !r.IsDBNull(3)),
            cancellationToken,
            apiKey);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ListedApiKey>> ListApiKeysAsync(long accountId, CancellationToken cancellationToken) =>
        ListAsync(
            "SELECT api_key, created_ms, revoked_ms FROM api_keys WHERE account_id = $1 ORDER BY created_ms, id;",
            r => new ListedApiKey(r.GetString(0), Instant(r, 1)!.Value, Instant(r, 2)),
            cancellationToken,
            accountId);

    public async Task UpsertUserAsync(long accountId, string email, string? displayName, bool? archiveViewer, CancellationToken cancellationToken)
    {
        // A new user's id is max + 1, as imports give them: under the writers' lock.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({WriterLock});", cancellationToken);
        await ExecuteAsync(
            connection,
            """
            INSERT INTO users (id, account_id, email, display_name, archive_viewer)
            SELECT coalesce(max(id), 0) + 1, $1, $2, $3, coalesce($4, false) FROM users
            ON CONFLICT (account_id, email) DO UPDATE SET
                display_name = coalesce(excluded.display_name, users.display_name),
                archive_viewer = coalesce($4, users.archive_viewer);
            """,
            cancellationToken,
            accountId,
            email,
            (object?)displayName ?? DBNull.Value,
            archiveViewer is { } viewer ? viewer : DBNull.Value);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(long Id, bool ArchiveViewer)?> FindUserAsync(long accountId, string email, CancellationToken cancellationToken)
    {
        if (Unstorable(email))
        {
            return null;
        }

        var found = await ListAsync(
            "SELECT id, archive_viewer FROM users WHERE account_id = $1 AND email = $2;",
            r => (r.GetInt64(0), r.GetBoolean(1)),
            cancellationToken,
            accountId,
            email);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ListedUser>> ListUsersAsync(long accountId, CancellationToken cancellationToken) =>
        ListAsync(
            "SELECT email, display_name, archive_viewer FROM users WHERE account_id = $1 ORDER BY email;",
            r => new ListedUser(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetBoolean(2)),
            cancellationToken,
            accountId);

    public async Task<UserRemoval> RemoveUserAsync(long accountId, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Under the writers' lock, so that no import makes the user a participant or a sender meanwhile.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({WriterLock});", cancellationToken);
        var revoked = await ExecuteAsync(
            connection,
            "UPDATE access_tokens SET revoked_ms = $1 WHERE account_id = $2 AND user_id = $3 AND revoked_ms IS NULL;",
            cancellationToken,
            now.ToUnixTimeMilliseconds(),
            accountId,
            userId);
        var named = (bool)(await ScalarAsync(
            connection,
            "SELECT EXISTS (SELECT 1 FROM participants WHERE user_id = $1) OR EXISTS (SELECT 1 FROM messages WHERE sender_id = $1);",
            cancellationToken,
            userId))!;
        if (named)
        {
            await ExecuteAsync(connection, "UPDATE users SET archive_viewer = false WHERE id = $1 AND account_id = $2;", cancellationToken, userId, accountId);
        }
        else
        {
            await ExecuteAsync(connection, "DELETE FROM access_tokens WHERE user_id = $1 AND account_id = $2;", cancellationToken, userId, accountId);
            await ExecuteAsync(connection, "DELETE FROM users WHERE id = $1 AND account_id = $2;", cancellationToken, userId, accountId);
        }

        await transaction.CommitAsync(cancellationToken);
        return new UserRemoval(revoked, Deleted: !named);
    }

    public Task CreateAccessTokenAsync(
        long accountId, long userId, byte[] tokenHash, DateTimeOffset issuedAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        NonQueryAsync(
            "INSERT INTO access_tokens (account_id, user_id, token_hash, issued_ms, expires_ms) VALUES ($1, $2, $3, $4, $5);",
            cancellationToken,
            accountId,
            userId,
            tokenHash,
            issuedAt.ToUnixTimeMilliseconds(),
            expiresAt is { } expires ? expires.ToUnixTimeMilliseconds() : DBNull.Value);

    public async Task<bool> RevokeAccessTokenAsync(long accountId, byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken) =>
        await NonQueryAsync(
            "UPDATE access_tokens SET revoked_ms = coalesce(revoked_ms, $3) WHERE account_id = $1 AND token_hash = $2;",
            cancellationToken, accountId, tokenHash, now.ToUnixTimeMilliseconds()) == 1;

    public async Task<StoredAccessToken?> FindAccessTokenAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        var found = await ListAsync(
            """
            SELECT t.account_id, t.expires_ms, t.revoked_ms, u.archive_viewer
            FROM access_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = $1;
            """,
            r => ReadAccessToken(r, 0),
            cancellationToken,
            tokenHash);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ListedAccessToken>> ListAccessTokensAsync(long accountId, CancellationToken cancellationToken) =>
        ListAsync(
            """
            SELECT t.token_hash, u.email, t.issued_ms, t.expires_ms, t.revoked_ms, u.archive_viewer
            FROM access_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.account_id = $1
            ORDER BY t.issued_ms, t.id;
            """,
            r => new ListedAccessToken((byte[])r.GetValue(0), r.GetString(1), Instant(r, 2)!.Value, Instant(r, 3), Instant(r, 4), r.GetBoolean(5)),
            cancellationToken,
            accountId);

    public async Task<RateDecision> TryConsumeAsync(long apiKeyId, IReadOnlyList<RateBucket> buckets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One request of a key at a time, in every process: its buckets are read and written as one.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(1516138317, hashtext($1::text));", cancellationToken, apiKeyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var nowMs = now.ToUnixTimeMilliseconds();
        var held = new List<(double Tokens, long StampMs)?>(buckets.Count);
        foreach (var bucket in buckets)
        {
            await using var read = Command(connection, "SELECT tokens, stamp_ms FROM rate_buckets WHERE api_key_id = $1 AND name = $2;", apiKeyId, bucket.Name);
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
            await ExecuteAsync(
                connection,
                """
                INSERT INTO rate_buckets (api_key_id, name, tokens, stamp_ms) VALUES ($1, $2, $3, $4)
                ON CONFLICT (api_key_id, name) DO UPDATE SET tokens = excluded.tokens, stamp_ms = excluded.stamp_ms;
                """,
                cancellationToken,
                apiKeyId,
                buckets[i].Name,
                levels[i] - 1,
                nowMs);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RateDecision(true, 0);
    }

    public async Task<StoredCaller> FindCallerAsync(
        string apiKey, byte[]? accessTokenHash, string? sessionId, string? email, PageRead? page, CancellationToken cancellationToken)
    {
        if (Unstorable(apiKey))
        {
            // No key: the same answer as an unknown one, without its look-up.
            return new StoredCaller(null, null, null, 0);
        }

        if (Unstorable(sessionId))
        {
            sessionId = null;
        }

        if (Unstorable(email))
        {
            email = null;
        }

        // With replicas, pages are theirs to read (OpenReadConnectionAsync).
        if (sessionId is null || _replicas.Length > 0)
        {
            page = null;
        }

        var (caller, rows, count) = await ReadCallerAsync(apiKey, accessTokenHash, sessionId, email, page, cancellationToken);
        if (page is null || rows is null)
        {
            return caller;
        }

        // After the caller's reader is closed: its connection may be the one this statement is given.
        var senders = new SenderScope(caller.ApiKey!.AccountId, caller.RemovalMark);
        var messages = await _senders.ResolveAsync(rows, senders, _dataSource.CreateCommand, cancellationToken);
        return caller with { Page = new PageRows(page, messages, count) };
    }

    /// <summary>The caller's statement, with the page's rows when it read them for the key's own secret.</summary>
    private async Task<(StoredCaller Caller, List<PageRow>? Rows, int? Count)> ReadCallerAsync(
        string apiKey, byte[]? accessTokenHash, string? sessionId, string? email, PageRead? page, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(page is null ? CallerSql : CallerWithPageSql);
        command.Parameters.Add(new NpgsqlParameter { Value = apiKey, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)accessTokenHash ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sessionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)email ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        if (page is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = page.SecretHash, NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = page.FromMs, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = page.ToMs, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = page.Limit, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = UtcDay.Of(page.FromMs), NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = UtcDay.Of(page.ToMs), NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = page.After?.DateTimeMs ?? page.FromMs, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = page.After?.Arrival ?? 0L, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)page.Mark ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = page.After is null, NpgsqlDbType = NpgsqlDbType.Boolean });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(0))
        {
            return (new StoredCaller(null, null, null, 0), null, null);
        }

        var key = new StoredApiKey(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2), !reader.IsDBNull(3));
        var token = reader.IsDBNull(7) ? null : ReadAccessToken(reader, 4);
        var session = reader.IsDBNull(8) ? null : ReadSession(reader, 8);
        var caller = new StoredCaller(key, token, session, reader.GetInt64(12), reader.GetInt64(13), reader.IsDBNull(14) ? null : reader.GetInt64(14));
        // The statement read the page only for the key's own secret; compared here as the handler compares it.
        if (page is null || session is null || !CryptographicOperations.FixedTimeEquals(page.SecretHash, key.SecretHash))
        {
            return (caller, null, null);
        }

        int? count = reader.IsDBNull(15) ? null : (int)reader.GetInt64(15);
        var rows = new List<PageRow>();
        do
        {
            if (!reader.IsDBNull(16))
            {
                rows.Add(ReadPageRow(reader, 16));
            }
        }
        while (await reader.ReadAsync(cancellationToken));
        return (caller, rows, count);
    }

    /// <summary>
    /// What a chat call's checks read, in one statement: the token and the mark are looked up whether or not
    /// the key exists, so that an unknown key answers no faster than a wrong secret.
    /// </summary>
    private const string CallerColumns = """
        SELECT k.id, k.account_id, k.secret_hash, k.revoked_ms,
               t.account_id, t.expires_ms, t.revoked_ms, u.archive_viewer,
               s.id AS session_id, s.public_id, s.type, s.group_name,
               (SELECT coalesce(max(id), 0) FROM messages) AS mark,
               (SELECT coalesce(max(r.mark), 0) FROM session_removals r WHERE r.account_id = k.account_id),
               e.id
        FROM (SELECT 1) AS one
        LEFT JOIN api_keys k ON k.api_key = $1
        LEFT JOIN access_tokens t ON t.token_hash = $2
        LEFT JOIN users u ON u.id = t.user_id
        LEFT JOIN sessions s ON s.account_id = k.account_id AND s.public_id = $3
        LEFT JOIN users e ON e.account_id = k.account_id AND e.email = $4
        """;

    private const string CallerSql = CallerColumns + ";";

    /// <summary>
    /// The caller, and in the same trip a chat/get page: after ($11, $12), up to $7, arrived by $13 (null: the
    /// caller's mark), $8 rows at most, only when the key's secret hash is $5; on a first page ($14) with the
    /// window's count ($6 to $7, $9 to $10 its days) when the page is full. A statement's trip costs this
    /// database about what reading a page does (docs/benchmarks.md#the-first-page-with-the-caller). The page's
    /// ORDER BY and LIMIT stay inside the lateral subquery, so that it reads the session's index in order and stops.
    /// </summary>
    private static readonly string CallerWithPageSql = $"""
        WITH caller AS MATERIALIZED ({CallerColumns}),
        page AS MATERIALIZED (
            SELECT p.* FROM caller c, LATERAL (
                SELECT m.id, m.date_time, m.body, m.sender_id
                FROM messages m
                WHERE c.secret_hash = $5 AND m.session_id = c.session_id
                  AND (m.date_time, m.id) > ($11, $12) AND m.date_time <= $7 AND m.id <= coalesce($13, c.mark)
                ORDER BY m.date_time, m.id
                LIMIT $8) AS p),
        total AS MATERIALIZED (
            SELECT ({MessageCountSql("c.session_id", "$6", "$7", "coalesce($13, c.mark)", "$9", "$10")})::bigint AS n
            FROM caller c
            WHERE $14 AND (SELECT count(*) FROM page) = $8)
        SELECT c.*, (SELECT n FROM total), p.*
        FROM caller c LEFT JOIN page p ON true
        ORDER BY p.date_time, p.id;
        """;

    /// <summary>
    /// The messages of a session's window that had arrived by a mark: days wholly inside the window, all of
    /// whose messages had arrived by the mark, give their count; the edge days and any day holding a newer
    /// arrival are counted exactly. Each argument is the SQL of its value.
    /// </summary>
    private static string MessageCountSql(string session, string fromMs, string toMs, string mark, string firstDay, string lastDay) => $"""
        SELECT coalesce(sum(CASE
            WHEN d.day * 86400000 >= {fromMs} AND d.day * 86400000 + 86399999 <= {toMs} AND d.max_arrival <= {mark}
                THEN d.messages
            ELSE (SELECT count(*) FROM messages m
                  WHERE m.session_id = {session}
                    AND m.date_time BETWEEN greatest({fromMs}, d.day * 86400000) AND least({toMs}, d.day * 86400000 + 86399999)
                    AND m.id <= {mark})
            END), 0)
        FROM session_days d
        WHERE d.session_id = {session} AND d.day BETWEEN {firstDay} AND {lastDay}
        """;

    public async Task<long> GetHighWaterMarkAsync(CancellationToken cancellationToken) =>
        (long)(await ScalarAsync("SELECT coalesce(max(id), 0) FROM messages;", cancellationToken))!;

    public async Task<StoredSession?> FindSessionAsync(long accountId, string sessionId, CancellationToken cancellationToken)
    {
        if (Unstorable(sessionId))
        {
            return null;
        }

        var found = await ListAsync(
            "SELECT id, public_id, type, group_name FROM sessions WHERE account_id = $1 AND public_id = $2;",
            r => ReadSession(r, 0),
            cancellationToken,
            accountId,
            sessionId);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<SessionPage> ListSessionsAsync(ChatListQuery query, SessionCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(query.HighWaterMark, cancellationToken);
        var (page, total) = _listIndex.For(query) is { } index
            ? await IndexedPageAsync(connection, index, query, after, limit, cancellationToken)
            : await StoredPageAsync(connection, query, after, limit, cancellationToken);
        return new SessionPage(page.ConvertAll(row => new SessionActivity(row.Session, row.Last, row.Participants)), total);
    }

    /// <summary>
    /// A page row's participants, read with its session: only a 1:1 session shows them, as they are now
    /// (docs/api.md#listing-sessions-chatlist). Each e-mail by its own look-up: a join's generic plan, which the
    /// prepared statement soon uses, read and hashed the whole users table for a page's few participants.
    /// </summary>
    private const string ParticipantsOfSession = $"""
        CASE WHEN s.type = '{ChatSessionTypes.OneOnOne}' THEN ARRAY(
            SELECT (SELECT u.email FROM users u WHERE u.id = p.user_id) AS email
            FROM participants p WHERE p.session_id = s.id ORDER BY email) END
        """;

    private static string[] ReadParticipants(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? [] : reader.GetFieldValue<string[]>(column);

    /// <summary>The page and the window's session count, read from the database.</summary>
    private static async Task<(List<(StoredSession Session, long Last, string[] Participants)> Page, int Total)> StoredPageAsync(
        NpgsqlConnection connection, ChatListQuery query, SessionCursor? after, int limit, CancellationToken cancellationToken)
    {
        // The window's sessions with their latest message in it, from session_days: a day whose messages
        // had all arrived by the snapshot and end inside the window gives its latest time; any other day
        // that reaches into the window seeks its latest message there (docs/api.md#snapshots). The page is
        // among the sessions tied with the cursor and the newest $10 before it, ties included (cutoff), so
        // only those are joined with sessions for the public id that breaks ties, not the whole window.
        await using var command = Command(
            connection,
            $$"""
            WITH days AS (
                SELECT d.session_id,
                       CASE WHEN d.max_arrival <= $4 AND d.last_time <= $3 THEN d.last_time
                            ELSE (SELECT m.date_time FROM messages m
                                  WHERE m.session_id = d.session_id
                                    AND m.date_time BETWEEN greatest($2, d.day * 86400000) AND least($3, d.day * 86400000 + 86399999)
                                    AND m.id <= $4
                                  ORDER BY m.date_time DESC LIMIT 1)
                       END AS last
                FROM session_days d
                WHERE d.account_id = $1 AND d.day BETWEEN $5 AND $6 AND d.last_time >= $2
                  AND ($7::bigint IS NULL OR EXISTS (
                        SELECT 1 FROM participants p WHERE p.session_id = d.session_id AND p.user_id = $7 AND p.since_arrival <= $4))
            ),
            active AS (
                SELECT session_id, max(last) AS last FROM days WHERE last IS NOT NULL GROUP BY session_id
            ),
            total AS (SELECT count(*) AS n FROM active),
            cutoff AS (
                SELECT last FROM active WHERE $8::bigint IS NULL OR last < $8
                ORDER BY last DESC OFFSET $10 - 1 LIMIT 1
            )
            SELECT total.n, page.id, page.public_id, page.type, page.group_name, page.last, page.participants
            FROM total LEFT JOIN LATERAL (
                SELECT s.id, s.public_id, s.type, s.group_name, a.last, {{ParticipantsOfSession}} AS participants
                FROM active a JOIN sessions s ON s.id = a.session_id
                WHERE a.last >= coalesce((SELECT last FROM cutoff), a.last)
                  AND ($8::bigint IS NULL OR a.last < $8 OR (a.last = $8 AND s.public_id > $9))
                ORDER BY a.last DESC, s.public_id
                LIMIT $10
            ) AS page ON true;
            """,
            query.AccountId,
            query.FromMs,
            query.ToMs,
            query.HighWaterMark,
            UtcDay.Of(query.FromMs),
            UtcDay.Of(query.ToMs),
            query.UserId is { } user ? user : DBNull.Value,
            after is { } c1 ? c1.LastMessageTimeMs : DBNull.Value,
            after is { } c2 ? c2.SessionId : DBNull.Value,
            limit);
        command.Parameters[6].NpgsqlDbType = NpgsqlDbType.Bigint;
        command.Parameters[7].NpgsqlDbType = NpgsqlDbType.Bigint;
        command.Parameters[8].NpgsqlDbType = NpgsqlDbType.Text;
        var total = 0;
        var page = new List<(StoredSession Session, long Last, string[] Participants)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                total = (int)reader.GetInt64(0);
                if (!reader.IsDBNull(1))
                {
                    page.Add((ReadSession(reader, 1), reader.GetInt64(5), ReadParticipants(reader, 6)));
                }
            }
        }

        return (page, total);
    }

    /// <summary>
    /// The page and the window's session count from the chat/list index; the page's sessions from the rows kept
    /// for the index's mark (<see cref="SessionRows"/>) or read from the database.
    /// </summary>
    private async Task<(List<(StoredSession Session, long Last, string[] Participants)> Page, int Total)> IndexedPageAsync(
        NpgsqlConnection connection, ChatListIndex index, ChatListQuery query, SessionCursor? after, int limit, CancellationToken cancellationToken)
    {
        var (lastOf, total) = await index.WindowAsync(
            query, after?.LastMessageTimeMs, limit, (user, mark, cancel) => UserSessionsAsync(connection, user, mark, cancel), cancellationToken);
        var kept = query.NewestMark == index.Mark ? SessionRowsOf(index.Mark) : null;
        var rows = new Dictionary<long, (StoredSession Session, string[] Participants)>(lastOf.Count);
        var missing = new List<long>();
        foreach (var id in lastOf.Keys)
        {
            if (kept is not null && kept.TryGetValue(id, out var row))
            {
                rows.Add(id, row);
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            var read = await ListAsync(
                connection,
                $"SELECT s.id, s.public_id, s.type, s.group_name, {ParticipantsOfSession} FROM sessions s WHERE s.account_id = $1 AND s.id = ANY($2::bigint[]);",
                r => (Session: ReadSession(r, 0), Participants: ReadParticipants(r, 4)),
                cancellationToken,
                query.AccountId,
                missing.ToArray());
            // ConcurrentDictionary.Count takes every lock: read once per page, not per row.
            var room = kept is null ? 0 : SessionRowsKept - kept.Count;
            foreach (var row in read)
            {
                rows.Add(row.Session.Id, row);
                if (room-- > 0)
                {
                    kept!.TryAdd(row.Session.Id, row);
                }
            }
        }

        var page = SessionPages.Page(rows.Values.Select(row => row.Session), lastOf, after, limit);
        return (page.ConvertAll(row => (row.Session, row.Last, rows[row.Session.Id].Participants)), total);
    }

    /// <summary>
    /// The chat/list rows of sessions (public id, type, group name, a 1:1 session's participants) kept for the
    /// newest mark, replaced by the first query of a newer one. Each of them changes only with a stored message
    /// (a new session, group name or participant, all written with their message) or a session removal (whose
    /// placeholder message takes a new mark); so while no message has arrived after the mark, a row read then
    /// is the row as it is now (docs/operations.md#several-servers-on-one-database). Users' e-mails never change.
    /// </summary>
    private sealed record SessionRows(long Mark, ConcurrentDictionary<long, (StoredSession Session, string[] Participants)> Rows);

    private ConcurrentDictionary<long, (StoredSession Session, string[] Participants)>? SessionRowsOf(long mark)
    {
        var current = Volatile.Read(ref _sessionRows);
        if (current is null || current.Mark < mark)
        {
            Interlocked.CompareExchange(ref _sessionRows, new SessionRows(mark, new()), current);
            current = Volatile.Read(ref _sessionRows);
        }

        return current!.Mark == mark ? current.Rows : null;
    }

    /// <summary>A user's sessions as of <paramref name="mark"/>, ascending.</summary>
    private static async Task<int[]> UserSessionsAsync(NpgsqlConnection connection, long user, long mark, CancellationToken cancellationToken) =>
        [.. await ListAsync(
            connection,
            "SELECT session_id FROM participants WHERE user_id = $1 AND since_arrival <= $2 ORDER BY session_id;",
            r => checked((int)r.GetInt64(0)),
            cancellationToken,
            user,
            mark)];

    /// <summary>Builds the chat/list index now, as a query with a newer mark would in the background (for tests).</summary>
    internal Task<ChatListIndex?> BuildListIndexNowAsync(CancellationToken cancellationToken) => _listIndex.BuildNowAsync(cancellationToken);

    /// <summary>
    /// Reads every <c>session_days</c> row in one REPEATABLE READ transaction, whose snapshot holds every
    /// message up to its newest and none after it (<see cref="WriterLock"/>). Null when the index would
    /// take more than its budget; chat/list then reads the database.
    /// </summary>
    private async Task<ChatListIndex?> BuildListIndexAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var counts = await ListAsync(
            connection,
            "SELECT (SELECT coalesce(max(id), 0) FROM messages), (SELECT coalesce(max(id), 0) FROM sessions), (SELECT count(*) FROM session_days);",
            r => (Mark: r.GetInt64(0), MaxSession: r.GetInt64(1), Entries: r.GetInt64(2)),
            cancellationToken);
        var (mark, maxSession, entries) = counts[0];
        if (!ChatListIndex.Fits(maxSession, entries))
        {
            return null;
        }

        var builder = new ChatListIndex.Builder(mark, maxSession, entries);
        await using (var read = Command(connection, "SELECT account_id, day, session_id, last_time FROM session_days ORDER BY account_id, day;"))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                builder.Add(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return builder.Build();
    }

    public async Task<int> CountMessagesAsync(ChatGetQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(query.HighWaterMark, cancellationToken);
        var count = await ScalarAsync(
            connection,
            CountSql,
            cancellationToken,
            query.SessionId,
            query.FromMs,
            query.ToMs,
            query.HighWaterMark,
            UtcDay.Of(query.FromMs),
            UtcDay.Of(query.ToMs));
        return Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly string CountSql = MessageCountSql("$1", "$2", "$3", "$4", "$5", "$6") + ";";

    public async Task<IReadOnlyList<StoredMessage>> GetMessagesAsync(ChatGetQuery query, MessageCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(query.HighWaterMark, cancellationToken);
        var rows = await ListAsync(
            connection,
            """
            SELECT m.id, m.date_time, m.body, m.sender_id
            FROM messages m
            WHERE m.session_id = $1
              AND (m.date_time, m.id) > ($2, $3)
              AND m.date_time <= $4
              AND m.id <= $5
            ORDER BY m.date_time, m.id
            LIMIT $6;
            """,
            ReadPageRow,
            cancellationToken,
            query.SessionId,
            after?.DateTimeMs ?? query.FromMs,
            after?.Arrival ?? 0L,
            query.ToMs,
            query.HighWaterMark,
            limit);
        return await _senders.ResolveAsync(rows, query.Senders, sql => new NpgsqlCommand(sql, connection), cancellationToken);
    }

    private static PageRow ReadPageRow(NpgsqlDataReader reader) => ReadPageRow(reader, 0);

    private static PageRow ReadPageRow(NpgsqlDataReader reader, int first) =>
        new(reader.GetInt64(first), reader.GetInt64(first + 1), PostgresText.Read(reader.GetString(first + 2)), reader.IsDBNull(first + 3) ? null : reader.GetInt64(first + 3));

    public async Task<SearchPage> SearchAsync(long accountId, SearchQuery query, SearchCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await PostgresSearch.SearchAsync(connection, accountId, query, after, limit, cancellationToken);
    }

    /// <summary>
    /// Four times the default: a chunk's reads and writes are about ten statements, each a round trip
    /// (docs/benchmarks.md#the-chunk-size-on-postgresql).
    /// </summary>
    public int ImportChunkSize => 4 * Interchange.ArchiveImporter.DefaultChunkSize;

    public async Task<IImportTransaction> BeginImportAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await PostgresImportTransaction.BeginAsync(connection, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task CompleteImportAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await BuildDeferredIndexesAsync(connection, cancellationToken);
    }

    public async Task<bool> SessionExistsAsync(string? account, string sessionId, CancellationToken cancellationToken) =>
        !Unstorable(account) && !Unstorable(sessionId) && await ScalarAsync(
            "SELECT 1 FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.public_id = $2 AND ($1::text IS NULL OR a.name = $1) LIMIT 1;",
            cancellationToken,
            (object?)account ?? DBNull.Value,
            sessionId) is not null;

    public async Task<bool> UserExistsAsync(string? account, string email, CancellationToken cancellationToken) =>
        !Unstorable(account) && !Unstorable(email) && await ScalarAsync(
            "SELECT 1 FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.email = $2 AND ($1::text IS NULL OR a.name = $1) LIMIT 1;",
            cancellationToken,
            (object?)account ?? DBNull.Value,
            email) is not null;

    public async Task<IReadOnlyList<SessionRemoval>?> RemoveSessionsAsync(
        string account, IReadOnlyList<string> sessionIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await PostgresSessionRemoval.RemoveAsync(connection, account, sessionIds, now, cancellationToken);
    }

    public Task<IReadOnlyList<SessionRemoval>> ListRemovalsAsync(string? account, CancellationToken cancellationToken) =>
        ListAsync(
            """
            SELECT removed_ms, account, session_id, type, group_name, messages, participants, first_ms, last_ms
            FROM session_removals WHERE $1::text IS NULL OR account = $1 ORDER BY id;
            """,
            r => new SessionRemoval(
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)),
                r.GetString(1),
                r.GetString(2),
                r.GetString(3),
                r.GetString(4),
                r.GetInt64(5),
                r.GetInt64(6),
                r.IsDBNull(7) ? null : r.GetInt64(7),
                r.IsDBNull(8) ? null : r.GetInt64(8)),
            cancellationToken,
            (object?)account ?? DBNull.Value);

    public Task<long> BackupAsync(string destination, CancellationToken cancellationToken) =>
        throw new ArchiveStoreException(
            $"zoomchat backup copies a SQLite store; back up the PostgreSQL store {Description} with pg_dump (docs/operations.md#backup-on-postgresql).");

    public async IAsyncEnumerable<ExportedMessage> ExportAsync(ExportQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One REPEATABLE READ transaction: sessions' names are read as of the same moment as the messages.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var mark = (long)(await ScalarAsync(connection, "SELECT coalesce(max(id), 0) FROM messages;", cancellationToken))!;
        var sessions = new List<(string Account, StoredSession Session)>();
        await using (var command = Command(
            connection,
            """
            SELECT a.name, s.id, s.public_id, s.type, s.group_name
            FROM sessions s JOIN accounts a ON a.id = s.account_id
            WHERE ($1::text IS NULL OR a.name = $1)
              AND ($2::text IS NULL OR s.public_id = $2)
              AND ($3::text IS NULL OR EXISTS (
                    SELECT 1 FROM participants p JOIN users u ON u.id = p.user_id
                    WHERE p.session_id = s.id AND u.email = $3 AND p.since_arrival <= $4))
            ORDER BY a.name, s.public_id;
            """,
            (object?)query.Account ?? DBNull.Value,
            (object?)query.SessionId ?? DBNull.Value,
            (object?)query.Email ?? DBNull.Value,
            mark))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                sessions.Add((reader.GetString(0), ReadSession(reader, 1)));
            }
        }

        foreach (var (account, session) in sessions)
        {
            var participants = new List<string>();
            await using (var members = Command(
                connection,
                """
                SELECT u.email FROM participants p JOIN users u ON u.id = p.user_id
                WHERE p.session_id = $1 AND p.since_arrival <= $2
                ORDER BY u.email;
                """,
                session.Id,
                mark))
            await using (var reader = await members.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    participants.Add(reader.GetString(0));
                }
            }

            await using var command = Command(
                connection,
                """
                SELECT m.message_id, u.email, m.date_time, m.body
                FROM messages m LEFT JOIN users u ON u.id = m.sender_id
                WHERE m.session_id = $1 AND m.id <= $2 AND m.date_time BETWEEN $3 AND $4
                ORDER BY m.date_time, m.id;
                """,
                session.Id,
                mark,
                query.FromMs ?? long.MinValue,
                query.ToMs ?? long.MaxValue);
            await using var messages = await command.ExecuteReaderAsync(cancellationToken);
            while (await messages.ReadAsync(cancellationToken))
            {
                yield return new ExportedMessage(
                    account,
                    session.PublicId,
                    session.Type,
                    session.GroupName,
                    participants,
                    messages.IsDBNull(0) ? null : messages.GetString(0),
                    messages.IsDBNull(1) ? null : messages.GetString(1),
                    messages.GetInt64(2),
                    PostgresText.Read(messages.GetString(3)));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _listIndex.DisposeAsync();
        foreach (var (pool, _) in _replicas)
        {
            await pool.DisposeAsync();
        }

        await _dataSource.DisposeAsync();
    }

    /// <summary>
    /// Whether a key (a name, an id, an e-mail) holds U+0000, which PostgreSQL's text cannot hold, so that no
    /// stored key has it (docs/compatibility.md#interchange-import-and-export): a look-up by it finds nothing,
    /// as on SQLite, instead of failing in the database.
    /// </summary>
    internal static bool Unstorable(string? key) => key is not null && key.Contains('\0', StringComparison.Ordinal);

    /// <summary>A command with positional parameters ($1, $2, …), enlisted in the connection's open transaction.</summary>
    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    internal static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ScalarAsync(connection, sql, cancellationToken, values);
    }

    private async Task<int> NonQueryAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ExecuteAsync(connection, sql, cancellationToken, values);
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] values)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ListAsync(connection, sql, read, cancellationToken, values);
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(
        NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static DateTimeOffset? Instant(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(column));

    private static StoredAccessToken ReadAccessToken(NpgsqlDataReader reader, int first) =>
        new(reader.GetInt64(first), Instant(reader, first + 1), !reader.IsDBNull(first + 2), reader.GetBoolean(first + 3));

    private static StoredSession ReadSession(NpgsqlDataReader reader, int first) =>
        new(reader.GetInt64(first), reader.GetString(first + 1), reader.GetString(first + 2), reader.GetString(first + 3));
}
