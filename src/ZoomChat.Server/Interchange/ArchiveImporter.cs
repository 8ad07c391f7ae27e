using ZoomChat.Client.Wire;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// Imports an archive in the interchange format (docs/import-formats.md#the-interchange-format), streaming it line by line,
/// or the records that a reader of another format makes (<c>Formats/</c>, docs/import-formats.md). Lines are read
/// a chunk at a time and only then applied, in store transactions of a batch each, so that the
/// store's write lock is never held while waiting for input (a slow pipe must not stall other
/// writers). One import at a time per instance.
/// </summary>
internal sealed class ArchiveImporter
{
    public const int DefaultBatchSize = 50_000;

    /// <summary>
    /// Records read and held at once. A batch larger than this is written a chunk at a time in one
    /// transaction, so that memory does not grow with the batch: parsed records take several times
    /// their size in the file. Small chunks die young: a chunk of many thousands of records outlives
    /// the garbage collector's youngest generation, and collecting the older ones is costly
    /// (docs/benchmarks.md#fifth-pass).
    /// </summary>
    private const int MaxChunkSize = 1_000;

    /// <summary>
    /// How long records already read wait for the rest of their chunk: an input that trickles (a live
    /// pipe) has what it sent written after this pause rather than when a thousand records have come.
    /// </summary>
    private static readonly TimeSpan InputPause = TimeSpan.FromMilliseconds(200);

    private readonly IArchiveStore _store;
    private readonly int _batchSize;
    private readonly int _chunkSize;
    private readonly int _maxLineBytes;
    private readonly Dictionary<string, long> _accountIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(long AccountId, string Email), long> _userIds = [];
    private readonly Dictionary<(long AccountId, string SessionId), BatchSession> _sessions = [];

    /// <summary>A read of the next record that was still waiting for input when its chunk was handed on.</summary>
    private Task<bool>? _pendingMove;

    public ArchiveImporter(IArchiveStore store, int batchSize = DefaultBatchSize, int maxLineBytes = NdjsonLineReader.DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _store = store;
        _batchSize = batchSize;
        _chunkSize = Math.Min(batchSize, MaxChunkSize);
        _maxLineBytes = maxLineBytes;
    }

    private enum Outcome
    {
        Stored,
        Duplicate,
        Rejected,
    }

    /// <summary>
    /// Imports every line of <paramref name="ndjson"/>. Bad lines go to <paramref name="onRejected"/> and
    /// never stop the import. Cancelling stops it after committing the lines read so far; the summary
    /// then says so instead of an exception being thrown.
    /// </summary>
    /// <param name="defaultAccount">The account of lines that name none (the command's <c>--account</c>).</param>
    public Task<ImportSummary> ImportAsync(
        Stream ndjson,
        string? defaultAccount,
        IProgress<ImportProgress>? progress,
        Action<ImportProblem> onRejected,
        CancellationToken cancellationToken) =>
        ImportAsync(NdjsonRecords.ReadAsync(ndjson, _maxLineBytes, cancellationToken), defaultAccount, progress, onRejected, cancellationToken);

