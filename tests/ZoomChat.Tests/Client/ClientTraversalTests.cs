using ZoomChat.Client;
using ZoomChat.Client.Wire;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

public sealed class ClientTraversalTests
{
    private static readonly DateOnly From = new(2016, 1, 16);
    private static readonly DateOnly To = new(2016, 1, 22);

    [StoreTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(30)]
    [InlineData(null)]
    public async Task ListAllSessions_yields_every_session_of_the_range_once_in_the_contract_order(int? pageSize)
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var seed = ChatSeed.Varied();
        await archive.ImportAsync(account.Account, seed);
        var recorder = archive.Recorder();
        var client = archive.Client(account, recorder: recorder);

        var sessions = await client.ListAllSessionsAsync(new ChatListRequest(From, To) { PageSize = pageSize }).ToListAsync();

        var expected = ChatSeed.ExpectedSessions(seed, ChatSeed.StartOf(From), ChatSeed.EndOf(To));
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, sessions);
        Assert.Equal((int)Math.Ceiling(expected.Count / (double)(pageSize ?? 30)), recorder.Codes.Count);
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(30)]
    [InlineData(null)]
    public async Task GetAllMessages_yields_every_message_of_each_session_once_oldest_first(int? pageSize)
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var seed = ChatSeed.Varied();
        await archive.ImportAsync(account.Account, seed);
        var client = archive.Client(account);

        foreach (var sessionId in new[] { "general", "design", "ann-bob", "cy-dee" })
        {
            var messages = await client.GetAllMessagesAsync(new ChatGetRequest(sessionId, From, To) { PageSize = pageSize }).ToListAsync();

            var expected = ChatSeed.ExpectedMessages(seed, sessionId, ChatSeed.StartOf(From), ChatSeed.EndOf(To));
            Assert.NotEmpty(expected);
            Assert.Equal(expected, messages);
        }
    }

    [StoreFact]
    public async Task A_traversal_of_more_than_thirty_messages_walks_every_full_page()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var seed = Enumerable.Range(0, 95)
            .Select(i => ChatSeed.Group("big", "ann@acme.com", ChatSeed.Day.AddSeconds(i * 37).AddMilliseconds(i), $"m{i}"))
            .ToList();
        await archive.ImportAsync(account.Account, seed);
        var recorder = archive.Recorder();
        var client = archive.Client(account, recorder: recorder);

        var messages = await client.GetAllMessagesAsync(new ChatGetRequest("big", From, To)).ToListAsync();

        Assert.Equal(ChatSeed.ExpectedMessages(seed, "big", ChatSeed.StartOf(From), ChatSeed.EndOf(To)), messages);
        Assert.Equal([0, 0, 0, 0], recorder.Codes);
    }

    [StoreFact]
    public async Task One_page_calls_return_the_page_and_a_token_for_the_next_one()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var seed = ChatSeed.Varied();
        await archive.ImportAsync(account.Account, seed);
        var client = archive.Client(account);
        var request = new ChatListRequest(From, To) { PageSize = 3 };

        var first = await client.ListSessionsAsync(request);
        var second = await client.ListSessionsAsync(request, first.NextPageToken);

        var expected = ChatSeed.ExpectedSessions(seed, ChatSeed.StartOf(From), ChatSeed.EndOf(To));
        Assert.Equal(expected.Take(3), first.ChatList);
        Assert.Equal(expected.Skip(3), second.ChatList);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Empty(second.NextPageToken);
        Assert.Equal((3, 2), (first.PageSize, first.PageCount));
        Assert.Equal(ChatSeed.StartOf(From), first.From);
        Assert.Equal(ChatSeed.StartOf(To), first.To);

        var messages = await client.GetMessagesAsync(new ChatGetRequest("design", From, To));
        Assert.Equal(("design", "Design ✏️", 30, 1, ""), (messages.SessionId, messages.GroupName, messages.PageSize, messages.PageCount, messages.NextPageToken));
        Assert.Equal(2, messages.ChatMessages.Count);
    }

    [StoreFact]
    public async Task A_date_only_to_includes_its_whole_day_and_instants_are_exact_in_any_offset()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var lastMillisecond = new DateTimeOffset(2016, 1, 22, 23, 59, 59, 999, TimeSpan.Zero);
        SeedMessage[] seed =
        [
            ChatSeed.Group("edges", "ann@acme.com", new DateTimeOffset(2016, 1, 16, 0, 0, 0, TimeSpan.Zero), "first millisecond"),
            ChatSeed.Group("edges", "ann@acme.com", new DateTimeOffset(2016, 1, 20, 10, 0, 0, 500, TimeSpan.Zero), "middle"),
            ChatSeed.Group("edges", "ann@acme.com", lastMillisecond, "last millisecond"),
            ChatSeed.Group("edges", "ann@acme.com", lastMillisecond.AddMilliseconds(1), "next day"),
        ];
        await archive.ImportAsync(account.Account, seed);
        var client = archive.Client(account);

        async Task<string[]> Texts(ChatRangeBound from, ChatRangeBound to) =>
            [.. (await client.GetAllMessagesAsync(new ChatGetRequest("edges", from, to)).ToListAsync()).Select(m => m.Message)];

        Assert.Equal(["first millisecond", "middle", "last millisecond"], await Texts(From, To));
        Assert.Equal(["first millisecond", "middle"], await Texts(From, lastMillisecond.AddMilliseconds(-1)));
        // 12:00:00.500 at +02:00 is 10:00:00.500 UTC: inclusive on both ends.
        var middle = new DateTimeOffset(2016, 1, 20, 12, 0, 0, 500, TimeSpan.FromHours(2));
        Assert.Equal(["middle"], await Texts(middle, middle));
        Assert.Equal(["middle", "last millisecond"], await Texts(middle, To));
    }

    [StoreFact]
    public async Task Email_filter_lists_only_that_users_sessions()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var seed = ChatSeed.Varied();
        await archive.ImportAsync(account.Account, seed);
        var client = archive.Client(account);

        var sessions = await client.ListAllSessionsAsync(new ChatListRequest(From, To) { Email = "DEE@acme.com", PageSize = 1 }).ToListAsync();

        Assert.Equal(["cy-dee"], sessions.Select(s => s.SessionId));
    }

    [StoreFact]
    public void Bounds_are_sent_as_the_contract_writes_them()
    {
        Assert.Equal("2016-01-22", ((ChatRangeBound)new DateOnly(2016, 1, 22)).ToString());
        Assert.Equal("2016-01-22T04:40:56.123Z", ((ChatRangeBound)new DateTimeOffset(2016, 1, 22, 6, 40, 56, 123, TimeSpan.FromHours(2)).AddTicks(9999)).ToString());
        Assert.Equal(new DateOnly(2016, 1, 22), ChatRangeBound.FromDateOnly(new DateOnly(2016, 1, 22)).Date);
        Assert.Null(ChatRangeBound.FromDateTimeOffset(DateTimeOffset.UnixEpoch).Date);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatListRequest(From, To) { PageSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatGetRequest("s", From, To) { PageSize = -1 });
    }

    [StoreFact]
    public async Task Sessions_and_messages_of_another_account_stay_out()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var other = await archive.CreateAccountAsync("other");
        await archive.ImportAsync(acme.Account, ChatSeed.Varied());
        await archive.ImportAsync(other.Account, [ChatSeed.Group("other-room", "zed@other.com", ChatSeed.Day, "not yours")]);
        var client = archive.Client(other);

        var sessions = await client.ListAllSessionsAsync(new ChatListRequest(From, To)).ToListAsync();

        Assert.Equal(["other-room"], sessions.Select(s => s.SessionId));
        var error = await Assert.ThrowsAsync<ZoomChatException>(() => client.GetMessagesAsync(new ChatGetRequest("general", From, To)));
        Assert.Equal(ZoomErrorCodes.SessionNotFound, error.Code);
    }
}
