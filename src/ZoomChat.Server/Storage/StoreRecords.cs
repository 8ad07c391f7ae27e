namespace ZoomChat.Server.Storage;

/// <summary>An API credential as stored: the secret only as its hash.</summary>
internal sealed record StoredApiKey(long Id, long AccountId, byte[] SecretHash, bool Revoked);

/// <summary>An archive access token as stored, with what decides whether it still opens the archive.</summary>
internal sealed record StoredAccessToken(long AccountId, DateTimeOffset? ExpiresAt, bool Revoked, bool UserIsArchiveViewer);

/// <summary>
/// What the checks of one chat call read from the store, all at once: the API key, the access token, the
/// session and the user's id (each null when there is none) and the high-water mark, or all null and 0 for
/// an unknown key.
/// </summary>
/// <param name="RemovalMark">
/// The high-water mark that the latest session removal of the key's account took (0: none): a traversal
/// whose snapshot is older held what is removed, and its page tokens are refused (docs/compatibility.md).
/// </param>
/// <param name="Page">The <see cref="PageRead"/> asked for, read with the rest, or null.</param>
internal sealed record StoredCaller(
    StoredApiKey? ApiKey,
    StoredAccessToken? AccessToken,
    StoredSession? Session,
    long HighWaterMark,
    long RemovalMark = 0,
    long? UserId = null,
    PageRows? Page = null);

/// <summary>
/// A chat/get page to read with the caller: the session's messages after <paramref name="After"/> (null: from
/// <paramref name="FromMs"/>) up to <paramref name="ToMs"/> that had arrived by <paramref name="Mark"/> (null: the
/// caller's mark), <paramref name="Limit"/> at most, and on a first page the window's count when they fill it.
/// Read only when the key's stored secret hash is <paramref name="SecretHash"/>, so that a wrong secret reads no
/// more than an unknown key does.
/// </summary>
/// <param name="AccountId">The account a page token was opened for before the caller was read (null on a first
/// page): its rows are those of the request only if the key's account is that one.</param>
internal sealed record PageRead(byte[] SecretHash, long? AccountId, long FromMs, long ToMs, MessageCursor? After, long? Mark, int Limit);

/// <summary>
/// The rows of a <see cref="PageRead"/>, and the window's message count when it is a first page whose rows fill
/// its limit (otherwise null).
/// </summary>
internal sealed record PageRows(PageRead Read, IReadOnlyList<StoredMessage> Rows, int? Count);

/// <summary>A removed session as the record of removals keeps it (docs/operations.md#removing-a-session).</summary>
internal sealed record SessionRemoval(
    DateTimeOffset RemovedAt,
    string Account,
    string SessionId,
    string Type,
    string GroupName,
    long Messages,
    long Participants,
    long? FirstMessageMs,
    long? LastMessageMs);

/// <summary>A chat session as the API shows it.</summary>
internal sealed record StoredSession(long Id, string PublicId, string Type, string GroupName);

/// <summary>One row of a <c>chat/list</c> page: a session and its latest message time inside the range.</summary>
internal sealed record SessionActivity(StoredSession Session, long LastMessageTimeMs, IReadOnlyList<string> Participants);

/// <summary>Rows of a <c>chat/list</c> page, and the number of sessions in the whole window (not only after the cursor).</summary>
internal sealed record SessionPage(IReadOnlyList<SessionActivity> Rows, int WindowSessions);

/// <summary>One row of a <c>chat/get</c> page.</summary>
internal sealed record StoredMessage(long Arrival, long DateTimeMs, string Text, string? Sender);

/// <summary>What the rate limiter decided for one request.</summary>
internal readonly record struct RateDecision(bool Allowed, int RetryAfterSeconds);

/// <summary>A message as the export writes it, with its session's current names and participants.</summary>
internal sealed record ExportedMessage(
    string Account,
    string SessionId,
    string Type,
    string GroupName,
    IReadOnlyList<string> Participants,
    string? MessageId,
    string? Sender,
    long DateTimeMs,
    string Text);

/// <summary>An account, as <c>zoomchat account list</c> shows it.</summary>
internal sealed record ListedAccount(string Name, DateTimeOffset CreatedAt);

/// <summary>An API key, as <c>zoomchat key list</c> shows it: the key, which is no secret, and never the secret.</summary>
internal sealed record ListedApiKey(string ApiKey, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A user, as <c>zoomchat user list</c> shows it.</summary>
internal sealed record ListedUser(string Email, string? DisplayName, bool ArchiveViewer);

/// <summary>An access token, as <c>zoomchat token list</c> shows it, by its hash: the token itself is not kept.</summary>
internal sealed record ListedAccessToken(
    byte[] TokenHash, string Email, DateTimeOffset IssuedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool UserIsArchiveViewer);

/// <summary>What removing a user did: how many of their tokens it revoked, and whether it deleted them or kept them for their messages.</summary>
internal sealed record UserRemoval(int TokensRevoked, bool Deleted);
