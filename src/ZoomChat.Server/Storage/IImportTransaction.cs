namespace ZoomChat.Server.Storage;

/// <summary>
/// One batch of an import in one store transaction, crossed a chunk of lines at a time: the importer
/// reads what the store holds for the chunk's keys (<see cref="ReadAsync"/>), decides every line
/// without I/O (<see cref="Interchange.ImportPlanner"/>, where the rules of
/// <see href="../../../docs/import-formats.md#the-interchange-format">the interchange format</see>
/// live), and writes the chunk's changes in one call (<see cref="WriteAsync"/>). A store answers and
/// stores; it decides nothing. While the transaction is open no other import writes, so the ids it
/// hands out are the ones the rows get.
/// </summary>
internal interface IImportTransaction : IAsyncDisposable
{
    /// <summary>
    /// Adds to <paramref name="stored"/> (empty, and kept by the caller across chunks so that its tables are
    /// made once) what the store holds for the keys, and sets the next free ids (valid until the next write).
    /// </summary>
    Task ReadAsync(ImportKeys keys, StoredKeys stored, CancellationToken cancellationToken);

    /// <summary>
    /// Does for a chunk's changes what their write needs and no connection does, such as making the words
    /// of PostgreSQL's search index. Called on the planning thread, while the previous chunk is being
    /// written; a write of changes not prepared does it itself.
    /// </summary>
    void Prepare(ImportChanges changes)
    {
    }

    /// <summary>Writes a chunk's changes: new sessions and users first, then messages and participants.</summary>
    Task WriteAsync(ImportChanges changes, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

/// <summary>A session as an import sees it.</summary>
internal sealed record ImportedSession(long Id, string Type, string GroupName, IReadOnlySet<long> ParticipantIds);

/// <summary>What makes a stored message the same as an imported line (docs/import-formats.md#the-interchange-format).</summary>
internal readonly record struct MessageIdentity(long SessionId, long DateTimeMs, long? SenderId, string Text);
