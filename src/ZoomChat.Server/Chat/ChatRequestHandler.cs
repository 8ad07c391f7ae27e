using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Hosting;
using ZoomChat.Server.Paging;
using ZoomChat.Server.RateLimiting;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Chat;

/// <summary>
/// Answers <c>POST /v1/chat/list</c> and <c>POST /v1/chat/get</c>. Every error is decided before
/// any work is done for it, in the order docs/api.md#errors fixes; then the page is read from
/// the traversal's snapshot (docs/api.md#snapshots).
/// </summary>
internal sealed class ChatRequestHandler(
    IArchiveStore store,
    PageTokenCodec pageTokens,
    ChatRateLimiter rateLimiter,
    TimeProvider time,
    IOptions<ZoomChatOptions> options)
{
    public const long MaxBodyBytes = 1024 * 1024;
    private const int MaxPageSize = 30;
    private const long MillisecondsPerDay = 86_400_000;

    /// <summary>Keys whose account the handler remembers, at most; then it starts again.</summary>
    private const int MaxKnownKeys = 10_000;

    private readonly ZoomChatOptions _options = options.Value;

    /// <summary>
    /// The account of each key that passed its checks: a key never changes account, and this is only a guess, to
    /// open a page token before the caller is read; the page read with it is used only when the key's account,
    /// read with it, is the one guessed.
    /// </summary>
    private readonly ConcurrentDictionary<string, long> _keyAccounts = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context, ChatEndpoint endpoint)
    {
        var mode = _options.ErrorStatus;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await ChatResponseWriter.WriteErrorAsync(context, ApiError.MethodNotAllowed, ResponseFormat.Json, mode);
            return;
        }

        var (parameters, bodyError) = await ReadParametersAsync(context, endpoint);
        if (bodyError is not null)
        {
            await ChatResponseWriter.WriteErrorAsync(context, bodyError, ResponseFormat.Json, mode);
            return;
        }

        var format = ParseFormat(parameters![ChatParameters.DataType]);
        // A fault (500) is not one of the JSON-only errors: it comes in the format asked for (docs/api.md#errors).
        context.Items[ChatResponseWriter.FormatItem] = format ?? ResponseFormat.Json;
        var outcome = await AnswerAsync(context, endpoint, parameters, format ?? ResponseFormat.Json);
        if (outcome is { } error)
        {
            await ChatResponseWriter.WriteErrorAsync(context, error, format ?? ResponseFormat.Json, mode);
        }
    }

    private static ResponseFormat? ParseFormat(string? dataType) => dataType switch
    {
        null => ResponseFormat.Json,
        _ when dataType.Equals("JSON", StringComparison.OrdinalIgnoreCase) => ResponseFormat.Json,
        _ when dataType.Equals("XML", StringComparison.OrdinalIgnoreCase) => ResponseFormat.Xml,
        _ => null,
    };

    private static async Task<(ChatParameters? Parameters, ApiError? Error)> ReadParametersAsync(HttpContext context, ChatEndpoint endpoint)
    {
        var request = context.Request;
        var names = endpoint == ChatEndpoint.List ? ChatParameters.ListNames : ChatParameters.GetNames;
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, ApiError.BodyTooLarge);
        }

        IFormCollection? form = null;
        if (request.HasFormContentType)
        {
            // The limit is kept here, not by the server, whose own limit is higher: the rest of a refused
            // body is then read and discarded after the answer (docs/operations.md#limits).
            request.Body = new BoundedRequestBody(request.Body, MaxBodyBytes);
            try
            {
                form = await request.ReadFormAsync(context.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, ApiError.BodyTooLarge);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
            {
                return (null, ApiError.BodyTooSlow);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
            {
                return (null, ApiError.MalformedBody);
            }
        }

        return (ChatParameters.Read(request.Query, form, names), null);
    }

    private async Task<ApiError?> AnswerAsync(HttpContext context, ChatEndpoint endpoint, ChatParameters parameters, ResponseFormat format)
    {
        var cancellationToken = context.RequestAborted;
        if (parameters.GivenTwice is { } doubled)
        {
            return ApiError.GivenTwice(doubled);
        }

        if (ParseFormat(parameters[ChatParameters.DataType]) is null)
        {
            return ApiError.InvalidDataType;
        }

        if (parameters[ChatParameters.ApiKey] is not { } apiKey || parameters[ChatParameters.ApiSecret] is not { } apiSecret)
        {
            return ApiError.KeyAndSecretRequired;
        }

        // Everything the checks below read is read at once, though each is still decided in its turn; with it,
        // the chat/get page the request asks for, which is served only once every check has passed.
        var accessToken = parameters[ChatParameters.AccessToken];
        // The window is parsed once, here; its errors are reported in their turn below, after from and to are known given.
        ChatRange range = default;
        var windowGiven = parameters[ChatParameters.From] is not null && parameters[ChatParameters.To] is not null;
        var rangeError = windowGiven ? ReadRange(parameters, out range) : null;
        var readAhead = endpoint == ChatEndpoint.Get && windowGiven && rangeError is null ? PageToReadAhead(parameters, apiKey, apiSecret, range) : null;
        var caller = await store.FindCallerAsync(
            apiKey,
            accessToken is null ? null : Secrets.Hash(accessToken),
            endpoint == ChatEndpoint.Get ? parameters[ChatParameters.SessionId] : null,
            endpoint == ChatEndpoint.List ? parameters[ChatParameters.Email]?.ToLowerInvariant() : null,
            readAhead,
            cancellationToken);
        var credential = caller.ApiKey;
        // The secret is hashed and compared even for an unknown key, so timing tells nothing.
        var secretMatches = Secrets.Matches(apiSecret, credential?.SecretHash ?? UnknownKeyHash);
        if (credential is null || credential.Revoked || !secretMatches)
        {
            return ApiError.KeyMismatch;
        }

        if (!_keyAccounts.ContainsKey(apiKey))
        {
            if (_keyAccounts.Count >= MaxKnownKeys)
            {
                _keyAccounts.Clear();
            }

            _keyAccounts[apiKey] = credential.AccountId;
        }

        var decision = await rateLimiter.TryAcquireAsync(credential.Id, endpoint == ChatEndpoint.List, cancellationToken);
        if (!decision.Allowed)
        {
            context.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return ApiError.RateLimited;
        }

        string[] required = endpoint == ChatEndpoint.List
            ? [ChatParameters.AccessToken, ChatParameters.From, ChatParameters.To]
            : [ChatParameters.AccessToken, ChatParameters.SessionId, ChatParameters.From, ChatParameters.To];
        if (required.FirstOrDefault(name => parameters[name] is null) is { } missing)
        {
            return ApiError.Required(missing);
        }

        if (!AccessTokenOpensArchive(caller.AccessToken, credential.AccountId))
        {
            return ApiError.InvalidAccessToken;
        }

        if (rangeError is not null)
        {
            return rangeError;
        }

        return endpoint == ChatEndpoint.List
            ? await ListAsync(context, credential.AccountId, caller, parameters, range, format)
            : await GetAsync(context, credential.AccountId, caller, parameters, range, format);
    }

    private async Task<ApiError?> ListAsync(
        HttpContext context, long accountId, StoredCaller caller, ChatParameters parameters, ChatRange range, ResponseFormat format)
    {
        var cancellationToken = context.RequestAborted;
        var email = parameters[ChatParameters.Email]?.ToLowerInvariant();
        var pageQuery = new PageQuery("chat/list", accountId, range.FromMs, range.ToEndMs, email ?? string.Empty, range.PageSize);
        if (OpenPageToken(parameters, pageQuery, caller, out var token) is { } tokenError)
        {
            return tokenError;
        }

        if (email is not null && caller.UserId is null)
        {
            return ApiError.UnknownUser(parameters[ChatParameters.Email]!);
        }

        var mark = token?.HighWaterMark ?? caller.HighWaterMark;
        var query = new ChatListQuery(accountId, range.FromMs, range.ToEndMs, caller.UserId, mark, caller.HighWaterMark);
        SessionCursor? after = token is null ? null : new SessionCursor(token.CursorTimeMs, token.CursorSessionId);
        // The store counts the window's sessions while finding the page: a second call would find them again.
        var windowSessions = 0;
        var (page, pageCount, next) = await ReadPageAsync(
            pageQuery,
            token,
            mark,
            async limit =>
            {
                var read = await store.ListSessionsAsync(query, after, limit, cancellationToken);
                windowSessions = read.WindowSessions;
                return read.Rows;
            },
            () => Task.FromResult(windowSessions),
            last => (last.LastMessageTimeMs, 0, last.Session.PublicId));

        await ChatResponseWriter.WriteAsync(
            context,
            new ChatListResponse
            {
                From = FromUnixMs(range.FromMs),
                To = FromUnixMs(range.ToEchoMs),
                PageSize = range.PageSize,
                PageCount = pageCount,
                NextPageToken = next,
                ChatList = page.ConvertAll(row => new ChatSession
                {
                    SessionId = row.Session.PublicId,
                    Type = row.Session.Type,
                    Participants = row.Session.Type == ChatSessionTypes.OneOnOne ? string.Join(',', row.Participants) : string.Empty,
                    GroupName = row.Session.Type == ChatSessionTypes.OneOnOne ? string.Empty : row.Session.GroupName,
                    LastMessageSendTime = FromUnixMs(row.LastMessageTimeMs),
                }),
            },
            format);
        return null;
    }

    private async Task<ApiError?> GetAsync(
        HttpContext context, long accountId, StoredCaller caller, ChatParameters parameters, ChatRange range, ResponseFormat format)
    {
        var cancellationToken = context.RequestAborted;
        var sessionId = parameters[ChatParameters.SessionId]!;
        var pageQuery = GetPageQuery(accountId, range, sessionId);
        if (OpenPageToken(parameters, pageQuery, caller, out var token) is { } tokenError)
        {
            return tokenError;
        }

        if (caller.Session is not { } session)
        {
            return ApiError.UnknownSession(sessionId);
        }

        var mark = token?.HighWaterMark ?? caller.HighWaterMark;
        var query = new ChatGetQuery(session.Id, range.FromMs, range.ToEndMs, mark, new SenderScope(accountId, caller.RemovalMark));
        // A page token's page read ahead was read for the token as opened for the account guessed then.
        var readAhead = caller.Page is { } rows && (rows.Read.AccountId ?? accountId) == accountId ? rows : null;
        MessageCursor? after = token is null ? null : new MessageCursor(token.CursorTimeMs, token.CursorArrival);
        var (page, pageCount, next) = await ReadPageAsync(
            pageQuery,
            token,
            mark,
            limit => readAhead is not null ? Task.FromResult(readAhead.Rows) : store.GetMessagesAsync(query, after, limit, cancellationToken),
            () => readAhead?.Count is { } count ? Task.FromResult(count) : store.CountMessagesAsync(query, cancellationToken),
            last => (last.DateTimeMs, last.Arrival, string.Empty));

        await ChatResponseWriter.WriteAsync(
            context,
            new ChatGetResponse
            {
                SessionId = session.PublicId,
                GroupName = session.Type == ChatSessionTypes.OneOnOne ? string.Empty : session.GroupName,
                From = FromUnixMs(range.FromMs),
                To = FromUnixMs(range.ToEchoMs),
                PageSize = range.PageSize,
                PageCount = pageCount,
                NextPageToken = next,
                ChatMessages = page.ConvertAll(row => new ChatMessage
                {
                    Message = row.Text,
                    Sender = row.Sender ?? string.Empty,
                    DateTime = FromUnixMs(row.DateTimeMs),
                }),
            },
            format);
        return null;
    }

    /// <summary>
    /// The page token, if one is given and valid. A token whose snapshot is older than a session removal
    /// of the account is refused as expired: its traversal held what is no longer kept, and no page of it
    /// can be served as its first page promised (docs/compatibility.md#removed-sessions).
    /// </summary>
    private ApiError? OpenPageToken(ChatParameters parameters, PageQuery pageQuery, StoredCaller caller, out PageToken? token)
    {
        token = null;
        if (parameters[ChatParameters.NextPageToken] is not { } tokenText)
        {
            return null;
        }

        token = pageTokens.Open(tokenText, pageQuery);
        return token is null || token.HighWaterMark < caller.RemovalMark ? ApiError.InvalidPageToken : null;
    }

    /// <summary>
    /// One page of a traversal (docs/api.md#paging-and-page-tokens): one row more than the page is read to know
    /// whether a next page exists; the page count is fixed by the first page (a first page that holds
    /// every row of the snapshot is its own count, so most first pages need no count query).
    /// </summary>
    private async Task<(List<T> Page, int PageCount, string NextPageToken)> ReadPageAsync<T>(
        PageQuery pageQuery,
        PageToken? token,
        long mark,
        Func<int, Task<IReadOnlyList<T>>> readRows,
        Func<Task<int>> countRows,
        Func<T, (long TimeMs, long Arrival, string SessionId)> cursorOf)
    {
        var pageSize = pageQuery.PageSize;
        var rows = await readRows(pageSize + 1);
        var pageCount = token?.PageCount ?? PageCount(rows.Count <= pageSize ? rows.Count : await countRows(), pageSize);
        var page = rows.Take(pageSize).ToList();
        if (rows.Count <= pageSize)
        {
            return (page, pageCount, string.Empty);
        }

        var (timeMs, arrival, sessionId) = cursorOf(page[^1]);
        var next = new PageToken(time.GetUtcNow().ToUnixTimeMilliseconds(), mark, pageCount, timeMs, arrival, sessionId);
        return (page, pageCount, pageTokens.Seal(next, pageQuery));
    }

    /// <summary>
    /// The chat/get page the request will be served if every check passes, for the store to read with the caller:
    /// a first page, or a page token's page once the key's account is known from an earlier request of the key (a
    /// token is sealed for its account), in the request's valid <paramref name="range"/>. Null without a session id,
    /// or when the token cannot be opened yet.
    /// </summary>
    private PageRead? PageToReadAhead(ChatParameters parameters, string apiKey, string apiSecret, ChatRange range)
    {
        if (parameters[ChatParameters.SessionId] is not { } sessionId)
        {
            return null;
        }

        if (parameters[ChatParameters.NextPageToken] is not { } tokenText)
        {
            return new PageRead(Secrets.Hash(apiSecret), null, range.FromMs, range.ToEndMs, null, null, range.PageSize + 1);
        }

        if (!_keyAccounts.TryGetValue(apiKey, out var accountId) || pageTokens.Open(tokenText, GetPageQuery(accountId, range, sessionId)) is not { } token)
        {
            return null;
        }

        var after = new MessageCursor(token.CursorTimeMs, token.CursorArrival);
        return new PageRead(Secrets.Hash(apiSecret), accountId, range.FromMs, range.ToEndMs, after, token.HighWaterMark, range.PageSize + 1);
    }

    private static PageQuery GetPageQuery(long accountId, ChatRange range, string sessionId) =>
        new("chat/get", accountId, range.FromMs, range.ToEndMs, sessionId, range.PageSize);

    /// <summary>The call's window and page size, or the first error in them (docs/api.md#errors); from and to are given.</summary>
    private ApiError? ReadRange(ChatParameters parameters, out ChatRange range)
    {
        range = default;
        var fromText = parameters[ChatParameters.From]!;
        var toText = parameters[ChatParameters.To]!;
        if (!ZoomDate.TryParse(fromText, out var fromMs, out _))
        {
            return ApiError.InvalidDate(ChatParameters.From, fromText);
        }

        if (!ZoomDate.TryParse(toText, out var toMs, out var toIsDate))
        {
            return ApiError.InvalidDate(ChatParameters.To, toText);
        }

        // A date-only `to` includes its whole day (docs/api.md#dates).
        var toEndMs = toIsDate ? toMs + MillisecondsPerDay - 1 : toMs;
        if (toEndMs < fromMs)
        {
            return ApiError.ToBeforeFrom;
        }

        // The range's length is to minus from on the expanded bounds, so that a client's `from = to - 7 days`
        // fits a 7-day maximum, as does a date-only week (docs/api.md#errors, docs/api.md#dates).
        if (_options.MaxRangeDays is { } maxDays && toEndMs - fromMs > maxDays * MillisecondsPerDay)
        {
            return ApiError.RangeTooLong(maxDays);
        }

        if (!TryParsePageSize(parameters[ChatParameters.PageSize], out var pageSize))
        {
            return ApiError.InvalidPageSize;
        }

        range = new ChatRange(fromMs, toMs, toEndMs, pageSize);
        return null;
    }

    private bool AccessTokenOpensArchive(StoredAccessToken? token, long accountId)
    {
        return token is not null
            && token.AccountId == accountId
            && !token.Revoked
            && token.UserIsArchiveViewer
            && (token.ExpiresAt is not { } expires || time.GetUtcNow() < expires);
    }

    /// <summary>ASCII digits only; 0 is refused; anything above 30 is served as 30 (docs/api.md#dates).</summary>
    private static bool TryParsePageSize(string? text, out int pageSize)
    {
        pageSize = MaxPageSize;
        if (text is null)
        {
            return true;
        }

        if (!text.All(char.IsAsciiDigit))
        {
            return false;
        }

        var digits = text.TrimStart('0');
        if (digits.Length == 0)
        {
            return false;
        }

        pageSize = digits.Length > 2 ? MaxPageSize : Math.Min(MaxPageSize, int.Parse(digits, CultureInfo.InvariantCulture));
        return true;
    }

    private static int PageCount(int rows, int pageSize) => (rows + pageSize - 1) / pageSize;

    private static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>The hash an unknown key's secret is compared with: no secret hashes to it.</summary>
    private static readonly byte[] UnknownKeyHash = new byte[32];

    /// <summary>The validated range of a call: bounds, the echoed <c>to</c>, and the served page size.</summary>
    private readonly record struct ChatRange(long FromMs, long ToEchoMs, long ToEndMs, int PageSize);
}
