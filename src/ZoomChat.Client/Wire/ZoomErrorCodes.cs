namespace ZoomChat.Client.Wire;

/// <summary>The error codes of the v1 chat API (docs/api.md#errors).</summary>
public static class ZoomErrorCodes
{
    /// <summary>The API key and secret do not match, or the key is revoked (Zoom's code).</summary>
    public const int InvalidApiKeyOrSecret = 102;

    /// <summary>The access token is unknown, revoked, expired, of another account or without the archive privilege (Zoom's code).</summary>
    public const int InvalidAccessToken = 124;

    /// <summary>A parameter is missing, given twice or invalid (Zoom's code for bad requests).</summary>
    public const int InvalidParameter = 300;

    /// <summary>The rate limit is exceeded (Zoom's code).</summary>
    public const int RateLimitExceeded = 403;

    /// <summary>The path does not exist.</summary>
    public const int NotFound = 404;

    /// <summary>The method is not POST.</summary>
    public const int MethodNotAllowed = 405;

    /// <summary>A fault of the server.</summary>
    public const int InternalError = 500;

    /// <summary>The <c>email</c> names no user of the account (Zoom's code).</summary>
    public const int UserNotFound = 1001;

    /// <summary>The <c>session_id</c> names no session of the account.</summary>
    public const int SessionNotFound = 3001;
}
