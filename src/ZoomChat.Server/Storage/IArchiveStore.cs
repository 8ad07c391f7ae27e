namespace ZoomChat.Server.Storage;

/// <summary>
/// Everything ZoomChat keeps: accounts, credentials, tokens, sessions and messages. One interface,
/// filled by each backend (SQLite now, PostgreSQL later), so that the API and the tools never see SQL.
/// </summary>
internal interface IArchiveStore : IAsyncDisposable
{
    /// <summary>A short name of the backend and its location, without credentials, for logs.</summary>
    string Description { get; }

    /// <summary>Creates the schema, or upgrades it to the current version.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The key that seals page tokens, created once and shared by every process on this store.</summary>
    Task<byte[]> GetPageTokenKeyAsync(CancellationToken cancellationToken);

    // Accounts, credentials and tokens (CONTRACT.md section 8).

    Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates an account; false when one of that name exists.</summary>
    Task<bool> CreateAccountAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    Task CreateApiKeyAsync(long accountId, string apiKey, byte[] secretHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes a key of the account; false when the account has no such key.</summary>
    Task<bool> RevokeApiKeyAsync(long accountId, string apiKey, DateTimeOffset now, CancellationToken cancellationToken);

    Task<StoredApiKey?> FindApiKeyAsync(string apiKey, CancellationToken cancellationToken);

    /// <summary>Adds a user or updates one; a null name or privilege leaves the stored one as it is.</summary>
    Task UpsertUserAsync(long accountId, string email, string? displayName, bool? archiveViewer, CancellationToken cancellationToken);

    /// <summary>The user's id and whether they may view the archive, or null.</summary>
    Task<(long Id, bool ArchiveViewer)?> FindUserAsync(long accountId, string email, CancellationToken cancellationToken);

    Task CreateAccessTokenAsync(long accountId, long userId, byte[] tokenHash, DateTimeOffset issuedAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>Revokes a token of the account; false when the account has no such token.</summary>
    Task<bool> RevokeAccessTokenAsync(long accountId, byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task<StoredAccessToken?> FindAccessTokenAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// In one read, what a chat call's checks need: the API key, the access token of that hash, the
    /// session of that id in the key's account (null hash or id: none) and the high-water mark. Read
    /// afresh on every call, never cached, so that a revocation takes effect at once in every process.
    /// </summary>
    Task<StoredCaller> FindCallerAsync(string apiKey, byte[]? accessTokenHash, string? sessionId, CancellationToken cancellationToken);

    // Rate limits (CONTRACT.md section 9).

    /// <summary>Takes one request from every bucket of the key, or from none when any is empty.</summary>
    Task<RateDecision> TryConsumeAsync(long apiKeyId, IReadOnlyList<RateBucket> buckets, DateTimeOffset now, CancellationToken cancellationToken);

    // The chat API's reads (CONTRACT.md sections 5 to 7).

    /// <summary>The arrival number of the latest stored message: a snapshot that later imports do not change.</summary>
    Task<long> GetHighWaterMarkAsync(CancellationToken cancellationToken);

    Task<StoredSession?> FindSessionAsync(long accountId, string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> sessions of the window after <paramref name="after"/>, and how
    /// many sessions the whole window holds: finding the page means finding them all anyway.
    /// </summary>
    Task<SessionPage> ListSessionsAsync(ChatListQuery query, SessionCursor? after, int limit, CancellationToken cancellationToken);

    Task<int> CountMessagesAsync(ChatGetQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredMessage>> GetMessagesAsync(ChatGetQuery query, MessageCursor? after, int limit, CancellationToken cancellationToken);

    // Interchange (CONTRACT.md section 10).

    /// <summary>Starts one import transaction; what it writes is seen by readers only once committed.</summary>
    Task<IImportTransaction> BeginImportAsync(CancellationToken cancellationToken);

    /// <summary>Whether a session of that id is stored in the named account, or in any account when none is named.</summary>
    Task<bool> SessionExistsAsync(string? account, string sessionId, CancellationToken cancellationToken);

    /// <summary>Whether a user of that (lower-case) e-mail is in the named account, or in any account when none is named.</summary>
    Task<bool> UserExistsAsync(string? account, string email, CancellationToken cancellationToken);

    /// <summary>
    /// Removes sessions of an account with their messages, participants and per-day tallies, all or none,
    /// and records each removal. A traversal of the account begun before it is refused from then on;
    /// users stay. Null when the account does not exist.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A session id names no session of the account; nothing is removed.</exception>
    Task<IReadOnlyList<SessionRemoval>?> RemoveSessionsAsync(string account, IReadOnlyList<string> sessionIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The record of removed sessions, oldest first: of one account, or of all when none is named.</summary>
    Task<IReadOnlyList<SessionRemoval>> ListRemovalsAsync(string? account, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the whole store (accounts, users, keys and tokens as hashes, sessions, messages) into a new
    /// store at <paramref name="destination"/>, consistent as of one moment while others read and write.
    /// </summary>
    /// <returns>The size of the copy, in bytes.</returns>
    Task<long> BackupAsync(string destination, CancellationToken cancellationToken);

    /// <summary>Streams the archive in export order, as of the moment the export starts.</summary>
    IAsyncEnumerable<ExportedMessage> ExportAsync(ExportQuery query, CancellationToken cancellationToken);
}
