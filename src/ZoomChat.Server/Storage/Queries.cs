namespace ZoomChat.Server.Storage;

/// <summary>
/// The rows <c>chat/list</c> reads: sessions of an account with a message in [from, to] among the
/// messages that had arrived by <see cref="HighWaterMark"/> (the traversal's snapshot, docs/api.md#snapshots).
/// </summary>
/// <param name="NewestMark">The store's newest mark when the request was checked, if known: a page token's
/// snapshot may be older, while the rows show sessions' names and participants as they are now.</param>
internal sealed record ChatListQuery(long AccountId, long FromMs, long ToMs, long? UserId, long HighWaterMark, long? NewestMark = null);

/// <summary>Where a <c>chat/list</c> page starts: after this session in (last time descending, id ascending) order.</summary>
internal readonly record struct SessionCursor(long LastMessageTimeMs, string SessionId);

/// <summary>The rows <c>chat/get</c> reads: one session's messages in [from, to] that had arrived by the snapshot.</summary>
/// <param name="Senders">The session's account and the removal mark read with the caller, under which a store
/// may use senders' e-mails it kept (null: it reads them all).</param>
internal sealed record ChatGetQuery(long SessionId, long FromMs, long ToMs, long HighWaterMark, SenderScope? Senders = null);

/// <summary>An account and its latest session removal's mark (0: none), as a request read them.</summary>
internal readonly record struct SenderScope(long AccountId, long RemovalMark);

/// <summary>Where a <c>chat/get</c> page starts: after this message in (time, arrival) order.</summary>
internal readonly record struct MessageCursor(long DateTimeMs, long Arrival);

/// <summary>What an export writes: every filter is optional.</summary>
internal sealed record ExportQuery(string? Account, long? FromMs, long? ToMs, string? SessionId, string? Email);

/// <summary>One token bucket of the rate limiter: <paramref name="Capacity"/> requests, refilled over <paramref name="Period"/>.</summary>
internal sealed record RateBucket(string Name, int Capacity, TimeSpan Period, bool CalendarDay);
