using System.Data.Common;

namespace ZoomChat.Server.Storage;

/// <summary>
/// A store's current <see cref="ChatListIndex"/> and its builds. Nothing tells it of an import, in this
/// process or another: every chat/list query brings the snapshot mark it read from the store, the index
/// answers only a query of its own mark, and a query with a newer mark starts a new build in the
/// background while it reads the store (docs/operations.md#several-servers-on-one-database).
/// </summary>
internal sealed class ChatListIndexSlot : IAsyncDisposable
{
    private readonly bool _enabled;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task<ChatListIndex?>> _build;
    private readonly Action _built;
    private readonly CancellationTokenSource _stopping = new();
    private volatile ChatListIndex? _index;
    private int _building;
    private long _tried = -1;
    private long _nextBuild;
    private Task _running = Task.CompletedTask;
    private int _disposed;

    /// <param name="enabled">Off, no index is ever built and every query reads the store.</param>
    /// <param name="time">Times the builds.</param>
    /// <param name="build">Reads the store's session days in one transaction; null when the index would be too large.</param>
    /// <param name="built">Called when a new index has replaced the last one.</param>
    public ChatListIndexSlot(bool enabled, TimeProvider time, Func<CancellationToken, Task<ChatListIndex?>> build, Action built)
    {
        _enabled = enabled;
        _time = time;
        _build = build;
        _built = built;
    }

    /// <summary>
    /// The index, if it answers this query: built for the query's snapshot mark, and the window is of
    /// whole UTC days (Zoom's chat/list takes dates). A query with a newer mark starts a new index in
    /// the background, and reads the store until it is ready. Builds take turns with serving: one at a
    /// time, and the next starts no sooner than nine times the last one's duration after it ended, so
    /// that during a long import, which moves the mark with each batch, building takes at most a tenth
    /// of a core.
    /// </summary>
    public ChatListIndex? For(ChatListQuery query)
    {
        var index = _index;
        if (query.HighWaterMark > Interlocked.Read(ref _tried))
        {
            Start(query.HighWaterMark);
        }

        var wholeDays = query.FromMs == UtcDay.Of(query.FromMs) * UtcDay.Milliseconds
            && query.ToMs + 1 == (UtcDay.Of(query.ToMs) + 1) * UtcDay.Milliseconds;
        return index is not null && index.Mark == query.HighWaterMark && wholeDays ? index : null;
    }

    /// <summary>Builds the index now, as a query with a newer mark would in the background (for tests).</summary>
    public async Task<ChatListIndex?> BuildNowAsync(CancellationToken cancellationToken)
    {
        var built = await _build(cancellationToken);
        _index = built;
        if (built is not null && built.Mark > Interlocked.Read(ref _tried))
        {
            // Queries of this mark then find it built, rather than start a build of a newer one.
            Interlocked.Exchange(ref _tried, built.Mark);
        }

        _built();
        return built;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
    }

    /// <summary>
    /// Builds an index that covers <paramref name="mark"/>, once per mark: a store whose index would be
    /// too large, or whose build failed, is tried again only when an import has moved the mark.
    /// </summary>
    private void Start(long mark)
    {
        if (!_enabled
            || _time.GetTimestamp() < Interlocked.Read(ref _nextBuild)
            || Interlocked.CompareExchange(ref _building, 1, 0) != 0)
        {
            return;
        }

        if (mark <= Interlocked.Read(ref _tried))
        {
            // Another query started a build for this mark or a newer one, which has ended since.
            Volatile.Write(ref _building, 0);
            return;
        }

        Interlocked.Exchange(ref _tried, mark);

        _running = Task.Run(async () =>
        {
            var started = _time.GetTimestamp();
            try
            {
                if (await _build(_stopping.Token) is { } built && built.Mark > (_index?.Mark ?? -1))
                {
                    _index = built;
                    _built();
                }
            }
            catch (Exception failure) when (failure is DbException or OperationCanceledException or IOException)
            {
                // chat/list reads the store meanwhile, and the next query with a newer mark tries again.
            }
            finally
            {
                var ended = _time.GetTimestamp();
                Interlocked.Exchange(ref _nextBuild, ended + (9 * (ended - started)));
                Volatile.Write(ref _building, 0);
            }
        });
    }
}
