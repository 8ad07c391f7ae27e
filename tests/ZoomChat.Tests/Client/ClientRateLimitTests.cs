using Microsoft.Extensions.Time.Testing;
using ZoomChat.Client;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

/// <summary>Rate limits on (one chat/* call per second per key, docs/api.md#rate-limits): the client waits them out.</summary>
public sealed class ClientRateLimitTests
{
    private static readonly DateOnly From = new(2016, 1, 16);
    private static readonly DateOnly To = new(2016, 1, 22);

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task A_full_traversal_through_rate_limits_returns_the_whole_archive(ErrorStatusMode mode)
    {
        await using var archive = await TestArchive.StartAsync(o =>
        {
            o.RateLimits = true;
            o.ErrorStatus = mode;
        });
        var account = await archive.CreateAccountAsync("acme");
        var seed = ChatSeed.Varied();
        await archive.ImportAsync(account.Account, seed);
        var recorder = archive.Recorder();
        var clock = new SleepingClock(archive.Time);
        var client = archive.Client(account, recorder: recorder, time: clock);
        var started = archive.Time.GetUtcNow();

        var sessions = await client.ListAllSessionsAsync(new ChatListRequest(From, To) { PageSize = 1 }).ToListAsync();
        var messages = new List<ChatMessage>();
        foreach (var session in sessions)
        {
            messages.AddRange(await client.GetAllMessagesAsync(new ChatGetRequest(session.SessionId, From, To) { PageSize = 2 }).ToListAsync());
        }

        Assert.Equal(ChatSeed.ExpectedSessions(seed, ChatSeed.StartOf(From), ChatSeed.EndOf(To)), sessions);
        Assert.Equal(
            sessions.SelectMany(s => ChatSeed.ExpectedMessages(seed, s.SessionId, ChatSeed.StartOf(From), ChatSeed.EndOf(To))),
            messages);
        var calls = recorder.Codes.Count(c => c == 0);
        // Every call after the first met the limit once and was retried after the server's Retry-After of 1 s.
        Assert.Equal(calls - 1, recorder.Count(ZoomErrorCodes.RateLimitExceeded));
        Assert.Equal(calls - 1, clock.Sleeps);
        Assert.Equal(TimeSpan.FromSeconds(calls - 1), clock.Slept);
        Assert.Equal(TimeSpan.FromSeconds(calls - 1), archive.Time.GetUtcNow() - started);
    }

    [StoreFact]
    public async Task A_retry_after_longer_than_the_maximum_is_thrown_at_once()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var account = await archive.CreateAccountAsync("acme");
        var recorder = archive.Recorder();
        var client = archive.Client(account, o => o.MaxRetryAfter = TimeSpan.FromMilliseconds(900), recorder);
        await client.ListSessionsAsync(new ChatListRequest(From, To));

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.ListSessionsAsync(new ChatListRequest(From, To)));

        Assert.Equal((ZoomErrorCodes.RateLimitExceeded, (TimeSpan?)TimeSpan.FromSeconds(1)), (error.Code, error.RetryAfter));
        Assert.Equal([0, 403], recorder.Codes);
    }

    [StoreFact]
    public async Task Retries_stop_after_the_configured_number()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var account = await archive.CreateAccountAsync("acme");
        var recorder = archive.Recorder();
        // The client sleeps on a clock of its own, so the server's time stands still and the limit never lifts.
        var clientClock = new SleepingClock(new FakeTimeProvider(TestArchive.Start));
        var client = archive.Client(account, o => o.MaxRateLimitRetries = 2, recorder, clientClock);
        await client.ListSessionsAsync(new ChatListRequest(From, To));

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.ListSessionsAsync(new ChatListRequest(From, To)));

        Assert.Equal(ZoomErrorCodes.RateLimitExceeded, error.Code);
        Assert.Equal([0, 403, 403, 403], recorder.Codes);
        Assert.Equal(TimeSpan.FromSeconds(2), clientClock.Slept);
    }

    [StoreFact]
    public async Task Several_traversals_sharing_one_key_all_finish()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var account = await archive.CreateAccountAsync("acme");
        var seed = ChatSeed.Varied();
        await archive.ImportAsync(account.Account, seed);
        var client = archive.Client(account, o => o.MaxRateLimitRetries = 100);
        string[] sessionIds = ["general", "design", "ann-bob", "cy-dee"];

        var results = await Task.WhenAll(sessionIds.Select(id =>
            client.GetAllMessagesAsync(new ChatGetRequest(id, From, To) { PageSize = 3 }).ToListAsync()));

        for (var i = 0; i < sessionIds.Length; i++)
        {
            Assert.Equal(ChatSeed.ExpectedMessages(seed, sessionIds[i], ChatSeed.StartOf(From), ChatSeed.EndOf(To)), results[i]);
        }
    }
}
