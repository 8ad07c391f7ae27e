using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Hosting;

/// <summary>
/// Answers do not name the server's software or version, which would tell a scanner which flaws to
/// try (docs/reliability.md#api8-security-misconfiguration): Kestrel's own <c>Server</c> header is off.
/// </summary>
public sealed class ResponseHeaderTests
{
    [Fact]
    public async Task No_answer_names_the_server_software_success_error_or_refusal()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        var acme = await archive.CreateAccountAsync("acme");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var raw = await RawConnection.OpenAsync(archive.Address!, timeout.Token);
        await raw.SendAsync($"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: {new string('h', 17 * 1024)}\r\n\r\n", timeout.Token);

        var replies = new[]
        {
            await archive.Http.GetAsync("/healthz", timeout.Token),
            await archive.Http.PostAsync("/v1/chat/list", new FormUrlEncodedContent(acme.With(("from", "2016-01-16"), ("to", "2016-01-22"))), timeout.Token),
            await archive.Http.PostAsync("/v1/chat/get", new FormUrlEncodedContent(acme.With()), timeout.Token),
            await archive.Http.GetAsync("/v1/chat/list", timeout.Token),
            await archive.Http.GetAsync("/nowhere", timeout.Token),
        };
        var refused = await raw.ReadResponseAsync(timeout.Token);

        Assert.All(replies, reply => Assert.Empty(reply.Headers.Server));
        Assert.All(replies, reply => Assert.False(reply.Headers.Contains("X-Powered-By")));
        Assert.Equal(431, refused.Status);
        Assert.Null(refused.Header("Server"));
    }
}
