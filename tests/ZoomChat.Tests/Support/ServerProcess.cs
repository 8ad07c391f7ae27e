using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ZoomChat.Server.Hosting;

namespace ZoomChat.Tests.Support;

/// <summary>
/// A ZoomChat server in-process on a store file that someone else owns (a <see cref="TestArchive"/>,
/// or a store the <c>zoomchat</c> command filled), as a separate server process would run it: its own
/// page-token codec, limiter and caches. Disposing it stops the server and leaves the store alone,
/// so that starting another one on the same file is a restart.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServerProcess(WebApplication app)
    {
        _app = app;
        Http = app.GetTestClient();
    }

    public HttpClient Http { get; }

    public static async Task<ServerProcess> StartAsync(string storePath, TimeProvider time, Action<ZoomChatOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        var app = await ZoomChatServer.BuildAsync(builder, options =>
        {
            options.Store = storePath;
            options.RateLimits = false;
            configure?.Invoke(options);
        });
        await app.StartAsync();
        return new ServerProcess(app);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
