using Microsoft.Extensions.Options;
using ZoomChat.Server.Hosting;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.RateLimiting;

/// <summary>
/// Zoom v1's published limits (docs/api.md#rate-limits), counted per API key as token buckets kept in
/// the store, so that they hold across every server process that shares it.
/// </summary>
internal sealed class ChatRateLimiter
{
    private readonly IArchiveStore _store;
    private readonly TimeProvider _time;
    private readonly bool _enabled;
    private readonly RateBucket[] _getBuckets;
    private readonly RateBucket[] _listBuckets;

    public ChatRateLimiter(IArchiveStore store, TimeProvider time, IOptions<ZoomChatOptions> options)
    {
        _store = store;
        _time = time;
        var settings = options.Value;
        _enabled = settings.RateLimits;
        var all = new RateBucket("all", settings.RequestsPerSecond, TimeSpan.FromSeconds(1), CalendarDay: false);
        var chat = new RateBucket("chat", settings.ChatRequestsPerSecond, TimeSpan.FromSeconds(1), CalendarDay: false);
        var listDaily = new RateBucket("chat/list:day", settings.ChatListRequestsPerDay, TimeSpan.FromDays(1), CalendarDay: true);
        _getBuckets = [all, chat];
        _listBuckets = [all, chat, listDaily];
    }

    public Task<RateDecision> TryAcquireAsync(long apiKeyId, bool isList, CancellationToken cancellationToken) =>
        _enabled
            ? _store.TryConsumeAsync(apiKeyId, isList ? _listBuckets : _getBuckets, _time.GetUtcNow(), cancellationToken)
            : Task.FromResult(new RateDecision(true, 0));
}
