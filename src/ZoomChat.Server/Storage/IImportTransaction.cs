namespace ZoomChat.Server.Storage;

/// <summary>
/// The operations an import needs, inside one transaction. The rules of the interchange format live
/// in <see cref="Interchange.ArchiveImporter"/>; a backend only answers and stores.
/// </summary>
internal interface IImportTransaction : IAsyncDisposable
{
    Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken);

    /// <summary>The session, its type and the ids of its participants.</summary>
    Task<ImportedSession?> FindSessionAsync(long accountId, string sessionId, CancellationToken cancellationToken);

    Task<long> CreateSessionAsync(long accountId, string sessionId, string type, string groupName, CancellationToken cancellationToken);

    Task SetGroupNameAsync(long sessionId, string groupName, CancellationToken cancellationToken);

    /// <summary>The id of the user with that (lower-case) e-mail, or null; creates nothing.</summary>
    Task<long?> FindUserAsync(long accountId, string email, CancellationToken cancellationToken);

    /// <summary>The id of the user with that (lower-case) e-mail, created without privileges when new.</summary>
    Task<long> GetOrCreateUserAsync(long accountId, string email, CancellationToken cancellationToken);

    /// <summary>Adds a participant, visible to snapshots taken at or after <paramref name="sinceArrival"/>.</summary>
    Task AddParticipantAsync(long sessionId, long userId, long sinceArrival, CancellationToken cancellationToken);

    Task<MessageIdentity?> FindMessageByIdAsync(long accountId, string messageId, CancellationToken cancellationToken);

    /// <summary>Whether the session holds a message of that instant, sender and text (lines without an id, docs/import-formats.md#the-interchange-format).</summary>
    Task<bool> HasSameMessageAsync(long sessionId, long dateTimeMs, long? senderId, string text, CancellationToken cancellationToken);

    /// <summary>Stores a message and returns its arrival number.</summary>
    Task<long> InsertMessageAsync(long accountId, long sessionId, string? messageId, long? senderId, long dateTimeMs, string text, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>A session as an import sees it.</summary>
internal sealed record ImportedSession(long Id, string Type, string GroupName, IReadOnlySet<long> ParticipantIds);

/// <summary>What makes a stored message the same as an imported line (docs/import-formats.md#the-interchange-format).</summary>
internal sealed record MessageIdentity(long SessionId, long DateTimeMs, long? SenderId, string Text);
