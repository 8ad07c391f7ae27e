namespace ZoomChat.Client;

/// <summary>
/// The parameters of <c>POST /v1/chat/get</c>: the messages of one session with a <c>date_time</c>
/// in [<paramref name="From"/>, <paramref name="To"/>] (both inclusive), oldest first (docs/api.md#reading-a-session-chatget).
/// </summary>
/// <param name="SessionId">The session, as <see cref="Wire.ChatSession.SessionId"/> names it.</param>
/// <param name="From">The start of the range: a <see cref="DateOnly"/> (from its first millisecond, UTC) or a <see cref="DateTimeOffset"/>.</param>
/// <param name="To">The end of the range: a <see cref="DateOnly"/> (the whole day, UTC) or a <see cref="DateTimeOffset"/>.</param>
/// <example>
/// <code>
/// var request = new ChatGetRequest(session.SessionId, new DateOnly(2016, 1, 16), new DateOnly(2016, 1, 22));
/// </code>
/// </example>
public sealed record ChatGetRequest(string SessionId, ChatRangeBound From, ChatRangeBound To)
{
    /// <summary>
    /// Messages per page, at least 1; the server serves at most 30 (and says so in
    /// <see cref="Wire.ChatGetResponse.PageSize"/>). <see langword="null"/> leaves it to the server (30).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int? PageSize
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A page holds at least 1 message.");
    }
}
