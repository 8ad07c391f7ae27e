using ZoomChat.Client.Wire;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// Imports an archive in the interchange format (docs/import-formats.md#the-interchange-format), streaming
/// it line by line, or the records that a reader of another format makes (<c>Formats/</c>). Lines are read
/// a chunk at a time and only then applied, in store transactions of a batch each, so that the
/// store's write lock is held no more than a moment while waiting for input (a slow pipe must not stall
/// other writers). One import at a time per instance.
/// </summary>
internal sealed class ArchiveImporter
{
    /// <summary>
    /// Records per store transaction: each SQLite commit rewrites every index page its batch touched, so that
    /// 10M lines took 374 s in batches of 50,000 and 309 s in batches of 200,000
    /// (docs/benchmarks.md#where-a-10m-imports-time-goes-and-the-batch-size).
    /// </summary>
    public const int DefaultBatchSize = 200_000;

    /// <summary>
    /// Records read and held at once, unless the store asks for another size (<see cref="IArchiveStore.ImportChunkSize"/>).
    /// A batch larger than this is written a chunk at a time in one transaction, so that memory does not
    /// grow with the batch: parsed records take several times their size in the file. Small chunks die
    /// young, in the garbage collector's cheapest generation (docs/benchmarks.md#fifth-pass).
    /// </summary>
    public const int DefaultChunkSize = 1_000;

    /// <summary>
    /// How long records already read wait for the rest of their chunk: an input that trickles (a live
    /// pipe) has what it sent written after this pause rather than when a thousand records have come.
    /// </summary>
    private static readonly TimeSpan InputPause = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a transaction waits for the next chunk before it commits: long enough for a chunk still being
    /// parsed (slow while the runtime compiles the parser, in an import's first seconds), where a commit per
    /// chunk cost more (docs/benchmarks.md#a-chunk-being-parsed-is-waited-for); short for other writers.
    /// </summary>
    private static readonly TimeSpan ParsePause = TimeSpan.FromMilliseconds(50);

    private readonly IArchiveStore _store;
    private readonly int _batchSize;
    private readonly int _chunkSize;
    private readonly int _maxLineBytes;
    private readonly ImportPlanner _planner = new();
    private readonly ImportKeys _keys = new();
    private readonly StoredKeys _stored = new();

    /// <summary>Two, so that one chunk's changes are planned while the previous chunk's are written.</summary>
    private readonly ImportChanges[] _changes = [new(), new()];
    private long _planned;

    /// <summary>A read of the next record that was still waiting for input when its chunk was handed on.</summary>
    private Task<bool>? _pendingMove;

    /// <param name="maxChunkSize">Records read and held at once, at most: the store's <see cref="IArchiveStore.ImportChunkSize"/> unless given (tests make chunks small to cross many).</param>
    public ArchiveImporter(
        IArchiveStore store, int batchSize = DefaultBatchSize, int maxLineBytes = NdjsonLineReader.DefaultMaxLineBytes, int? maxChunkSize = null)
    {
        var chunkSize = maxChunkSize ?? store.ImportChunkSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1, nameof(maxChunkSize));
        _store = store;
        _batchSize = batchSize;
        _chunkSize = Math.Min(batchSize, chunkSize);
        _maxLineBytes = maxLineBytes;
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
        _planner.BeginImport();
        _pendingMove = null;
        var source = records.GetAsyncEnumerator(cancellationToken);
        long stored = 0, duplicates = 0, rejected = 0, lineNumber = 0;

