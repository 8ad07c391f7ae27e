using Polly;
using Polly.Retry;
using ZoomChat.Client.Wire;

namespace ZoomChat.Client;

/// <summary>
/// The Polly pipeline around each call: on the rate-limit error (code 403) it waits the server's
/// <c>Retry-After</c> and calls again (docs/api.md#rate-limits).
/// </summary>
/// <remarks>
/// It wraps the whole call, sending and reading the envelope, rather than sitting in the HttpClient's
/// handler chain: a Zoom-mode server answers the error with HTTP 200, so only the envelope tells, and
/// the client reads that anyway. So one strategy serves both status modes and any HttpClient, including
/// one that did not come from IHttpClientFactory, and each attempt sends a fresh request.
/// </remarks>
internal static class RateLimitRetry
{
    public static ResiliencePipeline Create(ZoomChatClientOptions options, TimeProvider time)
    {
        if (options.MaxRateLimitRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        var maxWait = options.MaxRetryAfter;
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRateLimitRetries,
                // A wait longer than the bound (the daily limit, say) is the caller's decision, not ours.
                ShouldHandle = new PredicateBuilder().Handle<ZoomChatException>(
                    e => e.Code == ZoomErrorCodes.RateLimitExceeded && (e.RetryAfter is not { } wait || wait <= maxWait)),
                DelayGenerator = static args => ValueTask.FromResult(
                    args.Outcome.Exception is ZoomChatException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
                // Used only when the server sent no Retry-After.
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryDelayWithoutRetryAfter,
                MaxDelay = maxWait > options.RetryDelayWithoutRetryAfter ? maxWait : options.RetryDelayWithoutRetryAfter,
                UseJitter = true,
            })
            .Build();
    }
}
