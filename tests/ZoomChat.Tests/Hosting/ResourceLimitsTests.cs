using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Paging;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Hosting;

/// <summary>
/// What bounds a client that holds or repeats more than its share (docs/operations.md#limits,
/// docs/reliability.md#resource-limits): idle connections end, greedy clients do not keep others from
/// being served, and a client going round in page tokens is a client making requests, counted by the
/// rate limits like any other. Every wait has an upper bound and none is a pause.
/// </summary>
public sealed class ResourceLimitsTests
{
    private static readonly TimeSpan UpperBound = TimeSpan.FromSeconds(30);
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "2")];
    private const string Limited = "Sorry, the maximum number of api requests are already reached. Please try later.";

    [Fact]
    public async Task An_idle_connection_is_closed_by_the_server_at_the_keep_alive_timeout()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync(kestrel => kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1));
        using var timeout = new CancellationTokenSource(UpperBound);
        await using var idle = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
        await idle.SendAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", timeout.Token);
        var served = await idle.ReadResponseAsync(timeout.Token);

        // The server, not the client, ends it: reading returns once it has, well before the upper bound.
        await idle.ReadsOrderlyCloseAsync(timeout.Token);

        Assert.Equal(200, served.Status);
    }

    [Fact]
    public async Task A_client_traverses_the_archive_while_others_trickle_bodies_pour_in_oversized_ones_and_replay_a_token_in_a_loop()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var sessions = Enumerable.Range(0, 7).Select(i => $"session-{i}").ToList();
        await archive.ImportAsync("acme", [.. sessions.Select((s, i) => Lines.Message(s, $"2016-01-18T06:40:{10 + i}.000Z", "hello", "ann@acme.com", type: "Group", groupName: s))]);
        using var timeout = new CancellationTokenSource(UpperBound);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var greedy = new List<RawConnection>();
        var loads = new List<Task>();
        using var replayer = new HttpClient { BaseAddress = archive.Address };
        try
        {
            // Bodies that trickle a byte at a time, far below the minimum data rate.
            for (var i = 0; i < 20; i++)
            {
                greedy.Add(await RawConnection.OpenAsync(archive.Address!, timeout.Token));
                await greedy[^1].SendAsync(
                    $"POST {Pages.List} HTTP/1.1\r\nHost: x\r\nContent-Type: {ApiCalls.FormContentType}\r\nContent-Length: 10000\r\n\r\napi_key=",
                    timeout.Token);
                loads.Add(SendUntilStoppedAsync(greedy[^1], "a"u8.ToArray(), TimeSpan.FromMilliseconds(50), stop.Token));
            }

            // Bodies far beyond the limit, sent as fast as the server takes them.
            for (var i = 0; i < 3; i++)
            {
                greedy.Add(await RawConnection.OpenAsync(archive.Address!, timeout.Token));
                await greedy[^1].SendAsync(
                    $"POST {Pages.List} HTTP/1.1\r\nHost: x\r\nContent-Type: {ApiCalls.FormContentType}\r\nContent-Length: {64 * 1024 * 1024}\r\n\r\n",
                    timeout.Token);
                loads.Add(SendUntilStoppedAsync(greedy[^1], new byte[64 * 1024], TimeSpan.FromMilliseconds(1), stop.Token));
            }

            // A client that follows the first token again and again.
            var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Week, replayer);
            var replays = ReplayUntilStoppedAsync(archive, acme, Pages.Token(first), replayer, stop.Token);

            var pages = await Pages.TraverseAsync(archive, Pages.List, acme, Week);
            var health = await archive.Http.GetAsync("/healthz", timeout.Token);
            await stop.CancelAsync();
            await Task.WhenAll(loads);
            var replayed = await replays;

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(4, pages.Count);
            Assert.Equal(Enumerable.Reverse(sessions), pages.SelectMany(p => p.GetProperty("chat_list").EnumerateArray().Select(s => s.GetProperty("session_id").GetString())));
            Assert.True(replayed.Count > 0, "the replaying client was served meanwhile");
            Assert.All(replayed, page => Assert.Equal("session-4 session-3", page));
        }
        finally
        {
            foreach (var connection in greedy)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Following_or_replaying_a_page_token_counts_against_the_per_second_limit_like_any_request()
    {
        await using var archive = await TestArchive.StartAsync(o =>
        {
            o.RateLimits = true;
            o.ErrorStatus = ErrorStatusMode.Http;
        });
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", [.. Enumerable.Range(0, 5).Select(i => Lines.Message($"s{i}", $"2016-01-18T06:40:{10 + i}.000Z", "hi", "ann@acme.com"))]);
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);
        var token = Pages.Token(first);

        var followedAtOnce = await archive.PostFormAsync(Pages.List, acme.With([.. Week, ("next_page_token", token)]));
        archive.Time.Advance(TimeSpan.FromSeconds(1));
        var followed = await archive.PostFormAsync(Pages.List, acme.With([.. Week, ("next_page_token", token)]));
        var replayedAtOnce = await archive.PostFormAsync(Pages.List, acme.With([.. Week, ("next_page_token", token)]));
        archive.Time.Advance(TimeSpan.FromSeconds(1));
        var replayed = await archive.PostFormAsync(Pages.List, acme.With([.. Week, ("next_page_token", token)]));

        followedAtOnce.AssertError(HttpStatusCode.TooManyRequests, 403, Limited);
        Assert.Equal(HttpStatusCode.OK, followed.Status);
        replayedAtOnce.AssertError(HttpStatusCode.TooManyRequests, 403, Limited);
        Assert.Equal("1", replayedAtOnce.Header("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, replayed.Status);
        Assert.Equal(Rows(followed), Rows(replayed));
        Assert.Equal(["s2", "s1"], Rows(replayed));
    }

    [Fact]
    public async Task A_client_going_round_in_chat_list_tokens_spends_its_daily_chat_list_calls_and_is_refused_for_the_rest_of_the_day()
    {
        await using var archive = await TestArchive.StartAsync(o =>
        {
            o.RateLimits = true;
            o.ErrorStatus = ErrorStatusMode.Http;
            o.ChatListRequestsPerDay = 3;
            o.ChatRequestsPerSecond = 1000;
            o.RequestsPerSecond = 1000;
        });
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", [.. Enumerable.Range(0, 5).Select(i => Lines.Message($"s{i}", $"2016-01-18T06:40:{10 + i}.000Z", "hi", "ann@acme.com"))]);
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);
        var token = Pages.Token(first);

        var replies = new List<ApiReply>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(await archive.PostFormAsync(Pages.List, acme.With([.. Week, ("next_page_token", token)])));
        }

        Assert.All(replies.Take(2), reply => Assert.Equal(HttpStatusCode.OK, reply.Status));
        replies[2].AssertError(HttpStatusCode.TooManyRequests, 403, Limited);
        Assert.Equal("43200", replies[2].Header("Retry-After"));
    }

    private static List<string?> Rows(ApiReply reply) =>
        [.. JsonDocument.Parse(reply.Body).RootElement.GetProperty("chat_list").EnumerateArray().Select(s => s.GetProperty("session_id").GetString())];

    /// <summary>Sends <paramref name="chunk"/> every <paramref name="pace"/> until stopped or until the server has ended the connection.</summary>
    private static async Task SendUntilStoppedAsync(RawConnection connection, byte[] chunk, TimeSpan pace, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(pace);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await connection.SendAsync(chunk, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            // The server has ended the connection, as it should for these clients.
        }
    }

    private static async Task<List<string>> ReplayUntilStoppedAsync(
        TestArchive archive, TestCredentials credentials, string token, HttpClient http, CancellationToken cancellationToken)
    {
        var pages = new List<string>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var page = await Pages.FollowAsync(archive, Pages.List, credentials, Week, token, http);
                pages.Add(string.Join(' ', page.GetProperty("chat_list").EnumerateArray().Select(s => s.GetProperty("session_id").GetString())));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return pages;
    }
}
