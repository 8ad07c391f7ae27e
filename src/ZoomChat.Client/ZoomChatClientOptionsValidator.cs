using Microsoft.Extensions.Options;

namespace ZoomChat.Client;

/// <summary>Checks <see cref="ZoomChatClientOptions"/>, so that bad configuration fails at start-up with a clear message.</summary>
internal sealed class ZoomChatClientOptionsValidator : IValidateOptions<ZoomChatClientOptions>
{
    public static ZoomChatClientOptionsValidator Instance { get; } = new();

    public ValidateOptionsResult Validate(string? name, ZoomChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("ZoomChatClientOptions.BaseAddress must be an absolute http or https URI, such as http://127.0.0.1:5080/.");
        }

        if (string.IsNullOrEmpty(options.ApiKey))
        {
            failures.Add("ZoomChatClientOptions.ApiKey is required.");
        }

        if (string.IsNullOrEmpty(options.ApiSecret))
        {
            failures.Add("ZoomChatClientOptions.ApiSecret is required.");
        }

        if (string.IsNullOrEmpty(options.AccessToken))
        {
            failures.Add("ZoomChatClientOptions.AccessToken is required.");
        }

        if (options.MaxRateLimitRetries < 0)
        {
            failures.Add("ZoomChatClientOptions.MaxRateLimitRetries must be 0 or more.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > ZoomChatClientOptions.MaxRetryAfterLimit)
        {
            failures.Add("ZoomChatClientOptions.MaxRetryAfter must be from 0 to 1 day.");
        }

        if (options.RetryDelayWithoutRetryAfter <= TimeSpan.Zero || options.RetryDelayWithoutRetryAfter > ZoomChatClientOptions.MaxRetryAfterLimit)
        {
            failures.Add("ZoomChatClientOptions.RetryDelayWithoutRetryAfter must be more than 0 and at most 1 day.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
