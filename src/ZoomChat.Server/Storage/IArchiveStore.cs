namespace ZoomChat.Server.Storage;

/// <summary>
/// Everything ZoomChat keeps: accounts, credentials, tokens, sessions and messages. One interface,
/// filled by each backend (SQLite now, PostgreSQL later), so that the API and the tools never see SQL.
/// </summary>
internal interface IArchiveStore : IAsyncDisposable
{
    /// <summary>A short name of the backend and its location, without credentials, for logs.</summary>
    string Description { get; }

    /// <summary>
    /// Whether the store was opened read-only, as asked or because it cannot be written
    /// (docs/operations.md#read-only-stores); known once <see cref="InitializeAsync"/> has run.
    /// </summary>
    bool IsReadOnly { get; }

    /// <summary>
    /// Creates the schema, or upgrades it to the current version; a read-only store's is only checked.
    /// A store that cannot be used throws <see cref="ArchiveStoreException"/>, naming its file.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The key that seals page tokens, created once and shared by every process on this store.</summary>
    Task<byte[]> GetPageTokenKeyAsync(CancellationToken cancellationToken);

    // Accounts, credentials and tokens (docs/api.md#credentials-and-access-tokens).

    Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates an account; false when one of that name exists.</summary>
    Task<bool> CreateAccountAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every account, by name.</summary>
    Task<IReadOnlyList<ListedAccount>> ListAccountsAsync(CancellationToken cancellationToken);

    Task CreateApiKeyAsync(long accountId, string apiKey, byte[] secretHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes a key of the account; false when the account has no such key.</summary>
    Task<bool> RevokeApiKeyAsync(long accountId, string apiKey, DateTimeOffset now, CancellationToken cancellationToken);

    Task<StoredApiKey?> FindApiKeyAsync(string apiKey, CancellationToken cancellationToken);

    /// <summary>The account's API keys, oldest first; never their secrets.</summary>
    Task<IReadOnlyList<ListedApiKey>> ListApiKeysAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>Adds a user or updates one; a null name or privilege leaves the stored one as it is.</summary>
    Task UpsertUserAsync(long accountId, string email, string? displayName, bool? archiveViewer, CancellationToken cancellationToken);

    /// <summary>The user's id and whether they may view the archive, or null.</summary>
    Task<(long Id, bool ArchiveViewer)?> FindUserAsync(long accountId, string email, CancellationToken cancellationToken);

    /// <summary>The account's users, by e-mail: those added by hand and those that imports named.</summary>
    Task<IReadOnlyList<ListedUser>> ListUsersAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the user's access tokens and takes the archive-view privilege away, in one transaction; then
    /// deletes the user and their tokens only when no session names them, so that messages keep their sender.
    /// </summary>
    Task<UserRemoval> RemoveUserAsync(long accountId, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task CreateAccessTokenAsync(long accountId, long userId, byte[] tokenHash, DateTimeOffset issuedAt, DateTimeOffset? expiresAt, CancellationToken cancellationToken);

    /// <summary>Revokes a token of the account; false when the account has no such token.</summary>
    Task<bool> RevokeAccessTokenAsync(long accountId, byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task<StoredAccessToken?> FindAccessTokenAsync(byte[] tokenHash, CancellationToken cancellationToken);

    /// <summary>The account's access tokens, oldest first, as their hashes: the tokens themselves are not kept.</summary>
    Task<IReadOnlyList<ListedAccessToken>> ListAccessTokensAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>
    /// In one read, what a chat call's checks need: the API key, the access token of that hash, the
    /// session of that id and the user of that e-mail in the key's account (null hash, id or e-mail: none)
    /// and the high-water mark. Read afresh on every call, never cached, so that a revocation takes effect
    /// at once in every process. A store whose every statement is a round trip may read <paramref name="page"/>
    /// of that session in the same one (<see cref="StoredCaller.Page"/>); one that does not leaves it null.
    /// </summary>
    Task<StoredCaller> FindCallerAsync(
        string apiKey, byte[]? accessTokenHash, string? sessionId, string? email, PageRead? page, CancellationToken cancellationToken);

    // Rate limits (docs/api.md#rate-limits).

    /// <summary>Takes one request from every bucket of the key, or from none when any is empty.</summary>
    Task<RateDecision> TryConsumeAsync(long apiKeyId, IReadOnlyList<RateBucket> buckets, DateTimeOffset now, CancellationToken cancellationToken);

    // The chat API's reads (docs/api.md#listing-sessions-chatlist to docs/api.md#paging-and-page-tokens).

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

    // Interchange (docs/import-formats.md#the-interchange-format).

    /// <summary>Starts one import transaction; what it writes is seen by readers only once committed.</summary>
    Task<IImportTransaction> BeginImportAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many records an import reads, plans and writes at a time (<see cref="Interchange.ArchiveImporter"/>): a
    /// chunk's reads and writes are a few store calls, each a round trip on a database server.
    /// </summary>
    int ImportChunkSize => Interchange.ArchiveImporter.DefaultChunkSize;

    /// <summary>
    /// Ends an import: what a store put off while loading it does now (SQLite builds the index that an
    /// import into an empty store dropped: docs/operations.md#import-into-an-empty-store). Not called
    /// when an import fails or is stopped; the store then does it when next opened.
    /// </summary>
    Task CompleteImportAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