    /// <summary>
    /// Imports records of any format (docs/import-formats.md), read lazily a chunk at a time, with the same rules,
    /// batching and cancellation as an NDJSON file: the summary's <see cref="ImportSummary.Lines"/> is
    /// the line number of the last record read.
    /// </summary>
    public async Task<ImportSummary> ImportAsync(
        IAsyncEnumerable<ImportRecord> records,
        string? defaultAccount,
        IProgress<ImportProgress>? progress,
        Action<ImportProblem> onRejected,
        CancellationToken cancellationToken)
    {
        // Ids remembered by an earlier import that failed may belong to rolled-back rows.
        _accountIds.Clear();
        _userIds.Clear();
        _pendingMove = null;
        var source = records.GetAsyncEnumerator(cancellationToken);
        long stored = 0, duplicates = 0, rejected = 0, lineNumber = 0;

        // The next chunk is read and parsed on another thread while this one is written: reading takes
        // about half as long as storing, and the machine has another core. Once cancelled, no chunk is
        // begun; the one read ahead is still written and committed, so that nothing read is dropped.
        Task<Chunk>? reading = ReadChunkAsync(source, cancellationToken);
        IImportTransaction? transaction = null;
        long inTransaction = 0;
        var more = true;
        try
        {
            while (reading is not null)
            {
                var chunk = await reading;
                more = chunk.More;
                reading = more && !cancellationToken.IsCancellationRequested
                    ? Task.Run(() => ReadChunkAsync(source, cancellationToken), CancellationToken.None)
                    : null;
                lineNumber = chunk.LastLineNumber ?? lineNumber;
                if (transaction is null && chunk.Records.Exists(record => record.Line is not null))
                {
                    transaction = await _store.BeginImportAsync(CancellationToken.None);
                    _sessions.Clear();
                }

                var counts = await ApplyAsync(transaction, chunk.Records, defaultAccount, onRejected);
                (stored, duplicates, rejected) = (stored + counts.Stored, duplicates + counts.Duplicates, rejected + counts.Rejected);
                inTransaction += chunk.Records.Count;

                // A transaction goes on into the next chunk only when that one is read already: the
                // write lock is never held while waiting for input, and a failed read loses no chunk.
                if (transaction is not null && (inTransaction >= _batchSize || reading is not { IsCompletedSuccessfully: true }))
                {
                    await transaction.CommitAsync(CancellationToken.None);
                    await transaction.DisposeAsync();
                    (transaction, inTransaction) = (null, 0);
                }

                if (chunk.Records.Count > 0)
                {
                    progress?.Report(new ImportProgress(lineNumber, stored, duplicates, rejected));
                }
            }
        }
        finally
        {
            // Rolled back unless committed: a half-written batch is never kept.
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            // The chunk being read must be done with the source before it is disposed.
            if (reading is not null)
            {
                await reading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            // Cancelled while waiting for input that has not come: the read still waiting cannot be
            // stopped, nor its source disposed under it; the input's owner closes it.
            if (_pendingMove is not { IsCompleted: false })
            {
                await source.DisposeAsync();
            }
        }

        return new ImportSummary(stored, duplicates, rejected, lineNumber, Cancelled: more);
    }

    /// <summary>
    /// Reads up to a chunk of records: fewer at the end of the input, when the input pauses with
    /// records in hand (<see cref="InputPause"/>), or when cancelled, even while waiting for input (the
    /// records read by then are still imported, so that a stalled pipe gives up what it sent).
    /// </summary>
    private async Task<Chunk> ReadChunkAsync(IAsyncEnumerator<ImportRecord> source, CancellationToken cancellationToken)
    {
        var records = new List<ImportRecord>(_chunkSize);
        long? lastLineNumber = null;
        while (records.Count < _chunkSize)
        {
            bool moved;
            try
            {
                var next = _pendingMove is { } pending ? new ValueTask<bool>(pending) : source.MoveNextAsync();
                _pendingMove = null;
                if (next.IsCompletedSuccessfully)
                {
                    moved = next.Result;
                }
                else
                {
                    var move = next.AsTask();
                    try
                    {
                        moved = await move.WaitAsync(records.Count > 0 ? InputPause : Timeout.InfiniteTimeSpan, cancellationToken);
                    }
                    catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        // The next chunk takes the read up where it stands.
                        _pendingMove = move;
                        return new Chunk(records, lastLineNumber, More: true);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new Chunk(records, lastLineNumber, More: true);
            }

            if (!moved)
            {
                return new Chunk(records, lastLineNumber, More: false);
            }

            var record = source.Current;
            lastLineNumber = record.LineNumber;
            if (!record.IsBlank)
            {
                records.Add(record);
            }
        }

        return new Chunk(records, lastLineNumber, More: true);
    }

    /// <summary>Applies one chunk in the open transaction (none when no record has a line to apply).</summary>
    private async Task<(long Stored, long Duplicates, long Rejected)> ApplyAsync(
        IImportTransaction? transaction, List<ImportRecord> chunk, string? defaultAccount, Action<ImportProblem> onRejected)
    {
        long stored = 0, duplicates = 0, rejected = 0;
        foreach (var record in chunk)
        {
            var (outcome, problem) = record.Line is { } line
                ? await ImportLineAsync(transaction!, line, defaultAccount)
                : (Outcome.Rejected, record.Problem);
            switch (outcome)
            {
                case Outcome.Stored:
                    stored++;
                    break;
                case Outcome.Duplicate:
                    duplicates++;
                    break;
                default:
                    rejected++;
                    onRejected(new ImportProblem(record.LineNumber, problem!, record.File));
                    break;
            }
        }

        return (stored, duplicates, rejected);
    }

    /// <summary>Applies the rules of the interchange format (docs/import-formats.md#the-interchange-format) to one line: every check first, then the writes.</summary>
    private async Task<(Outcome Outcome, string? Problem)> ImportLineAsync(IImportTransaction transaction, InterchangeLine line, string? defaultAccount)
    {
        var ct = CancellationToken.None;
        var accountName = line.Account ?? defaultAccount;
        if (accountName is null)
        {
            return (Outcome.Rejected, ImportReasons.NoAccount);
        }

        if (await FindAccountAsync(transaction, accountName) is not { } accountId)
        {
            return (Outcome.Rejected, ImportReasons.UnknownAccount(accountName));
        }

        var session = await FindSessionAsync(transaction, accountId, line.SessionId);
        var senderId = line.Sender is null ? null : await FindUserAsync(transaction, accountId, line.Sender);

        // A sender who is no user yet cannot have sent a stored message.
        var senderMayBeStored = line.Sender is null || senderId is not null;
        if (line.MessageId is { } messageId)
        {
            if (await transaction.FindMessageByIdAsync(accountId, messageId, ct) is { } stored)
            {
                // Only session, instant, sender and text decide; type, name and participants are not compared.
                var difference =
                    stored.SessionId != session?.Id ? "session"
                    : stored.DateTimeMs != line.DateTimeMs ? "date_time"
                    : !senderMayBeStored || stored.SenderId != senderId ? "sender"
                    : !string.Equals(stored.Text, line.Text, StringComparison.Ordinal) ? "message"
                    : null;
                return difference is null
                    ? (Outcome.Duplicate, null)
                    : (Outcome.Rejected, ImportReasons.Conflict(messageId, difference));
            }
        }
        else if (session is not null
            && senderMayBeStored
            && await transaction.HasSameMessageAsync(session.Id, line.DateTimeMs, senderId, line.Text, ct))
        {
            return (Outcome.Duplicate, null);
        }

        // The first stored line fixes the type; a line stating none never changes it.
        var type = session?.Type ?? line.Type ?? ChatSessionTypes.Group;
        if (line.Type is not null && line.Type != type)
        {
            return (Outcome.Rejected, ImportReasons.TypeConflict(line.SessionId, type, line.Type));
        }

        var newParticipants = new List<string>();
        foreach (var email in line.Sender is null ? line.Participants : line.Participants.Append(line.Sender))
        {
            // Most lines repeat their session's participants: those known by e-mail cost no user lookup.
            if (session is not null && session.MemberEmails.Contains(email))
            {
                continue;
            }

            var userId = email == line.Sender ? senderId : await FindUserAsync(transaction, accountId, email);
            if (userId is not null && session is not null && session.ParticipantIds.Contains(userId.Value))
            {
                session.MemberEmails.Add(email);
            }
            else if (!newParticipants.Contains(email))
            {
                newParticipants.Add(email);
            }
        }

        if (type == ChatSessionTypes.OneOnOne)
        {
            var existing = session?.ParticipantIds.Count ?? 0;
            if (existing + newParticipants.Count > 2)
            {
                return (Outcome.Rejected, ImportReasons.ThirdParticipant(line.SessionId, newParticipants[Math.Max(0, 2 - existing)]));
            }
        }

        // Every check passed: now write. Group names only exist for groups (docs/api.md#listing-sessions-chatlist).
        if (session is null)
        {
            var groupName = type == ChatSessionTypes.Group ? line.GroupName ?? string.Empty : string.Empty;
            var id = await transaction.CreateSessionAsync(accountId, line.SessionId, type, groupName, ct);
            session = new BatchSession(id, type, groupName, []);
            _sessions[(accountId, line.SessionId)] = session;
        }
        else if (type == ChatSessionTypes.Group && line.GroupName is { } groupName && groupName != session.GroupName)
        {
            await transaction.SetGroupNameAsync(session.Id, groupName, ct);
            session.GroupName = groupName;
        }

        if (line.Sender is not null)
        {
            senderId ??= await GetOrCreateUserAsync(transaction, accountId, line.Sender);
        }

        var arrival = await transaction.InsertMessageAsync(accountId, session.Id, line.MessageId, senderId, line.DateTimeMs, line.Text, ct);
        foreach (var email in newParticipants)
        {
            // Visible from this message's arrival on, so that earlier snapshots keep their membership (docs/api.md#snapshots).
            var userId = await GetOrCreateUserAsync(transaction, accountId, email);
            await transaction.AddParticipantAsync(session.Id, userId, arrival, ct);
            session.ParticipantIds.Add(userId);
            session.MemberEmails.Add(email);
        }

        return (Outcome.Stored, null);
    }

    /// <summary>
    /// The session as this batch's transaction sees it, read once per batch and then kept up to date
    /// here: reading a large group's participants for every line would dominate the import. On SQLite
    /// nobody else writes while the batch holds the write transaction.
    /// </summary>
    private async Task<BatchSession?> FindSessionAsync(IImportTransaction transaction, long accountId, string sessionId)
    {
        if (_sessions.TryGetValue((accountId, sessionId), out var known))
        {
            return known;
        }

        if (await transaction.FindSessionAsync(accountId, sessionId, CancellationToken.None) is not { } stored)
        {
            return null;
        }

        var session = new BatchSession(stored.Id, stored.Type, stored.GroupName, [.. stored.ParticipantIds]);
        _sessions[(accountId, sessionId)] = session;
        return session;
    }

    private async Task<long?> FindAccountAsync(IImportTransaction transaction, string name)
    {
        if (_accountIds.TryGetValue(name, out var id))
        {
            return id;
        }

        // Only found accounts are remembered: one created while the import runs is found later.
        if (await transaction.FindAccountAsync(name, CancellationToken.None) is not { } found)
        {
            return null;
        }

        _accountIds[name] = found;
        return found;
    }

    /// <summary>The user's id, without creating one: a duplicate or rejected line must change nothing.</summary>
    private async Task<long?> FindUserAsync(IImportTransaction transaction, long accountId, string email)
    {
        if (_userIds.TryGetValue((accountId, email), out var id))
        {
            return id;
        }

        if (await transaction.FindUserAsync(accountId, email, CancellationToken.None) is not { } found)
        {
            return null;
        }

        _userIds[(accountId, email)] = found;
        return found;
    }

    private async Task<long> GetOrCreateUserAsync(IImportTransaction transaction, long accountId, string email)
    {
        if (!_userIds.TryGetValue((accountId, email), out var id))
        {
            id = await transaction.GetOrCreateUserAsync(accountId, email, CancellationToken.None);
            _userIds[(accountId, email)] = id;
        }

        return id;
    }

    /// <summary>Records read at once, and where the input stood after them.</summary>
    private sealed record Chunk(List<ImportRecord> Records, long? LastLineNumber, bool More);

    /// <summary>A session as the current batch sees it.</summary>
    private sealed class BatchSession(long id, string type, string groupName, HashSet<long> participantIds)
    {
        public long Id { get; } = id;

        public string Type { get; } = type;

        public string GroupName { get; set; } = groupName;

        public HashSet<long> ParticipantIds { get; } = participantIds;

        /// <summary>E-mails of participants met by this batch: a subset of <see cref="ParticipantIds"/>'s users.</summary>
        public HashSet<string> MemberEmails { get; } = new(StringComparer.Ordinal);
    }
}
