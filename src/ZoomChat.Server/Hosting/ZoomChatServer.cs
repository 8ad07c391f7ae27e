using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ZoomChat.Server.Chat;
using ZoomChat.Server.Paging;
using ZoomChat.Server.RateLimiting;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Viewer;

namespace ZoomChat.Server.Hosting;

/// <summary>Builds the ZoomChat web application: the table of contents of the server.</summary>
public static class ZoomChatServer
{
    /// <summary>The most of one request body the server reads, including what it discards after a 413.</summary>
    internal const long MaxReadBodyBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Builds the application on a builder the caller made (and may have configured: URLs, a test
    /// server, a <see cref="TimeProvider"/>). Settings come from configuration section
    /// <c>ZoomChat</c>, then <paramref name="configure"/>; bad ones fail here with a clear message.
    /// The store is created or upgraded before this returns, so the app serves as soon as it runs.
    /// </summary>
    /// <param name="builder">The web application builder.</param>
    /// <param name="configure">Overrides of the configured settings, such as command-line flags.</param>
    /// <param name="cancellationToken">Stops the start-up.</param>
    /// <returns>The application, ready to run.</returns>
    public static async Task<WebApplication> BuildAsync(
        WebApplicationBuilder builder, Action<ZoomChatOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ZoomChatOptions();
        Bind(builder.Configuration.GetSection(ZoomChatOptions.Section), options);
        configure?.Invoke(options);
        Validate(options);

        var store = ArchiveStores.Open(options.Store, [.. options.ReadStore]);
        await store.InitializeAsync(cancellationToken);
        var pageTokenKey = await store.GetPageTokenKeyAsync(cancellationToken);

        // Hosting's own request lines would log query strings, which may carry credentials.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // One line per entry; configuration may still pick another formatter (Logging:Console:FormatterName=json).
        // Naming the formatter matters: without a name the console logger replaces its options with defaults.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            SetLimits(kestrel.Limits);
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(options));
        // Made by a factory, so that the container disposes it when the server stops: the store then
        // folds its WAL into its file (docs/operations.md#backup-and-restore).
        builder.Services.AddSingleton(_ => store);
        builder.Services.AddSingleton(services => new PageTokenCodec(
            pageTokenKey, services.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(options.PageTokenLifetimeSeconds)));
        builder.Services.AddSingleton<ChatRateLimiter>();
        builder.Services.AddSingleton<ChatRequestHandler>();
        if (store is IArchiveSearch search)
        {
            builder.Services.AddSingleton(search);
        }

        var viewerStore = store as IViewerStore;
        if (viewerStore is not null)
        {
            builder.Services.AddSingleton(viewerStore);
            builder.Services.AddSingleton(services => new ViewerSessions(viewerStore, services.GetRequiredService<TimeProvider>(), pageTokenKey));
        }

        var app = builder.Build();
        _ = app.Services.GetRequiredService<IArchiveStore>();
        app.UseRequestLog();
        app.MapChatApi();
        app.MapGet("/healthz", () => Results.Text("{\"status\":\"ok\"}", ChatResponseWriter.JsonContentType));
        if (viewerStore is not null)
        {
            // The web viewer, on the same port under / (docs/viewer.md); a backend without its tables serves the API alone.
            app.MapViewer();
        }

        app.Map("/{**path}", (HttpContext context) =>
            ChatResponseWriter.WriteErrorAsync(context, ApiError.NotFound, ResponseFormat.Json, options.ErrorStatus));
        return app;
    }

    /// <summary>
    /// The limits of the transport, chosen for an API whose requests are small forms and whose clients
    /// are a few archive tools; docs/operations.md#limits gives each value and what a client sees.
    /// </summary>
    private static void SetLimits(KestrelServerLimits limits)
    {
        // The most of one body the server reads: the chat endpoints keep 1 MiB, and read the rest of a larger
        // body and discard it after their 413 (within Kestrel's 5 s drain), so a client that sends it whole reads the answer.
        limits.MaxRequestBodySize = MaxReadBodyBytes;
        // A call with everything in the query string (credentials, dates, a page token) takes well under 1 KiB.
        limits.MaxRequestLineSize = 8 * 1024;
        // A client sends a handful of headers; proxies and tracing add a few more, none of them large.
        limits.MaxRequestHeadersTotalSize = 16 * 1024;
        limits.MaxRequestHeaderCount = 64;
        // Slowloris: the whole request head, however it trickles, within 10 s of its first byte.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        // A form of a few hundred bytes comes within the grace period; a body that trickles after it is cut off.
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(5));
        // A page is usually a few KiB: a reader slower than this holds a connection for nothing.
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(5));
        // Longer than HttpClient's one-minute idle timeout, so a pooled connection is not closed as it is reused
        // (https://learn.microsoft.com/dotnet/api/system.net.http.socketshttphandler.pooledconnectionidletimeout).
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(75);
        // Many times the clients of one archive; with the buffers below, theirs hold 128 MiB at most.
        limits.MaxConcurrentConnections = 1024;
        // The API has no WebSockets or other upgraded protocols.
        limits.MaxConcurrentUpgradedConnections = 0;
        // What a connection buffers before it waits for the other side: a whole request head in, a typical page out.
        limits.MaxRequestBufferSize = 64 * 1024;
        limits.MaxResponseBufferSize = 64 * 1024;
    }

    /// <summary>
    /// Binds the section; a value that is not of its setting's kind (<c>ZoomChat__RateLimits=nope</c>)
    /// fails naming the setting and what it takes, rather than with the binder's words and .NET types.
    /// </summary>
    private static void Bind(IConfigurationSection section, ZoomChatOptions options)
    {
        try
        {
            section.Bind(options);

            // One replica may be given as a plain value (ZoomChat__ReadStore=...), which the binder leaves out of a list.
            if (section.GetSection(nameof(ZoomChatOptions.ReadStore)).Value is { Length: > 0 } readStore)
            {
                options.ReadStore = [readStore];
            }
        }
        catch (InvalidOperationException)
        {
            foreach (var setting in section.GetChildren())
            {
                var property = typeof(ZoomChatOptions).GetProperty(
                    setting.Key, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
                try
                {
                    _ = property is null ? null : setting.Get(property.PropertyType);
                }
                catch (InvalidOperationException)
                {
                    throw Invalid($"{setting.Path} takes {Expected(property!.PropertyType)}, not '{setting.Value}'");
                }
            }

            throw;
        }

        static string Expected(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(bool))
            {
                return "true or false";
            }

            if (type == typeof(int))
            {
                return "a whole number";
            }

            return type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type)) : "a value of its kind";
        }
    }

    /// <summary>Checks the settings' ranges; each failure names its configuration key (docs/operations.md#settings).</summary>
    private static void Validate(ZoomChatOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var failures = results.Select(r =>
            {
                var name = r.MemberNames.FirstOrDefault() ?? string.Empty;
                var value = typeof(ZoomChatOptions).GetProperty(name)?.GetValue(options);
                return $"{ZoomChatOptions.Section}:{name} {r.ErrorMessage}, not '{value}'";
            });
            throw Invalid(string.Join("; ", failures));
        }
    }

    private static OptionsValidationException Invalid(string failure) =>
        new(ZoomChatOptions.Section, typeof(ZoomChatOptions), [failure]);
}
