using System.Net;
using System.Text;
using ZoomChat.Client;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

/// <summary>Every error (docs/api.md#errors) reaches the caller as a <see cref="ZoomChatException"/>, in both status modes.</summary>
public sealed class ClientErrorTests
{
    private static readonly DateOnly From = new(2016, 1, 16);
    private static readonly DateOnly To = new(2016, 1, 22);

    public static TheoryData<ErrorStatusMode> Modes => [ErrorStatusMode.Zoom, ErrorStatusMode.Http];

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task Wrong_secret_is_102(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var account = await archive.CreateAccountAsync("acme");
        var client = archive.Client(account, o => o.ApiSecret = "not-the-secret");

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.ListSessionsAsync(new ChatListRequest(From, To)));

        AssertError(error, mode, ZoomErrorCodes.InvalidApiKeyOrSecret, "You app key and secret doesn't match.", HttpStatusCode.Unauthorized);
    }

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task Wrong_access_token_is_124(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var account = await archive.CreateAccountAsync("acme");
        var client = archive.Client(account, o => o.AccessToken = "not-a-token");

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.GetMessagesAsync(new ChatGetRequest("general", From, To)));

        AssertError(error, mode, ZoomErrorCodes.InvalidAccessToken, "Invalid access token.", HttpStatusCode.Unauthorized);
    }

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task To_before_from_is_300(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var account = await archive.CreateAccountAsync("acme");
        var client = archive.Client(account);

        var error = await Assert.ThrowsAsync<ZoomChatException>(
            () => client.ListAllSessionsAsync(new ChatListRequest(To, From)).ToListAsync());

        AssertError(error, mode, ZoomErrorCodes.InvalidParameter, "The to date must not be earlier than the from date.", HttpStatusCode.BadRequest);
    }

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task A_page_token_of_another_query_is_300(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var account = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(account.Account, ChatSeed.Varied());
        var client = archive.Client(account);
        var first = await client.ListSessionsAsync(new ChatListRequest(From, To) { PageSize = 1 });

        var error = await Assert.ThrowsAsync<ZoomChatException>(
            () => client.ListSessionsAsync(new ChatListRequest(From, To) { PageSize = 2 }, first.NextPageToken));

        AssertError(error, mode, ZoomErrorCodes.InvalidParameter, "The next page token is invalid or expired.", HttpStatusCode.BadRequest);
    }

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task Rate_limit_is_403_with_its_retry_after_when_retries_are_off(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode, rateLimits: true);
        var account = await archive.CreateAccountAsync("acme");
        var client = archive.Client(account, o => o.MaxRateLimitRetries = 0);
        await client.ListSessionsAsync(new ChatListRequest(From, To));

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.ListSessionsAsync(new ChatListRequest(From, To)));

        AssertError(
            error, mode, ZoomErrorCodes.RateLimitExceeded, "Sorry, the maximum number of api requests are already reached. Please try later.", HttpStatusCode.TooManyRequests);
        Assert.True(error.IsRateLimit);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task Unknown_email_is_1001(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var account = await archive.CreateAccountAsync("acme");
        var client = archive.Client(account);

        var error = await Assert.ThrowsAsync<ZoomChatException>(
            () => client.ListSessionsAsync(new ChatListRequest(From, To) { Email = "nobody@acme.com" }));

        AssertError(error, mode, ZoomErrorCodes.UserNotFound, "User nobody@acme.com not exist or not belong to this account.", HttpStatusCode.NotFound);
    }

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task Unknown_session_is_3001(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var account = await archive.CreateAccountAsync("acme");
        var client = archive.Client(account);

        var error = await Assert.ThrowsAsync<ZoomChatException>(
            () => client.GetAllMessagesAsync(new ChatGetRequest("no-such-session", From, To)).ToListAsync());

        AssertError(error, mode, ZoomErrorCodes.SessionNotFound, "Chat session not found: no-such-session.", HttpStatusCode.NotFound);
    }

    [StoreTheory]
    [MemberData(nameof(Modes))]
    public async Task A_base_address_without_the_api_is_404_in_both_modes(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var account = await archive.CreateAccountAsync("acme");
        var client = archive.Client(account, o => o.BaseAddress = new Uri(archive.Http.BaseAddress!, "elsewhere/"));

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.ListSessionsAsync(new ChatListRequest(From, To)));

        Assert.Equal((ZoomErrorCodes.NotFound, "Not found.", HttpStatusCode.NotFound), (error.Code, error.Message, error.StatusCode));
    }

    [StoreFact]
    public async Task An_http_error_without_the_envelope_is_an_HttpRequestException()
    {
        using var http = new HttpClient(new FixedAnswer(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html"));
        var client = new ZoomChatClient(http, StubOptions());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.ListSessionsAsync(new ChatListRequest(From, To)));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
    }

    [StoreFact]
    public async Task A_rate_limit_without_retry_after_is_retried_with_backoff()
    {
        var answers = new FixedAnswer(HttpStatusCode.OK, """{"error":{"code":403,"message":"Sorry, the maximum number of api requests are already reached. Please try later."}}""");
        using var http = new HttpClient(answers);
        var clock = new SleepingClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestArchive.Start));
        var client = new ZoomChatClient(http, StubOptions(o => o.MaxRateLimitRetries = 3), clock);

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.ListSessionsAsync(new ChatListRequest(From, To)));

        Assert.Equal((403, (TimeSpan?)null), (error.Code, error.RetryAfter));
        Assert.Equal(4, answers.Calls);
        Assert.Equal(3, clock.Sleeps);
        Assert.InRange(clock.Slept, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(180));
    }

    private static ZoomChatClientOptions StubOptions(Action<ZoomChatClientOptions>? configure = null)
    {
        var options = new ZoomChatClientOptions { BaseAddress = new Uri("http://zoom.invalid/"), ApiKey = "k", ApiSecret = "s", AccessToken = "t" };
        configure?.Invoke(options);
        return options;
    }

    private static Task<TestArchive> StartAsync(ErrorStatusMode mode, bool rateLimits = false) =>
        TestArchive.StartAsync(o =>
        {
            o.ErrorStatus = mode;
            o.RateLimits = rateLimits;
        });

    private static void AssertError(ZoomChatException error, ErrorStatusMode mode, int code, string message, HttpStatusCode httpModeStatus)
    {
        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
        Assert.Equal(mode == ErrorStatusMode.Zoom ? HttpStatusCode.OK : httpModeStatus, error.StatusCode);
    }

    /// <summary>A server that answers every call the same.</summary>
    private sealed class FixedAnswer(HttpStatusCode status, string body, string contentType = "application/json") : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) });
        }
    }
}
