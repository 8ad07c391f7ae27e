using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
            await using (var archive = await cli.OpenStoreAsync(store, token))
            {
                // The demo's credentials are public (README.md): they must never open a real archive.
                var others = (await archive.ListAccountsAsync(token)).Select(a => a.Name).Where(a => a != DemoArchive.Account).ToList();
                if (others.Count > 0)
                {
                    throw new CliException(
                        $"The store {cli.OpenedStore} holds other accounts ({string.Join(", ", others.Take(3))}{(others.Count > 3 ? ", ..." : string.Empty)}), "
                        + $"and the demo adds one whose credentials are public: give the demo a store of its own (the default is {DemoStore}).");
                }

                if (archive.IsReadOnly)
                {
                    throw new CliException($"The store {cli.OpenedStore} is read-only, and demo fills it.");
                }

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
                throw new CliException($"{settings.UrlsSource}: '{url}' is not a URL to listen on, such as {DefaultUrls}.");
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
        // A start-up failure is reported as one line on standard error (below): the host would also log
        // it, with its stack trace, on standard output.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        await using var app = await ZoomChatServer.BuildAsync(
            builder,
            options =>
            {
                options.Store = store;
                options.RateLimits = settings.RateLimits ?? options.RateLimits;
                options.ErrorStatus = settings.ErrorStatus ?? options.ErrorStatus;
                options.PageTokenLifetimeSeconds = settings.PageTokenLifetimeSeconds ?? options.PageTokenLifetimeSeconds;
                if (settings.ReadStores is { Length: > 0 } readStores)
                {
                    options.ReadStore = readStores;
                }
            },
            cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            throw new CliException($"{settings.UrlsSource}: cannot listen on {settings.Urls}: {ListenFailure(e)}");
        }

        onStarted?.Invoke();
        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>Why Kestrel could not listen, in an operator's words; Kestrel wraps the socket's error in exceptions of its own.</summary>
    private static string ListenFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressInUseException || inner is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return "the port is in use (is another server running there?)";
            }

            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.AddressNotAvailable => "the address is not one of this machine's",
                    SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
                    _ => socket.Message,
                };
            }
        }

        return e.Message;
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
        private readonly Option<string[]> _readStore = new("--read-store")
        {
            Description = "A streaming replica of the PostgreSQL --store for chat/list and chat/get pages; repeat it for several",
            AllowMultipleArgumentsPerToken = false,
        };

        private readonly Option<long?> _pageTokenLifetime = CliOptions.WholeNumber(
            "--page-token-lifetime", "next_page_token lifetime in seconds (default: 1800)", 1, ZoomChatOptions.MaxPageTokenLifetimeSeconds, "a number of seconds");

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
            command.Options.Add(_readStore);
        }

        public ServeSettings Read(ParseResult result)
        {
            var (urls, source) = result.GetValue(_urls) is { } flag ? (flag, "--urls")
                : CliContext.Configuration()["urls"] is { } configured ? (configured, "the urls setting")
                : (DefaultUrls, "--urls");
            return new(
                urls,
                source,
                result.GetValue(_rateLimits) is { } limits ? limits == "on" : null,
                result.GetValue(_errorStatus) is { } status ? (status == "http" ? ErrorStatusMode.Http : ErrorStatusMode.Zoom) : null,
                (int?)result.GetValue(_pageTokenLifetime),
                result.GetValue(_readStore));
        }
    }

    /// <param name="UrlsSource">Where <paramref name="Urls"/> came from, as an error names it: the flag or the setting.</param>
    private sealed record ServeSettings(string Urls, string UrlsSource, bool? RateLimits, ErrorStatusMode? ErrorStatus, int? PageTokenLifetimeSeconds, string[]? ReadStores);
}
