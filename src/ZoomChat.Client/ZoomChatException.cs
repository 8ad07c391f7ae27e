using System.Net;
using ZoomChat.Client.Wire;

namespace ZoomChat.Client;

/// <summary>
/// An error answered by the server in the v1 error envelope (<c>{"error":{"code":...,"message":...}}</c>),
/// whatever the HTTP status: Zoom v1 answers errors with HTTP 200, servers in HTTP mode with
/// 400, 401, 404 or 429 (docs/api.md#errors). <see cref="Code"/> is one of <see cref="ZoomErrorCodes"/>.
/// </summary>
/// <example>
/// <code>
/// catch (ZoomChatException e) when (e.Code == ZoomErrorCodes.InvalidAccessToken) { ... }
/// </code>
/// </example>
public sealed class ZoomChatException : Exception
{
    /// <summary>Creates the exception for an error envelope.</summary>
    /// <param name="code">The v1 error code (see <see cref="ZoomErrorCodes"/>).</param>
    /// <param name="message">The server's message.</param>
    /// <param name="statusCode">The HTTP status the error came with.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c>, if it sent one.</param>
    public ZoomChatException(int code, string message, HttpStatusCode statusCode = HttpStatusCode.OK, TimeSpan? retryAfter = null)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The v1 error code: <see cref="ZoomErrorCodes.InvalidApiKeyOrSecret"/> (102), <see cref="ZoomErrorCodes.InvalidAccessToken"/> (124),
    /// <see cref="ZoomErrorCodes.InvalidParameter"/> (300), <see cref="ZoomErrorCodes.RateLimitExceeded"/> (403),
    /// <see cref="ZoomErrorCodes.UserNotFound"/> (1001), <see cref="ZoomErrorCodes.SessionNotFound"/> (3001) and the others of <see cref="ZoomErrorCodes"/>.</summary>
    public int Code { get; }

    /// <summary>The HTTP status the error came with: 200 from a server in Zoom's mode, the mapped status in HTTP mode.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>How long the server asked to wait before the next call (the <c>Retry-After</c> header), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether this is the rate-limit error (code 403), which the client retries by itself up to <see cref="ZoomChatClientOptions.MaxRateLimitRetries"/> times.</summary>
    public bool IsRateLimit => Code == ZoomErrorCodes.RateLimitExceeded;
}
