using Microsoft.Extensions.Time.Testing;
using ZoomChat.Client;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

public sealed class ClientCancellationTests
{
    private static readonly DateOnly From = new(2016, 1, 16);
    private static readonly DateOnly To = new(2016, 1, 22);

    [StoreFact]
    public async Task Cancelling_a_traversal_stops_it_before_the_next_page()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(account.Account, ChatSeed.Varied());
        var recorder = archive.Recorder();
        var client = archive.Client(account, recorder: recorder);
        using var cancel = new CancellationTokenSource();
        var read = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var message in client.GetAllMessagesAsync(new ChatGetRequest("general", From, To) { PageSize = 2 }, cancel.Token))
            {
                read.Add(message.Message);
                await cancel.CancelAsync();
            }
        });

        Assert.Equal(["general 0", "general 1"], read);
        Assert.Equal([0], recorder.Codes);
    }

    [StoreFact]
    public async Task WithCancellation_reaches_the_traversal()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(account.Account, ChatSeed.Varied());
        var client = archive.Client(account);
        using var cancel = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var session in client.ListAllSessionsAsync(new ChatListRequest(From, To) { PageSize = 1 }).WithCancellation(cancel.Token))
            {
                read++;
                await cancel.CancelAsync();
            }
        });

        Assert.Equal(1, read);
    }

    [StoreFact]
    public async Task A_cancelled_token_stops_a_page_call_before_it_is_sent()
    {
        await using var archive = await TestArchive.StartAsync();
        var account = await archive.CreateAccountAsync("acme");
        var recorder = archive.Recorder();
        var client = archive.Client(account, recorder: recorder);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.ListSessionsAsync(new ChatListRequest(From, To), cancellationToken: new CancellationToken(canceled: true)));

        Assert.Empty(recorder.Codes);
    }

    [StoreFact]
    public async Task Cancelling_during_a_rate_limit_wait_ends_the_wait()
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = true);
        var account = await archive.CreateAccountAsync("acme");
        var recorder = archive.Recorder();
        // A fake clock that nobody moves: the Retry-After wait lasts until it is cancelled.
        var client = archive.Client(account, recorder: recorder, time: new FakeTimeProvider(TestArchive.Start));
        await client.ListSessionsAsync(new ChatListRequest(From, To));
        using var cancel = new CancellationTokenSource();

        var call = client.ListSessionsAsync(new ChatListRequest(From, To), cancellationToken: cancel.Token);
        await recorder.RateLimited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(call.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal([0, 403], recorder.Codes);
    }
}
