using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using ZoomChat.Server.Demo;
using ZoomChat.Server.Hosting;

namespace ZoomChat.Cli.Commands;

/// <summary><c>serve</c> and <c>demo</c>: run the API (docs/operations.md#running-the-server).</summary>
internal static class ServeCommands
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string DemoStore = "data/demo.db";

    public static Command Serve(CliRunner run)
    {
        var settings = new ServeOptions();
        var serve = new Command("serve", "Serve the Zoom Chat API v1 until stopped");
        settings.AddTo(serve);
        serve.SetAction(run((cli, result, token) => ServeAsync(cli, cli.Store, settings.Read(result), onStarted: null, token)));
        return serve;
    }

    public static Command Demo(CliRunner run)
    {
        var settings = new ServeOptions();
        var demo = new Command("demo", "Fill a demo archive (the seed's example window, 2016-01-16 to 2016-01-22) and serve it");
        settings.AddTo(demo);
        demo.SetAction(run(async (cli, result, token) =>
        {
            var store = cli.StoreFlag ?? DemoStore;
            await using (var archive = Server.Storage.ArchiveStores.Open(store))
            {
                await archive.InitializeAsync(token);
                var filled = await DemoArchive.FillAsync(archive, TimeProvider.System, token);
                await cli.Output.WriteLineAsync($"Demo archive {store}: {filled.Sessions} sessions, {filled.Messages} messages.");
            }

            var serve = settings.Read(result);
            await ServeAsync(cli, store, serve, onStarted: () => PrintDemoHelp(cli, serve.Urls), token);
        }));
        return demo;
    }

    private static async Task ServeAsync(CliContext cli, string store, ServeSettings settings, Action? onStarted, CancellationToken cancellationToken)
    {
        // A bad --urls is a bad argument: one line before anything starts, not a host's start-up
        // failure with a stack trace (docs/operations.md#the-zoomchat-command). Kestrel parses them the same way.
        foreach (var url in settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                throw new CliException($"--urls: '{url}' is not a URL to listen on, such as {DefaultUrls}.");
            }
        }

        // Settings are read once, at start: watching appsettings.json for changes watches the whole
        // working folder and its subfolders, and woke the server for every line a log wrote there.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls(settings.Urls);
        await using var app = await ZoomChatServer.BuildAsync(
            builder,
            options =>
            {
                options.Store = store;
                options.RateLimits = settings.RateLimits ?? options.RateLimits;
                options.ErrorStatus = settings.ErrorStatus ?? options.ErrorStatus;
                options.PageTokenLifetimeSeconds = settings.PageTokenLifetimeSeconds ?? options.PageTokenLifetimeSeconds;
            },
            cancellationToken);
        await app.StartAsync(cancellationToken);
        onStarted?.Invoke();
        await app.WaitForShutdownAsync(cancellationToken);
    }

    private static void PrintDemoHelp(CliContext cli, string urls)
    {
        var url = urls.Split(';')[0].TrimEnd('/');
        cli.Output.WriteLine($"""

            ZoomChat demo is serving on {url}
              account:      {DemoArchive.Account}
              api_key:      {DemoArchive.ApiKey}
              api_secret:   {DemoArchive.ApiSecret}
              access_token: {DemoArchive.AccessToken}

            Try:
              curl -s -X POST {url}/v1/chat/list -d api_key={DemoArchive.ApiKey} -d api_secret={DemoArchive.ApiSecret} -d access_token={DemoArchive.AccessToken} -d from=2016-01-16 -d to=2016-01-22

            Press Ctrl+C to stop.
            """);
    }

    /// <summary>The flags <c>serve</c> and <c>demo</c> share; unset ones leave configuration as it is.</summary>
    private sealed class ServeOptions
    {
        private readonly Option<string> _urls = new("--urls") { Description = $"Where to listen (default: {DefaultUrls})" };
        private readonly Option<string?> _rateLimits = new("--rate-limits") { Description = "Zoom v1's rate limits: on (default) or off" };
        private readonly Option<string?> _errorStatus = new("--error-status") { Description = "HTTP status of errors: zoom (200, default) or http" };
        private readonly Option<int?> _pageTokenLifetime = new("--page-token-lifetime") { Description = "next_page_token lifetime in seconds (default: 1800)" };

        public ServeOptions()
        {
            _rateLimits.AcceptOnlyFromAmong("on", "off");
            _errorStatus.AcceptOnlyFromAmong("zoom", "http");
        }

        public void AddTo(Command command)
        {
            command.Options.Add(_urls);
            command.Options.Add(_rateLimits);
            command.Options.Add(_errorStatus);
            command.Options.Add(_pageTokenLifetime);
        }

        public ServeSettings Read(ParseResult result) => new(
            result.GetValue(_urls) ?? CliContext.Configuration()["urls"] ?? DefaultUrls,
            result.GetValue(_rateLimits) is { } limits ? limits == "on" : null,
            result.GetValue(_errorStatus) is { } status ? (status == "http" ? ErrorStatusMode.Http : ErrorStatusMode.Zoom) : null,
            result.GetValue(_pageTokenLifetime));
    }

    private sealed record ServeSettings(string Urls, bool? RateLimits, ErrorStatusMode? ErrorStatus, int? PageTokenLifetimeSeconds);
}
