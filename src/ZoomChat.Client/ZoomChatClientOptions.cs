namespace ZoomChat.Client;

/// <summary>
/// Where a <see cref="ZoomChatClient"/> calls, with which credentials, and how it waits out rate limits.
/// Validated when the client is made (and at start-up with <c>AddZoomChatClient</c>).
/// </summary>
public sealed class ZoomChatClientOptions
{
    /// <summary>The longest <see cref="MaxRetryAfter"/> allowed: a day.</summary>
    public static readonly TimeSpan MaxRetryAfterLimit = TimeSpan.FromDays(1);

    /// <summary>
    /// The server's root, absolute <c>http</c> or <c>https</c>, for example <c>http://127.0.0.1:5080/</c>; the client
    /// calls <c>v1/chat/list</c> and <c>v1/chat/get</c> below it. A path is kept (<c>https://host/zoom</c> calls
    /// <c>https://host/zoom/v1/chat/list</c>).
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The account's <c>api_key</c> (required).</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>The account's <c>api_secret</c> (required).</summary>
    public string ApiSecret { get; set; } = string.Empty;

    /// <summary>The archive <c>access_token</c> of a user who may view archived chats (required).</summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>
    /// How many times one call is retried after the rate-limit error (code 403), each after the server's
    /// <c>Retry-After</c>; 0 turns retrying off. Default 10.
    /// </summary>
    public int MaxRateLimitRetries { get; set; } = 10;

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits out. A rate-limit error that asks for longer (such as
    /// Zoom's daily limit) is thrown at once rather than waited for. Default 60 seconds; at most a day.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The first wait after a rate-limit error that has no <c>Retry-After</c> header; it doubles on each further
    /// retry (with jitter), up to <see cref="MaxRetryAfter"/>. Default 1 second.
    /// </summary>
    public TimeSpan RetryDelayWithoutRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether <see cref="ZoomChatClient.ListAllSessionsAsync"/> and <see cref="ZoomChatClient.GetAllMessagesAsync"/>
    /// restart a traversal whose page token has expired (from the point their documentation names, never returning an
    /// item twice or leaving one out) instead of throwing. Default <see langword="true"/>.
    /// </summary>
    public bool RestartExpiredTraversals { get; set; } = true;
}
