namespace ZoomChat.Client;

/// <summary>
/// The parameters of <c>POST /v1/chat/list</c>: the chat sessions of the account that have a message
/// in [<paramref name="From"/>, <paramref name="To"/>] (both inclusive; docs/api.md#listing-sessions-chatlist).
/// </summary>
/// <param name="From">The start of the range: a <see cref="DateOnly"/> (from its first millisecond, UTC) or a <see cref="DateTimeOffset"/>.</param>
/// <param name="To">The end of the range: a <see cref="DateOnly"/> (the whole day, UTC) or a <see cref="DateTimeOffset"/>.</param>
/// <example>
/// <code>
/// var request = new ChatListRequest(new DateOnly(2016, 1, 16), new DateOnly(2016, 1, 22)) { Email = "ann@acme.com" };
/// </code>
/// </example>
public sealed record ChatListRequest(ChatRangeBound From, ChatRangeBound To)
{
    /// <summary>Only sessions in which this user (matched case-insensitively) takes part; <see langword="null"/> or empty for all.</summary>
    public string? Email { get; init; }

    /// <summary>
    /// Sessions per page, at least 1; the server serves at most 30 (and says so in
    /// <see cref="Wire.ChatListResponse.PageSize"/>). <see langword="null"/> leaves it to the server (30).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int? PageSize
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A page holds at least 1 session.");
    }
}
