using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Hosting;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;

namespace ZoomChat.Tests.Support;

/// <summary>
/// A ZoomChat server in-process on a real store of the test's kind (<see cref="TestStores"/>) of its own, with a clock the
/// test moves. Each test builds its own; rate limits are off unless the test turns them on.
/// </summary>
internal sealed class TestArchive : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _folder;
    private readonly WebApplication _app;

    private TestArchive(TempFolder folder, string storePath, WebApplication app, FakeTimeProvider time, IArchiveStore store, HttpClient http)
    {
        _folder = folder;
        StorePath = storePath;
        _app = app;
        Time = time;
        Store = store;
        Http = http;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>A second store on the same file, as another process would have: for set-up and imports.</summary>
    public IArchiveStore Store { get; }

    public HttpClient Http { get; }

    /// <summary>The server's own store, with its caches and chat/list index.</summary>
    public IArchiveStore ServerStore => _app.Services.GetRequiredService<IArchiveStore>();

    /// <summary>Where a server started by <see cref="StartOnKestrelAsync"/> listens; null for the in-process test server.</summary>
    public Uri? Address { get; private init; }

    /// <summary>The server's services, to read the settings it runs with.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The store's <c>--store</c> value: a SQLite file in the test's folder, or a PostgreSQL database of its own (<see cref="TestStores"/>).</summary>
    public string StorePath { get; }

    public ArchiveAdministration Administration => new(Store, Time);

    public static async Task<TestArchive> StartAsync(Action<ZoomChatOptions>? configure = null, TempFolder? folder = null, FakeTimeProvider? time = null)
    {
        folder ??= new TempFolder();
        time ??= new FakeTimeProvider(Start);
        var store = TestStores.Create(folder);
        var app = await BuildServerAsync(store, time, configure);
        await app.StartAsync();
        var setupStore = ArchiveStores.Open(store);
        await setupStore.InitializeAsync(CancellationToken.None);
        return new TestArchive(folder, store, app, time, setupStore, app.GetTestClient());
    }

    /// <summary>
    /// The same server on Kestrel and a real socket on 127.0.0.1, as <c>zoomchat serve</c> runs it: for
    /// what the in-process test server cannot show (connections, timeouts, what a client reads after a
    /// refusal). <paramref name="kestrel"/> runs after the server's own settings, so a test may shorten a timeout.
    /// </summary>
    public static async Task<TestArchive> StartOnKestrelAsync(Action<KestrelServerOptions>? kestrel = null, Action<ZoomChatOptions>? configure = null)
    {
        var folder = new TempFolder();
        var time = new FakeTimeProvider(Start);
        var store = TestStores.Create(folder);
        var app = await BuildServerAsync(store, time, configure, kestrel ?? (_ => { }));
        await app.StartAsync();
        var setupStore = ArchiveStores.Open(store);
        await setupStore.InitializeAsync(CancellationToken.None);
        var address = new Uri(app.Urls.Single());
        return new TestArchive(folder, store, app, time, setupStore, new HttpClient { BaseAddress = address }) { Address = address };
    }

    /// <summary>Another server process on the same store (its own page-token codec, limiter and caches).</summary>
    public async Task<(WebApplication App, HttpClient Http)> StartSecondServerAsync(Action<ZoomChatOptions>? configure = null)
    {
        var app = await BuildServerAsync(StorePath, Time, configure);
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    /// <summary>Creates an account with an API key and an archive viewer holding an access token.</summary>
    public async Task<TestCredentials> CreateAccountAsync(string name, string viewer = "admin@example.com")
    {
        var admin = Administration;
        await admin.CreateAccountAsync(name, CancellationToken.None);
        var (apiKey, apiSecret) = await admin.CreateApiKeyAsync(name, CancellationToken.None);
        await admin.AddUserAsync(name, viewer, "Archive viewer", archiveViewer: true, CancellationToken.None);
        var (token, _) = await admin.IssueAccessTokenAsync(name, viewer, expiresIn: null, CancellationToken.None);
        return new TestCredentials(name, apiKey, apiSecret, token);
    }

    /// <summary>Imports interchange lines; every line must be accepted.</summary>
    public async Task<ImportSummary> ImportAsync(string account, params string[] lines)
    {
        var problems = new List<string>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        var summary = await new ArchiveImporter(Store).ImportAsync(
            stream, account, progress: null, onRejected: p => problems.Add($"line {p.LineNumber}: {p.Reason}"), CancellationToken.None);
        Assert.Empty(problems);
        return summary;
    }

    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> form, HttpClient? http = null) =>
        (http ?? Http).PostAsync(path, new FormUrlEncodedContent(form));

    /// <summary>Posts and parses a JSON answer, asserting the content type the contract fixes.</summary>
    public async Task<JsonElement> PostJsonAsync(string path, IEnumerable<KeyValuePair<string, string>> form, HttpClient? http = null)
    {
        using var response = await PostAsync(path, form, http);
        Assert.Equal(MediaTypeHeaderValue.Parse("application/json"), response.Content.Headers.ContentType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
        await Store.DisposeAsync();
        _folder.Dispose();
    }

    private static async Task<WebApplication> BuildServerAsync(
        string store, FakeTimeProvider time, Action<ZoomChatOptions>? configure, Action<KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        if (kestrel is null)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.PostConfigure(kestrel);
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        return await ZoomChatServer.BuildAsync(builder, options =>
        {
            options.Store = store;
            options.RateLimits = false;
            configure?.Invoke(options);
        });
    }
}

/// <summary>What a client of one account sends on every call.</summary>
internal sealed record TestCredentials(string Account, string ApiKey, string ApiSecret, string AccessToken)
{
    /// <summary>The credentials plus the given parameters, as form fields.</summary>
    public List<KeyValuePair<string, string>> With(params (string Name, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("api_key", ApiKey),
            new("api_secret", ApiSecret),
            new("access_token", AccessToken),
        };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        return form;
    }
}
