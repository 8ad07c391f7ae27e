using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Polly;
using ZoomChat.Client.Wire;

namespace ZoomChat.Client;

/// <summary>
/// A typed client of the Zoom Chat API v1 (<c>POST /v1/chat/list</c>, <c>POST /v1/chat/get</c>), for a ZoomChat
/// server or any server speaking that API (docs/api.md).
/// </summary>
/// <remarks>
/// <para>
/// Every call is a form-urlencoded POST carrying <c>api_key</c>, <c>api_secret</c> and <c>access_token</c> from
/// <see cref="ZoomChatClientOptions"/>, and asks for JSON. An error envelope becomes a <see cref="ZoomChatException"/>
/// in either status mode of the server. The rate-limit error (code 403) is waited out and retried
/// (<see cref="ZoomChatClientOptions.MaxRateLimitRetries"/>, <see cref="ZoomChatClientOptions.MaxRetryAfter"/>).
/// </para>
/// <para>
/// Make one with <c>services.AddZoomChatClient(...)</c> (a typed client of <c>IHttpClientFactory</c>) or
/// standalone with <see cref="ZoomChatClient(HttpClient, ZoomChatClientOptions)"/>. It is safe to use from
/// several threads at once.
/// </para>
/// </remarks>
public sealed class ZoomChatClient
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _listUri;
    private readonly Uri _getUri;
    private readonly string _apiKey;
    private readonly string _apiSecret;
    private readonly string _accessToken;
    private readonly bool _restartExpiredTraversals;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Makes a client that sends through <paramref name="httpClient"/> and waits on the system clock.</summary>
    /// <param name="httpClient">The HttpClient to send with; the client does not dispose it.</param>
    /// <param name="options">Where to call and with which credentials; read once, here.</param>
    /// <exception cref="ArgumentException">The options are not valid (the message says why).</exception>
    public ZoomChatClient(HttpClient httpClient, ZoomChatClientOptions options)
        : this(httpClient, options, TimeProvider.System)
    {
    }

    /// <summary>Makes a client that sends through <paramref name="httpClient"/> and waits on <paramref name="timeProvider"/>.</summary>
    /// <param name="httpClient">The HttpClient to send with; the client does not dispose it.</param>
    /// <param name="options">Where to call and with which credentials; read once, here.</param>
    /// <param name="timeProvider">The clock that rate-limit waits run on (a fake one in tests).</param>
    /// <exception cref="ArgumentException">The options are not valid (the message says why).</exception>
    public ZoomChatClient(HttpClient httpClient, ZoomChatClientOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var validation = ZoomChatClientOptionsValidator.Instance.Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _http = httpClient;
        _time = timeProvider;
        var root = options.BaseAddress!.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        _listUri = new Uri(root, "v1/chat/list");
        _getUri = new Uri(root, "v1/chat/get");
        _apiKey = options.ApiKey;
        _apiSecret = options.ApiSecret;
        _accessToken = options.AccessToken;
        _restartExpiredTraversals = options.RestartExpiredTraversals;
        _pipeline = RateLimitRetry.Create(options, timeProvider);
    }

    /// <summary>Reads one page of <c>chat/list</c>: the chat sessions with a message in the range, latest first.</summary>
    /// <param name="request">The range and filters.</param>
    /// <param name="nextPageToken">
    /// <see langword="null"/> for the first page, else the <see cref="ChatListResponse.NextPageToken"/> of the page before,
    /// with the same <paramref name="request"/> (a token is bound to its query and valid for 30 minutes).
    /// </param>
    /// <param name="cancellationToken">Cancels the call, including a rate-limit wait.</param>
    /// <returns>The page; its <see cref="ChatListResponse.NextPageToken"/> is empty on the last one.</returns>
    /// <exception cref="ZoomChatException">The server answered an error (after rate-limit retries).</exception>
    /// <exception cref="HttpRequestException">The call failed, or the server answered an HTTP error without the v1 envelope.</exception>
    public Task<ChatListResponse> ListSessionsAsync(
        ChatListRequest request, string? nextPageToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = Form(
            ("email", request.Email),
            ("from", request.From.ToString()),
            ("to", request.To.ToString()),
            ("page_size", request.PageSize?.ToString(CultureInfo.InvariantCulture)),
            ("next_page_token", nextPageToken));
        return SendAsync(_listUri, form, ZoomChatJsonContext.Default.ChatListResponse, cancellationToken);
    }

    /// <summary>Reads one page of <c>chat/get</c>: a session's messages in the range, oldest first.</summary>
    /// <param name="request">The session and range.</param>
    /// <param name="nextPageToken">
    /// <see langword="null"/> for the first page, else the <see cref="ChatGetResponse.NextPageToken"/> of the page before,
    /// with the same <paramref name="request"/> (a token is bound to its query and valid for 30 minutes).
    /// </param>
    /// <param name="cancellationToken">Cancels the call, including a rate-limit wait.</param>
    /// <returns>The page; its <see cref="ChatGetResponse.NextPageToken"/> is empty on the last one.</returns>
    /// <exception cref="ArgumentException"><see cref="ChatGetRequest.SessionId"/> is empty.</exception>
    /// <exception cref="ZoomChatException">The server answered an error (after rate-limit retries).</exception>
    /// <exception cref="HttpRequestException">The call failed, or the server answered an HTTP error without the v1 envelope.</exception>
    public Task<ChatGetResponse> GetMessagesAsync(
        ChatGetRequest request, string? nextPageToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.SessionId, nameof(request));
        var form = Form(
            ("session_id", request.SessionId),
            ("from", request.From.ToString()),
            ("to", request.To.ToString()),
            ("page_size", request.PageSize?.ToString(CultureInfo.InvariantCulture)),
            ("next_page_token", nextPageToken));
        return SendAsync(_getUri, form, ZoomChatJsonContext.Default.ChatGetResponse, cancellationToken);
    }

    /// <summary>Walks every page of <c>chat/list</c> and yields each session once, latest first.</summary>
    /// <param name="request">The range and filters.</param>
    /// <param name="cancellationToken">Cancels the walk; <c>WithCancellation</c> on the result works as well.</param>
    /// <returns>The sessions, fetched a page at a time as the caller reads.</returns>
    /// <remarks>
    /// <para>
    /// The pages of one traversal are a snapshot of the archive at its first request (docs/api.md#snapshots). Rate
    /// limits are waited out between pages.
    /// </para>
    /// <para>
    /// <b>Expired page token.</b> A token lives 30 minutes, so a caller that takes longer over one page finds the
    /// next call refused (code 300, <i>The next page token is invalid or expired.</i>). With
    /// <see cref="ZoomChatClientOptions.RestartExpiredTraversals"/> on, the walk then starts a new traversal with
    /// <c>to</c> = the <see cref="ChatSession.LastMessageSendTime"/> of the last session it yielded (inclusive, so
    /// sessions tied at that instant are not lost) and the same <c>from</c>, <c>email</c> and page size, and it skips
    /// every session whose <see cref="ChatSession.SessionId"/> it has already yielded: a session yielded earlier comes
    /// back when it also has older messages. Every session of the first snapshot not yet yielded has its latest
    /// message at or before that instant, so none is left out, and none is yielded twice. The restarted traversal
    /// is a new snapshot: it may include sessions that gained their first in-range message since the walk began, and
    /// the <see cref="ChatSession.LastMessageSendTime"/> of a session after the restart is its latest message up to
    /// the restart instant. The walk remembers the ids it yielded (one string per session).
    /// </para>
    /// </remarks>
    /// <exception cref="ZoomChatException">The server answered an error that is not waited out or restarted.</exception>
    public async IAsyncEnumerable<ChatSession> ListAllSessionsAsync(
        ChatListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request;
        string? token = null;
        var yielded = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset lastTime = default;
        var yieldedSinceRestart = true;
        while (true)
        {
            ChatListResponse page;
            try
            {
                page = await ListSessionsAsync(query, token, cancellationToken).ConfigureAwait(false);
            }
            catch (ZoomChatException e) when (token is not null && IsRestartable(e, yieldedSinceRestart))
            {
                query = request with { To = lastTime };
                token = null;
                yieldedSinceRestart = false;
                continue;
            }

            foreach (var session in page.ChatList)
            {
                if (!yielded.Add(session.SessionId))
                {
                    continue;
                }

                lastTime = session.LastMessageSendTime;
                yieldedSinceRestart = true;
                yield return session;
            }

            if (page.NextPageToken.Length == 0)
            {
                yield break;
            }

            token = page.NextPageToken;
        }
    }

    /// <summary>Walks every page of <c>chat/get</c> and yields each message of the session once, oldest first.</summary>
    /// <param name="request">The session and range.</param>
    /// <param name="cancellationToken">Cancels the walk; <c>WithCancellation</c> on the result works as well.</param>
    /// <returns>The messages, fetched a page at a time as the caller reads.</returns>
    /// <remarks>
    /// <para>
    /// The pages of one traversal are a snapshot of the archive at its first request (docs/api.md#snapshots). Rate
    /// limits are waited out between pages.
    /// </para>
    /// <para>
    /// <b>Expired page token.</b> A token lives 30 minutes, so a caller that takes longer over one page finds the
    /// next call refused (code 300, <i>The next page token is invalid or expired.</i>). With
    /// <see cref="ZoomChatClientOptions.RestartExpiredTraversals"/> on, the walk then starts a new traversal with
    /// <c>from</c> = the <see cref="ChatMessage.DateTime"/> of the last message it yielded (inclusive) and the same
    /// <c>to</c> and page size, and skips as many messages at exactly that instant as it had already yielded at
    /// it. Messages of one instant keep their arrival order and later arrivals sort after them
    /// (docs/api.md#reading-a-session-chatget), so the skipped ones are exactly those already yielded: nothing is yielded twice or left out.
    /// The restarted traversal is a new snapshot, so messages that arrived since the walk began, later than that
    /// instant, are included. This assumes an archive that only grows, as a ZoomChat archive does.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException"><see cref="ChatGetRequest.SessionId"/> is empty.</exception>
    /// <exception cref="ZoomChatException">The server answered an error that is not waited out or restarted.</exception>
    public async IAsyncEnumerable<ChatMessage> GetAllMessagesAsync(
        ChatGetRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request;
        string? token = null;
        DateTimeOffset lastTime = default;
        var yieldedAtLastTime = 0;
        var toSkip = 0;
        var yieldedSinceRestart = true;
        while (true)
        {
            ChatGetResponse page;
            try
            {
                page = await GetMessagesAsync(query, token, cancellationToken).ConfigureAwait(false);
            }
            catch (ZoomChatException e) when (token is not null && IsRestartable(e, yieldedSinceRestart))
            {
                query = request with { From = lastTime };
                toSkip = yieldedAtLastTime;
                token = null;
                yieldedSinceRestart = false;
                continue;
            }

            foreach (var message in page.ChatMessages)
            {
                if (toSkip > 0)
                {
                    if (message.DateTime == lastTime)
                    {
                        toSkip--;
                        continue;
                    }

                    toSkip = 0;
                }

                if (message.DateTime == lastTime)
                {
                    yieldedAtLastTime++;
                }
                else
                {
                    lastTime = message.DateTime;
                    yieldedAtLastTime = 1;
                }

                yieldedSinceRestart = true;
                yield return message;
            }

            if (page.NextPageToken.Length == 0)
            {
                yield break;
            }

            token = page.NextPageToken;
        }
    }

    /// <summary>
    /// A refused follow-up page: its parameters are those the first page was served with, so a code 300 can
    /// only be the page token (docs/api.md#errors). A restart that has yielded nothing new is not repeated,
    /// so a server that never honours its tokens ends the walk with the error instead of looping.
    /// </summary>
    private bool IsRestartable(ZoomChatException error, bool yieldedSinceRestart) =>
        _restartExpiredTraversals && error.Code == ZoomErrorCodes.InvalidParameter && yieldedSinceRestart;

    private List<KeyValuePair<string, string>> Form(params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var form = new List<KeyValuePair<string, string>>(3 + parameters.Length)
        {
            new("api_key", _apiKey),
            new("api_secret", _apiSecret),
            new("access_token", _accessToken),
        };
        foreach (var (name, value) in parameters)
        {
            // An empty value counts as absent on the server (docs/api.md#transport); leave it out.
            if (!string.IsNullOrEmpty(value))
            {
                form.Add(new(name, value));
            }
        }

        return form;
    }

    private async Task<T> SendAsync<T>(
        Uri uri, List<KeyValuePair<string, string>> form, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static async (state, token) => await state.Client.SendOnceAsync(state.Uri, state.Form, state.TypeInfo, token).ConfigureAwait(false),
            (Client: this, Uri: uri, Form: form, TypeInfo: typeInfo),
            cancellationToken).ConfigureAwait(false);

    private async ValueTask<T> SendOnceAsync<T>(
        Uri uri, List<KeyValuePair<string, string>> form, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        // A new request each attempt: a request message can be sent only once.
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return await ZoomChatResponseReader.ReadAsync(response, typeInfo, _time, cancellationToken).ConfigureAwait(false);
    }
}