        // Three things at once, so that both cores work (docs/benchmarks.md#import): the next chunk is
        // read and parsed on another thread, and the previous chunk is written on a third while this
        // one is planned. A chunk's keys are read before the previous chunk is written (the planner
        // remembers that chunk), so that reads and writes never share the connection at once. Once
        // cancelled, no chunk is begun; the one read ahead is still written and committed, so that
        // nothing read is dropped.
        Task<Chunk>? reading = ReadChunkAsync(source, cancellationToken);
        IImportTransaction? transaction = null;
        ImportChanges? unwritten = null;
        var writing = Task.CompletedTask;
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
                    _planner.BeginTransaction();
                }

                var keys = await ReadKeysAsync(transaction, chunk.Records, defaultAccount);
                if (unwritten is not null)
                {
                    var (open, changes) = (transaction!, unwritten);
                    writing = Task.Run(() => open.WriteAsync(changes, CancellationToken.None), CancellationToken.None);
                }

                var planned = _changes[(int)(++_planned % _changes.Length)];
                var counts = Plan(keys, planned, chunk.Records, defaultAccount, onRejected);
                transaction?.Prepare(planned);
                await writing;
                unwritten = planned.IsEmpty ? null : planned;
                (stored, duplicates, rejected) = (stored + counts.Stored, duplicates + counts.Duplicates, rejected + counts.Rejected);
                inTransaction += chunk.Records.Count;

                // A transaction goes on into the next chunk only when that one is read within ParsePause: the
                // write lock is never held longer while waiting for input, and a failed read loses no chunk.
                if (transaction is not null && (inTransaction >= _batchSize || !await IsReadSoonAsync(reading, cancellationToken)))
                {
                    if (unwritten is not null)
                    {
                        await transaction.WriteAsync(unwritten, CancellationToken.None);
                        unwritten = null;
                    }

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
            // A write under way must be done with the connection before the transaction goes.
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

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

        // A stopped import says how far it got at once; what it put off is done by the import run again
        // to complete it, or by the store's next open (docs/operations.md#import-into-an-empty-store).
        if (!more)
        {
            await _store.CompleteImportAsync(CancellationToken.None);
        }

        return new ImportSummary(stored, duplicates, rejected, lineNumber, Cancelled: more);
    }

    /// <summary>Whether the next chunk is read within <see cref="ParsePause"/>; no wait once cancelled.</summary>
    private static async ValueTask<bool> IsReadSoonAsync(Task<Chunk>? reading, CancellationToken cancellationToken)
    {
        if (reading is { IsCompleted: false })
        {
            await Task.WhenAny(reading, Task.Delay(ParsePause, cancellationToken));
        }

        return reading is { IsCompletedSuccessfully: true };
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

    /// <summary>Reads what the store holds for the chunk's keys that the planner does not know already.</summary>
    private async Task<StoredKeys> ReadKeysAsync(IImportTransaction? transaction, List<ImportRecord> chunk, string? defaultAccount)
    {
        _stored.Clear();
        if (transaction is null)
        {
            return _stored;
        }

        _keys.Clear();
        _planner.AddAccountKeys(chunk, defaultAccount, _keys);
        if (_keys.Accounts.Count > 0)
        {
            await transaction.ReadAsync(_keys, _stored, CancellationToken.None);
            _planner.LearnAccounts(_stored);
            _keys.Clear();
            _stored.Clear();
        }

        _planner.AddKeys(chunk, defaultAccount, _keys);
        await transaction.ReadAsync(_keys, _stored, CancellationToken.None);
        return _stored;
    }

    /// <summary>Plans every line of one chunk, given the store's answers, into <paramref name="changes"/>; writes nothing.</summary>
    private (long Stored, long Duplicates, long Rejected) Plan(
        StoredKeys keys, ImportChanges changes, List<ImportRecord> chunk, string? defaultAccount, Action<ImportProblem> onRejected)
    {
        _planner.BeginChunk(keys);
        changes.Clear();
        long storedLines = 0, duplicates = 0, rejected = 0;
        foreach (var record in chunk)
        {
            var (outcome, problem) = record.Line is { } line
                ? _planner.Plan(line, defaultAccount, keys, changes)
                : (ImportPlanner.Outcome.Rejected, record.Problem);
            switch (outcome)
            {
                case ImportPlanner.Outcome.Stored:
                    storedLines++;
                    break;
                case ImportPlanner.Outcome.Duplicate:
                    duplicates++;
                    break;
                default:
                    rejected++;
                    onRejected(new ImportProblem(record.LineNumber, problem!, record.File));
                    break;
            }
        }

        _planner.EndChunk(keys);
        return (storedLines, duplicates, rejected);
    }

    /// <summary>Records read at once, and where the input stood after them.</summary>
    private sealed record Chunk(List<ImportRecord> Records, long? LastLineNumber, bool More);
}
