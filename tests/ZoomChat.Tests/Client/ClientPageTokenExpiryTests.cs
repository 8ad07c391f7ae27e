using ZoomChat.Client;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

/// <summary>
/// A page token lives 30 minutes (docs/api.md#paging-and-page-tokens). A caller slower than that between two pages sees the
/// traversal restart from the documented point (ZoomChatClient's XML docs): no duplicates, no gaps.
/// </summary>
public sealed class ClientPageTokenExpiryTests
{
    private static readonly DateOnly From = new(2016, 1, 16);
    private static readonly DateOnly To = new(2016, 1, 22);
    private static readonly TimeSpan PastTokenLifetime = TimeSpan.FromMinutes(31);

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task A_message_traversal_survives_an_expired_page_token(ErrorStatusMode mode)
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = mode);
        var account = await archive.CreateAccountAsync("acme");
        var seed = Enumerable.Range(0, 10)
            .Select(i => ChatSeed.Group("room", "ann@acme.com", ChatSeed.Day.AddMinutes(i), $"m{i}"))
            .ToList();
        await archive.ImportAsync(account.Account, seed);
        var recorder = archive.Recorder();
        var client = archive.Client(account, recorder: recorder);

        var messages = await ReadSlowlyAsync(
            client.GetAllMessagesAsync(new ChatGetRequest("room", From, To) { PageSize = 3 }), archive, pauseAfter: [3]);

        Assert.Equal(ChatSeed.ExpectedMessages(seed, "room", ChatSeed.StartOf(From), ChatSeed.EndOf(To)), messages);
        Assert.Equal(1, recorder.Count(ZoomErrorCodes.InvalidParameter));
    }

    [StoreTheory]
    [InlineData(3, new[] { 3 })]
    [InlineData(3, new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 })]
    [InlineData(2, new[] { 2, 4, 6 })]
    [InlineData(4, new[] { 4, 8 })]
    [InlineData(1, new[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    public async Task A_restart_skips_exactly_the_messages_already_yielded_at_the_restart_instant(int pageSize, int[] pauseAfter)
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var t1 = ChatSeed.Day.AddHours(1);
        var t2 = ChatSeed.Day.AddHours(2);
        var t3 = ChatSeed.Day.AddHours(3);
        // Seven messages of one instant straddle every page boundary; restarts land in the middle of them.
        List<SeedMessage> seed =
        [
            ChatSeed.Group("room", "ann@acme.com", t1, "before"),
            .. Enumerable.Range(0, 7).Select(i => ChatSeed.Group("room", "bob@acme.com", t2, $"same instant {i}")),
            ChatSeed.Group("room", "cy@acme.com", t3, "after 1"),
            ChatSeed.Group("room", "cy@acme.com", t3, "after 2"),
            ChatSeed.Group("room", "ann@acme.com", t3.AddMilliseconds(1), "last"),
        ];
        await archive.ImportAsync(account.Account, seed);
        var recorder = archive.Recorder();
        var client = archive.Client(account, recorder: recorder);

        var messages = await ReadSlowlyAsync(
            client.GetAllMessagesAsync(new ChatGetRequest("room", From, To) { PageSize = pageSize }), archive, pauseAfter);

        Assert.Equal(ChatSeed.ExpectedMessages(seed, "room", ChatSeed.StartOf(From), ChatSeed.EndOf(To)), messages);
        Assert.True(recorder.Count(ZoomErrorCodes.InvalidParameter) >= 1);
    }

    [StoreFact]
    public async Task Messages_that_arrive_after_the_restart_instant_are_included_and_none_twice()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var t = ChatSeed.Day.AddHours(5);
        List<SeedMessage> seed = [.. Enumerable.Range(0, 6).Select(i => ChatSeed.Group("room", "ann@acme.com", t.AddMinutes(i / 2), $"m{i}"))];
        await archive.ImportAsync(account.Account, seed);
        var client = archive.Client(account);
        var late = new List<SeedMessage>
        {
            ChatSeed.Group("room", "bob@acme.com", t.AddMinutes(1), "late, at the restart instant"),
            ChatSeed.Group("room", "bob@acme.com", t.AddHours(1), "late, after it"),
        };

        var messages = new List<ChatMessage>();
        await foreach (var message in client.GetAllMessagesAsync(new ChatGetRequest("room", From, To) { PageSize = 4 }))
        {
            messages.Add(message);
            if (messages.Count == 4)
            {
                await archive.ImportAsync(account.Account, late);
                archive.Time.Advance(PastTokenLifetime);
            }
        }

        // The restarted traversal is a new snapshot from m3's instant: the late messages sort after what was yielded.
        Assert.Equal(["m0", "m1", "m2", "m3", "late, at the restart instant", "m4", "m5", "late, after it"], messages.Select(m => m.Message));
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task A_session_traversal_survives_an_expired_page_token(ErrorStatusMode mode)
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = mode);
        var account = await archive.CreateAccountAsync("acme");
        var seed = ManySessions();
        await archive.ImportAsync(account.Account, seed);
        var recorder = archive.Recorder();
        var client = archive.Client(account, recorder: recorder);

        var sessions = await ReadSlowlyAsync(
            client.ListAllSessionsAsync(new ChatListRequest(From, To) { PageSize = 2 }), archive, pauseAfter: [2]);

        Assert.Equal(ChatSeed.ExpectedSessions(seed, ChatSeed.StartOf(From), ChatSeed.EndOf(To)), sessions);
        Assert.Equal(1, recorder.Count(ZoomErrorCodes.InvalidParameter));
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task A_session_traversal_slower_than_every_token_yields_each_session_once(int pageSize)
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var seed = ManySessions();
        await archive.ImportAsync(account.Account, seed);
        var client = archive.Client(account);

        var sessions = await ReadSlowlyAsync(
            client.ListAllSessionsAsync(new ChatListRequest(From, To) { PageSize = pageSize }), archive, pauseAfter: [.. Enumerable.Range(1, 20)]);

        var expected = ChatSeed.ExpectedSessions(seed, ChatSeed.StartOf(From), ChatSeed.EndOf(To));
        Assert.Equal(10, expected.Count);
        Assert.Equal(expected, sessions);
    }

    [StoreFact]
    public async Task With_restarts_off_an_expired_token_is_thrown()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(account.Account, ManySessions());
        var client = archive.Client(account, o => o.RestartExpiredTraversals = false);

        var error = await Assert.ThrowsAsync<ZoomChatException>(() => ReadSlowlyAsync(
            client.ListAllSessionsAsync(new ChatListRequest(From, To) { PageSize = 2 }), archive, pauseAfter: [2]));

        Assert.Equal((ZoomErrorCodes.InvalidParameter, "The next page token is invalid or expired."), (error.Code, error.Message));
    }

    /// <summary>
    /// Ten sessions whose latest messages tie in pairs, and which all have older messages too, so that a
    /// restart with an earlier <c>to</c> meets sessions it has already yielded again.
    /// </summary>
    private static List<SeedMessage> ManySessions()
    {
        var messages = new List<SeedMessage>();
        for (var i = 0; i < 10; i++)
        {
            var id = $"s-{i:D2}";
            messages.Add(ChatSeed.Group(id, "ann@acme.com", ChatSeed.Day.AddMinutes(i), $"{id} old"));
            messages.Add(ChatSeed.Group(id, "bob@acme.com", ChatSeed.Day.AddHours(10 + (i / 2)), $"{id} latest"));
        }

        return messages;
    }

    /// <summary>Reads the traversal, letting more than a token's lifetime pass after the item counts in <paramref name="pauseAfter"/>.</summary>
    private static async Task<List<T>> ReadSlowlyAsync<T>(IAsyncEnumerable<T> items, TestArchive archive, int[] pauseAfter)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
            if (pauseAfter.Contains(list.Count))
            {
                archive.Time.Advance(PastTokenLifetime);
            }
        }

        return list;
    }
}
