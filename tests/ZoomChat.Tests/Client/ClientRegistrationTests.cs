using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ZoomChat.Client;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

/// <summary>The client from IHttpClientFactory (<c>AddZoomChatClient</c>) and standalone, with its options validated.</summary>
public sealed class ClientRegistrationTests
{
    private static readonly DateOnly From = new(2016, 1, 16);
    private static readonly DateOnly To = new(2016, 1, 22);

    [StoreFact]
    public async Task AddZoomChatClient_gives_a_typed_client_that_waits_on_the_registered_clock()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var account = await archive.CreateAccountAsync("acme");
        var seed = ChatSeed.Varied();
        await archive.ImportAsync(account.Account, seed);
        var clock = new SleepingClock(archive.Time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services
            .AddZoomChatClient(o =>
            {
                o.BaseAddress = new Uri("http://localhost/");
                o.ApiKey = account.ApiKey;
                o.ApiSecret = account.ApiSecret;
                o.AccessToken = account.AccessToken;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new ForwardingHandler(archive.Http));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var client = provider.GetRequiredService<ZoomChatClient>();
        var sessions = await client.ListAllSessionsAsync(new ChatListRequest(From, To) { PageSize = 2 }).ToListAsync();

        Assert.Equal(ChatSeed.ExpectedSessions(seed, ChatSeed.StartOf(From), ChatSeed.EndOf(To)), sessions);
        Assert.Equal(1, clock.Sleeps);
    }

    [StoreFact]
    public async Task AddZoomChatClient_with_bad_options_fails_with_every_reason()
    {
        var services = new ServiceCollection();
        services.AddZoomChatClient(o =>
        {
            o.BaseAddress = new Uri("/relative", UriKind.Relative);
            o.ApiKey = "key";
            o.MaxRateLimitRetries = -1;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ZoomChatClient>());

        Assert.Equal(
            [
                "ZoomChatClientOptions.BaseAddress must be an absolute http or https URI, such as http://127.0.0.1:5080/.",
                "ZoomChatClientOptions.ApiSecret is required.",
                "ZoomChatClientOptions.AccessToken is required.",
                "ZoomChatClientOptions.MaxRateLimitRetries must be 0 or more.",
            ],
            error.Failures);
        // ValidateOnStart: a host checks them before it starts.
        var startup = provider.GetRequiredService<IStartupValidator>();
        Assert.Throws<OptionsValidationException>(startup.Validate);
    }

    [StoreFact]
    public void A_standalone_client_refuses_bad_options_when_made()
    {
        using var http = new HttpClient();
        var options = new ZoomChatClientOptions { BaseAddress = new Uri("ftp://example.com/"), ApiKey = "k", ApiSecret = "s", AccessToken = "t" };

        var error = Assert.Throws<ArgumentException>(() => new ZoomChatClient(http, options));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("BaseAddress must be an absolute http or https URI", error.Message, StringComparison.Ordinal);
        options.BaseAddress = new Uri("https://example.com/");
        options.MaxRetryAfter = TimeSpan.FromDays(2);
        Assert.Contains("MaxRetryAfter must be from 0 to 1 day", Assert.Throws<ArgumentException>(() => new ZoomChatClient(http, options)).Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_base_address_with_a_path_keeps_it()
    {
        var seen = new List<Uri>();
        using var http = new HttpClient(new Recorder(seen));
        var options = new ZoomChatClientOptions { BaseAddress = new Uri("https://proxy.example.com/zoom"), ApiKey = "k", ApiSecret = "s", AccessToken = "t" };
        var client = new ZoomChatClient(http, options, new FakeTimeProvider());

        await client.ListSessionsAsync(new ChatListRequest(From, To));
        await client.GetMessagesAsync(new ChatGetRequest("s-1", From, To));

        Assert.Equal(["https://proxy.example.com/zoom/v1/chat/list", "https://proxy.example.com/zoom/v1/chat/get"], seen.Select(u => u.AbsoluteUri));
    }

    [StoreFact]
    public async Task Requests_are_form_posts_with_the_credentials_and_the_parameters_as_the_contract_names_them()
    {
        var bodies = new List<string>();
        using var http = new HttpClient(new Recorder([], bodies));
        var options = new ZoomChatClientOptions { BaseAddress = new Uri("https://zoom.example.com/"), ApiKey = "k y", ApiSecret = "s&t", AccessToken = "t=1" };
        var client = new ZoomChatClient(http, options, new FakeTimeProvider());

        await client.ListSessionsAsync(new ChatListRequest(From, new DateTimeOffset(2016, 1, 22, 8, 0, 0, TimeSpan.FromHours(8))) { Email = "a@b.com", PageSize = 5 }, "tok");
        await client.GetMessagesAsync(new ChatGetRequest("s 1", From, To));

        Assert.Equal(
            [
                "api_key=k+y&api_secret=s%26t&access_token=t%3D1&email=a%40b.com&from=2016-01-16&to=2016-01-22T00%3A00%3A00.000Z&page_size=5&next_page_token=tok",
                "api_key=k+y&api_secret=s%26t&access_token=t%3D1&session_id=s+1&from=2016-01-16&to=2016-01-22",
            ],
            bodies);
    }

    /// <summary>Answers every call with an empty page and records what was asked.</summary>
    private sealed class Recorder(List<Uri> uris, List<string>? bodies = null) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal("application/x-www-form-urlencoded", request.Content!.Headers.ContentType!.MediaType);
            uris.Add(request.RequestUri!);
            bodies?.Add(await request.Content.ReadAsStringAsync(cancellationToken));
            var body = request.RequestUri!.AbsolutePath.EndsWith("list", StringComparison.Ordinal)
                ? """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_list":[]}"""
                : """{"session_id":"s-1","group_name":"","from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_messages":[]}""";
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        }
    }
}
