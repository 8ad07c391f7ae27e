using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ZoomChat.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ZoomChatClient"/> as a typed client of <c>IHttpClientFactory</c>.</summary>
public static class ZoomChatServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ZoomChatClient"/> as a typed <see cref="HttpClient"/> client configured by
    /// <paramref name="configure"/>. The options are validated at start-up (and at the latest when the first
    /// client is made); the client waits on the registered <see cref="TimeProvider"/>, or the system clock.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the base address, credentials and retry settings.</param>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, to add handlers or a primary handler.</returns>
    /// <example>
    /// <code>
    /// services.AddZoomChatClient(options =>
    /// {
    ///     options.BaseAddress = new Uri("http://127.0.0.1:5080/");
    ///     options.ApiKey = configuration["Zoom:ApiKey"]!;
    ///     options.ApiSecret = configuration["Zoom:ApiSecret"]!;
    ///     options.AccessToken = configuration["Zoom:AccessToken"]!;
    /// });
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddZoomChatClient(this IServiceCollection services, Action<ZoomChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ZoomChatClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZoomChatClientOptions>>(ZoomChatClientOptionsValidator.Instance));
        return services
            .AddHttpClient(nameof(ZoomChatClient))
            .AddTypedClient((http, provider) => new ZoomChatClient(
                http,
                provider.GetRequiredService<IOptions<ZoomChatClientOptions>>().Value,
                provider.GetService<TimeProvider>() ?? TimeProvider.System));
    }
}
