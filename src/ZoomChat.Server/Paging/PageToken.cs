namespace ZoomChat.Server.Paging;

/// <summary>
/// What a <c>next_page_token</c> carries: when it was issued, the traversal's snapshot and page
/// count (docs/api.md#paging-and-page-tokens), and where the next page starts.
/// </summary>
/// <param name="IssuedAtMs">When the token was issued (Unix ms); it expires a lifetime later.</param>
/// <param name="HighWaterMark">The arrival number of the latest message at the traversal's first request.</param>
/// <param name="PageCount">The traversal's page count, fixed at its first request.</param>
/// <param name="CursorTimeMs">The time of the last row served: a message's time, or a session's last message time.</param>
/// <param name="CursorArrival">For <c>chat/get</c>, the arrival number of the last message served.</param>
/// <param name="CursorSessionId">For <c>chat/list</c>, the id of the last session served.</param>
internal sealed record PageToken(
    long IssuedAtMs,
    long HighWaterMark,
    int PageCount,
    long CursorTimeMs,
    long CursorArrival,
    string CursorSessionId);
