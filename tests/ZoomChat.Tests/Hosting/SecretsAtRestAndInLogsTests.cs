using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Hosting;

/// <summary>
/// API secrets and access tokens are shown once, when they are made, and never again: the store keeps
/// their hashes only, and neither <c>zoomchat serve</c>'s log, at the most verbose level an operator
/// can set, nor the commands that list credentials write them (docs/api.md#credentials-and-access-tokens,
/// docs/reliability.md#api2-broken-authentication).
/// </summary>
public sealed class SecretsAtRestAndInLogsTests
{
    private static readonly TimeSpan UpperBound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_store_keeps_no_api_secret_or_access_token_in_the_clear()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");

        var bytes = Directory.GetFiles(cli.Folder.Path, "archive.db*").SelectMany(File.ReadAllBytes).ToArray();

        Assert.True(Contains(bytes, acme.ApiKey), "the key is stored as it is, so the search reads the right files");
        Assert.False(Contains(bytes, acme.ApiSecret), "the API secret is in the store's files");
        Assert.False(Contains(bytes, acme.AccessToken), "the access token is in the store's files");
    }

    [Fact]
    public async Task Serve_at_trace_level_and_the_listing_commands_never_write_a_secret_they_were_sent()
    {
        using var cli = new CliStore();
        var acme = await cli.CreateAccountAsync("acme");
        var wrongSecret = "wrong-" + Guid.NewGuid().ToString("N");
        // An operator chasing a problem turns every log category to Trace (docs/operations.md#logs).
        cli.WriteFile("appsettings.json", """{"Logging":{"LogLevel":{"Default":"Trace"}}}""");
        var listings = new List<CliResult>();
        foreach (var command in new[] { "account list", "key list --account acme", "token list --account acme", "user list --account acme" })
        {
            listings.Add(await cli.RunAsync([.. command.Split(' ')]));
            listings.Add(await cli.RunAsync([.. command.Split(' '), "--json"]));
        }

        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var (server, output, error) = ZoomchatProcess.StartReading(
            cli.Folder.Path, "serve", "--urls", address.ToString().TrimEnd('/'), "--store", cli.StorePath, "--rate-limits", "off");
        try
        {
            using var timeout = new CancellationTokenSource(UpperBound);
            using var http = new HttpClient { BaseAddress = address };
            await ReadyAsync(http, server, timeout.Token);
            var query = $"api_key={acme.ApiKey}&api_secret={acme.ApiSecret}&access_token={acme.AccessToken}";

            // Accepted, in the query string and in the body; refused for a wrong secret; an unknown path.
            using (await http.PostAsync($"/v1/chat/list?{query}&from=2016-01-16&to=2016-01-22", content: null, timeout.Token))
            using (await http.PostAsync("/v1/chat/get", new FormUrlEncodedContent(acme.With(("from", "2016-01-16"))), timeout.Token))
            using (await http.PostAsync($"/v1/chat/list?api_key={acme.ApiKey}&api_secret={wrongSecret}&access_token={acme.AccessToken}", content: null, timeout.Token))
            using (await http.PostAsync($"/v1/chat/nowhere?{query}", content: null, timeout.Token))
            {
            }

            // Refused by Kestrel before the API sees them, each with the credentials in it: a request
            // line it cannot parse, headers beyond the limit, a body beyond the limit.
            var refusals = new List<int>();
            foreach (var head in new[]
            {
                $"POST /v1/chat/list?{query}&x=a b HTTP/1.1\r\nHost: x\r\n\r\n",
                $"POST /v1/chat/list?{query} HTTP/1.1\r\nHost: x\r\nX-Secret: {acme.ApiSecret}\r\nX-Padding: {new string('p', 17 * 1024)}\r\n\r\n",
                $"POST /v1/chat/list HTTP/1.1\r\nHost: x\r\nContent-Type: {ApiCalls.FormContentType}\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n{query}&padding=",
            })
            {
                await using var raw = await RawConnection.OpenAsync(address, timeout.Token);
                await raw.SendAsync(head, timeout.Token);
                refusals.Add((await raw.ReadResponseAsync(timeout.Token)).Status);
            }

            await StopAsync(server, timeout.Token);
            var log = await output + await error;

            Assert.Equal([400, 431, 413], refusals);
            // The log is written: one line per request that reached the API.
            Assert.Contains("POST /v1/chat/list 200 error=0", log, StringComparison.Ordinal);
            Assert.Contains("POST /v1/chat/nowhere", log, StringComparison.Ordinal);
            foreach (var secret in new[] { acme.ApiSecret, acme.AccessToken, wrongSecret })
            {
                Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
                Assert.All(listings, listing => Assert.DoesNotContain(secret, listing.Output + listing.Error, StringComparison.Ordinal));
            }

            Assert.All(listings, listing => Assert.Equal(0, listing.ExitCode));
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            server.Dispose();
        }
    }

    private static bool Contains(byte[] haystack, string text) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task ReadyAsync(HttpClient http, System.Diagnostics.Process server, CancellationToken cancellationToken)
    {
        while (true)
        {
            Assert.False(server.HasExited, "zoomchat serve stopped during start-up");
            try
            {
                using var health = await http.GetAsync("/healthz", cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it: the logger writes out what it holds before the process ends.</summary>
    private static async Task StopAsync(System.Diagnostics.Process server, CancellationToken cancellationToken)
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        await server.WaitForExitAsync(cancellationToken);
    }
}
