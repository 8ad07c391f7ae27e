using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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

namespace ZoomChat.Server.Hosting;

/// <summary>Builds the ZoomChat web application: the table of contents of the server.</summary>
public static class ZoomChatServer
{
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
        builder.Configuration.GetSection(ZoomChatOptions.Section).Bind(options);
        configure?.Invoke(options);
        Validate(options);

        var store = ArchiveStores.Open(options.Store);
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
            kestrel.Limits.MaxRequestBodySize = ChatRequestHandler.MaxBodyBytes;
        });
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = ChatRequestHandler.MaxBodyBytes);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(Options.Create(options));
        // Made by a factory, so that the container disposes it when the server stops: the store then
        // folds its WAL into its file (docs/operations.md#backup-and-restore).
        builder.Services.AddSingleton(_ => store);
        builder.Services.AddSingleton(services => new PageTokenCodec(
            pageTokenKey, services.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(options.PageTokenLifetimeSeconds)));
        builder.Services.AddSingleton<ChatRateLimiter>();
        builder.Services.AddSingleton<ChatRequestHandler>();

        var app = builder.Build();
        _ = app.Services.GetRequiredService<IArchiveStore>();
        app.UseRequestLog();
        app.MapChatApi();
        app.MapGet("/healthz", () => Results.Text("{\"status\":\"ok\"}", ChatResponseWriter.JsonContentType));
        app.Map("/{**path}", (HttpContext context) =>
            ChatResponseWriter.WriteErrorAsync(context, ApiError.NotFound, ResponseFormat.Json, options.ErrorStatus));
        return app;
    }

    private static void Validate(ZoomChatOptions options)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                ZoomChatOptions.Section, typeof(ZoomChatOptions), results.Select(r => $"ZoomChat settings: {r.ErrorMessage}"));
        }
    }
}
