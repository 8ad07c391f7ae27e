using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Hosting;

/// <summary>
/// The transport's limits on a real socket (docs/operations.md#limits): clients that are slow, send
/// too much, or hold connections are cut off, and the others are served meanwhile. Tests that wait for
/// a timeout shorten it; every wait has an upper bound and none is a pause.
/// </summary>
public sealed class ServerLimitsTests
{
    private const string List = "/v1/chat/list";
    private static readonly TimeSpan UpperBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TrickleInterval = TimeSpan.FromMilliseconds(50);

    [StoreFact]
    public async Task The_server_runs_with_the_limits_its_operators_are_told()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();

        var limits = archive.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        // The values of docs/operations.md#limits.
        Assert.Equal(
            [
                "MaxRequestBodySize 8388608",
                "MaxRequestLineSize 8192",
                "MaxRequestHeadersTotalSize 16384",
                "MaxRequestHeaderCount 64",
                "RequestHeadersTimeout 00:00:10",
                "MinRequestBodyDataRate 4096 B/s after 00:00:05",
                "MinResponseDataRate 1024 B/s after 00:00:05",
                "KeepAliveTimeout 00:01:15",
                "MaxConcurrentConnections 1024",
                "MaxConcurrentUpgradedConnections 0",
                "MaxRequestBufferSize 65536",
                "MaxResponseBufferSize 65536",
            ],
            [
                $"MaxRequestBodySize {limits.MaxRequestBodySize}",
                $"MaxRequestLineSize {limits.MaxRequestLineSize}",
                $"MaxRequestHeadersTotalSize {limits.MaxRequestHeadersTotalSize}",
                $"MaxRequestHeaderCount {limits.MaxRequestHeaderCount}",
                $"RequestHeadersTimeout {limits.RequestHeadersTimeout}",
                $"MinRequestBodyDataRate {limits.MinRequestBodyDataRate?.BytesPerSecond} B/s after {limits.MinRequestBodyDataRate?.GracePeriod}",
                $"MinResponseDataRate {limits.MinResponseDataRate?.BytesPerSecond} B/s after {limits.MinResponseDataRate?.GracePeriod}",
                $"KeepAliveTimeout {limits.KeepAliveTimeout}",
                $"MaxConcurrentConnections {limits.MaxConcurrentConnections}",
                $"MaxConcurrentUpgradedConnections {limits.MaxConcurrentUpgradedConnections}",
                $"MaxRequestBufferSize {limits.MaxRequestBufferSize}",
                $"MaxResponseBufferSize {limits.MaxResponseBufferSize}",
            ]);
    }

    [StoreFact]
    public async Task Other_clients_are_served_while_slowloris_and_huge_header_clients_are_connected()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("design", "2016-01-18T06:40:56.000Z", "hello", "ann@acme.com", type: "Group", groupName: "Design"));
        using var timeout = new CancellationTokenSource(UpperBound);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var clients = new List<RawConnection>();
        try
        {
            // Slowloris: request heads that trickle a byte at a time and never end.
            for (var i = 0; i < 50; i++)
            {
                clients.Add(await RawConnection.OpenAsync(archive.Address!, timeout.Token));
                await clients[^1].SendAsync($"POST {List} HTTP/1.1\r\nHost: {archive.Address!.Authority}\r\nX-Trickle: ", timeout.Token);
            }

            // Huge headers: one client has sent nearly the most the server takes and trickles on; another sends far more.
            clients.Add(await RawConnection.OpenAsync(archive.Address!, timeout.Token));
            await clients[^1].SendAsync($"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: {new string('h', 15 * 1024)}", timeout.Token);
            var trickling = clients.Select(client => TrickleAsync(client, stop.Token)).ToList();
            await using var huge = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
            await huge.SendAsync($"GET /healthz HTTP/1.1\r\nHost: x\r\n{string.Concat(Enumerable.Repeat($"X-Huge: {new string('h', 1024)}\r\n", 32))}\r\n", timeout.Token);

            var refused = await huge.ReadResponseAsync(timeout.Token);
            var health = await archive.Http.GetAsync("/healthz", timeout.Token);
            var page = await archive.PostJsonAsync(List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22")));

            Assert.Equal(431, refused.Status);
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("design", page.GetProperty("chat_list")[0].GetProperty("session_id").GetString());
            await stop.CancelAsync();
            await Task.WhenAll(trickling);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [StoreFact]
    public async Task A_request_head_trickled_a_byte_at_a_time_is_cut_off_with_408_at_the_headers_timeout()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync(kestrel => kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(1));
        using var timeout = new CancellationTokenSource(UpperBound);
        await using var slowloris = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
        await slowloris.SendAsync($"POST {List} HTTP/1.1\r\nHost: {archive.Address!.Authority}\r\nX-Trickle: ", timeout.Token);

        var trickling = TrickleAsync(slowloris, timeout.Token);
        var response = await slowloris.ReadResponseAsync(timeout.Token);
        await ServerEndsAsync(slowloris, timeout.Token);
        await trickling;

        Assert.Equal(408, response.Status);
        Assert.Equal(string.Empty, response.Body);
    }

    [StoreFact]
    public async Task A_body_trickled_below_the_minimum_data_rate_is_refused_with_408_and_the_envelope()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync(kestrel =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(2)));
        using var timeout = new CancellationTokenSource(UpperBound);
        await using var slow = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
        await slow.SendAsync(
            $"POST {List} HTTP/1.1\r\nHost: {archive.Address!.Authority}\r\nContent-Type: {ApiCalls.FormContentType}\r\nContent-Length: 10000\r\n\r\napi_key=",
            timeout.Token);

        var trickling = TrickleAsync(slow, timeout.Token);
        var response = await slow.ReadResponseAsync(timeout.Token);
        await ServerEndsAsync(slow, timeout.Token);
        await trickling;

        Assert.Equal(408, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(ApiReply.JsonError(300, "Request body arrived too slowly."), response.Body);
    }

    [StoreTheory]
    [InlineData(8 * 1024, 0, 1, 414)]
    [InlineData(100, 17 * 1024, 1, 431)]
    [InlineData(100, 10, 64, 431)]
    public async Task A_request_line_or_headers_beyond_the_limits_are_refused_before_the_api_sees_them(
        int pathLength, int headerLength, int headerCount, int status)
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        using var timeout = new CancellationTokenSource(UpperBound);
        await using var client = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
        var headers = string.Concat(Enumerable.Range(0, headerCount).Select(i => $"X-Header-{i}: {new string('h', headerLength)}\r\n"));

        await client.SendAsync($"POST /v1/chat/list?padding={new string('p', pathLength)} HTTP/1.1\r\nHost: x\r\n{headers}\r\n", timeout.Token);
        var response = await client.ReadResponseAsync(timeout.Token);

        Assert.Equal(status, response.Status);
        Assert.Equal(string.Empty, response.Body);
    }

    [StoreFact]
    public async Task A_request_within_the_limits_on_line_and_headers_is_served()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        using var timeout = new CancellationTokenSource(UpperBound);
        await using var client = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
        var headers = string.Concat(Enumerable.Range(0, 62).Select(i => $"X-Header-{i}: {new string('h', 200)}\r\n"));

        await client.SendAsync($"POST /v1/chat/list?padding={new string('p', 7 * 1024)} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n{headers}\r\n", timeout.Token);
        var response = await client.ReadResponseAsync(timeout.Token);

        Assert.Equal(200, response.Status);
        Assert.Equal(ApiReply.JsonError(300, "Api key and secret are required."), response.Body);
    }

    [StoreFact]
    public async Task A_connection_beyond_the_limit_is_closed_at_once_while_those_within_it_are_served()
    {
        const int Limit = 4;
        await using var archive = await TestArchive.StartOnKestrelAsync(kestrel => kestrel.Limits.MaxConcurrentConnections = Limit);
        using var timeout = new CancellationTokenSource(UpperBound);
        var held = new List<RawConnection>();
        try
        {
            // Each connection is known to the server once it has answered on it.
            for (var i = 0; i < Limit; i++)
            {
                held.Add(await RawConnection.OpenAsync(archive.Address!, timeout.Token));
                Assert.Equal(200, (await HealthAsync(held[^1], timeout.Token)).Status);
            }

            await using var beyond = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
            await ServerEndsAsync(beyond, timeout.Token);
            var stillServed = await HealthAsync(held[0], timeout.Token);

            Assert.Equal(200, stillServed.Status);
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<RawResponse> HealthAsync(RawConnection connection, CancellationToken cancellationToken)
    {
        await connection.SendAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", cancellationToken);
        return await connection.ReadResponseAsync(cancellationToken);
    }

    /// <summary>Sends a byte every <see cref="TrickleInterval"/> until stopped or until the server has closed the connection.</summary>
    private static async Task TrickleAsync(RawConnection connection, CancellationToken cancellationToken)
    {
        using var pace = new PeriodicTimer(TrickleInterval);
        try
        {
            while (await pace.WaitForNextTickAsync(cancellationToken))
            {
                await connection.SendAsync("a", cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
            // The server has closed the connection: that is what the trickle waits for.
        }
    }

    /// <summary>Returns once the server has ended the connection, closed or reset, with nothing more sent.</summary>
    private static async Task ServerEndsAsync(RawConnection connection, CancellationToken cancellationToken) =>
        await connection.ReadsOrderlyCloseAsync(cancellationToken);
}
