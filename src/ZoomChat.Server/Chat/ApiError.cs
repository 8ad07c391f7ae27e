using ZoomChat.Client.Wire;

namespace ZoomChat.Server.Chat;

/// <summary>
/// One row of the error table (docs/api.md#errors): the v1 code and message, the HTTP status in
/// <c>http</c> mode, whether the status is kept in <c>zoom</c> mode too, and whether the connection
/// ends after the answer.
/// </summary>
internal sealed record ApiError(
    int Code, string Message, int HttpStatus, bool KeepsStatus = false, bool JsonOnly = false, bool ClosesConnection = false)
{
    private const int EchoLimit = 64;

    public static ApiError GivenTwice(string name) => Invalid($"{name} is given more than once.", jsonOnly: name == ChatParameters.DataType);

    public static ApiError InvalidDataType { get; } = Invalid("data_type must be JSON or XML.", jsonOnly: true);

    public static ApiError KeyAndSecretRequired { get; } = Invalid("Api key and secret are required.");

    public static ApiError KeyMismatch { get; } = new(ZoomErrorCodes.InvalidApiKeyOrSecret, "You app key and secret doesn't match.", 401);

    public static ApiError RateLimited { get; } =
        new(ZoomErrorCodes.RateLimitExceeded, "Sorry, the maximum number of api requests are already reached. Please try later.", 429);

    public static ApiError InvalidAccessToken { get; } = new(ZoomErrorCodes.InvalidAccessToken, "Invalid access token.", 401);

    public static ApiError ToBeforeFrom { get; } = Invalid("The to date must not be earlier than the from date.");

    public static ApiError InvalidPageSize { get; } = Invalid("page_size must be an integer from 1 to 30.");

    public static ApiError InvalidPageToken { get; } = Invalid("The next page token is invalid or expired.");

    public static ApiError MethodNotAllowed { get; } = new(ZoomErrorCodes.MethodNotAllowed, "Method not allowed. Use POST.", 405, KeepsStatus: true, JsonOnly: true);

    public static ApiError NotFound { get; } = new(ZoomErrorCodes.NotFound, "Not found.", 404, KeepsStatus: true, JsonOnly: true);

    public static ApiError BodyTooLarge { get; } =
        new(ZoomErrorCodes.InvalidParameter, "Request body too large.", 413, KeepsStatus: true, JsonOnly: true, ClosesConnection: true);

    /// <summary>A body slower than the server's minimum data rate (our rule; docs/compatibility.md#transport).</summary>
    public static ApiError BodyTooSlow { get; } =
        new(ZoomErrorCodes.InvalidParameter, "Request body arrived too slowly.", 408, KeepsStatus: true, JsonOnly: true, ClosesConnection: true);

    /// <summary>A body that claims to be a form but cannot be read as one (our rule; docs/compatibility.md).</summary>
    public static ApiError MalformedBody { get; } = Invalid("The request body is not a valid form.", jsonOnly: true);

    public static ApiError Required(string name) => Invalid($"{name} is required.");

    public static ApiError InvalidDate(string name, string value) =>
        Invalid($"Invalid {name}: '{Echo(value)}'. Use yyyy-MM-dd or an ISO 8601 date-time.");

    public static ApiError RangeTooLong(int days) => Invalid($"The date range must not exceed {days} days.");

    public static ApiError UnknownUser(string email) =>
        new(ZoomErrorCodes.UserNotFound, $"User {Echo(email)} not exist or not belong to this account.", 404);

    public static ApiError UnknownSession(string sessionId) =>
        new(ZoomErrorCodes.SessionNotFound, $"Chat session not found: {Echo(sessionId)}.", 404);

    public static ApiError Internal(string requestId) =>
        new(ZoomErrorCodes.InternalError, $"Internal error. Request id {requestId}.", 500, KeepsStatus: true);

    /// <summary>Values echoed in messages are cut to their first 64 characters (docs/api.md#errors).</summary>
    public static string Echo(string value)
    {
        if (value.Length <= EchoLimit)
        {
            return value;
        }

        // Never split a surrogate pair: half of one is not text.
        var cut = char.IsHighSurrogate(value[EchoLimit - 1]) ? EchoLimit - 1 : EchoLimit;
        return value[..cut];
    }

    private static ApiError Invalid(string message, bool jsonOnly = false) =>
        new(ZoomErrorCodes.InvalidParameter, message, 400, JsonOnly: jsonOnly);
}
