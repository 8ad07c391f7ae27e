using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

/// <summary>
/// A body above 1 MiB on a real socket (docs/operations.md#limits): the client reads the 413 and its
/// envelope whether it waits for an answer or sends the whole body first, because the server reads
/// and discards what follows (up to 8 MiB, for at most 5 s) before it closes the connection.
/// </summary>
public sealed class OversizedBodyTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;
    private const string TooLarge = """{"error":{"code":300,"message":"Request body too large."}}""";

    // Whether a reset overtakes the answer is a race, so each kind of client tries again and again.
    private const int Attempts = 20;

    private static readonly TimeSpan UpperBound = TimeSpan.FromSeconds(30);

    [StoreTheory]
    [InlineData(MiB + 1)]
    [InlineData(2 * MiB)]
    [InlineData(4 * MiB)]
    [InlineData(8 * MiB)]
    public async Task A_client_that_sends_an_oversized_body_at_once_reads_the_413_every_time(int bodyBytes)
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        var body = Form(bodyBytes);
        var request = Concat(Head(archive.Address!, $"Content-Length: {body.Length}"), body);

        var outcomes = await AttemptAsync(archive.Address!, request);

        Assert.Equal(Enumerable.Repeat("413 with the envelope, then closed", Attempts), outcomes);
    }

    [StoreTheory]
    [InlineData(2 * MiB)]
    [InlineData(4 * MiB)]
    public async Task A_client_that_sends_an_oversized_chunked_body_at_once_reads_the_413_every_time(int bodyBytes)
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        var request = Concat(Head(archive.Address!, "Transfer-Encoding: chunked"), Chunked(Form(bodyBytes)));

        var outcomes = await AttemptAsync(archive.Address!, request);

        Assert.Equal(Enumerable.Repeat("413 with the envelope, then closed", Attempts), outcomes);
    }

    [StoreFact]
    public async Task An_oversized_body_sent_slowly_is_answered_before_it_is_sent_and_then_read_to_its_end()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        using var timeout = new CancellationTokenSource(UpperBound);
        var body = Form(MiB + 1);
        await using var connection = await RawConnection.OpenAsync(archive.Address!, timeout.Token);

        await connection.SendAsync(Concat(Head(archive.Address!, $"Content-Length: {body.Length}"), body.AsSpan(0, 1024)), timeout.Token);
        var response = await connection.ReadResponseAsync(timeout.Token);
        for (var offset = 1024; offset < body.Length; offset += 16 * 1024)
        {
            await connection.SendAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)), timeout.Token);
        }

        AssertTooLarge(response);
        Assert.True(await connection.ReadsOrderlyCloseAsync(timeout.Token), "The server reset the connection instead of reading the body's end.");
    }

    [StoreTheory]
    [InlineData(2L * MiB)]
    [InlineData(1024L * MiB)]
    public async Task A_body_declared_over_the_limit_but_never_sent_is_answered_at_once_and_the_connection_ends(long declaredBytes)
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        using var timeout = new CancellationTokenSource(UpperBound);
        await using var connection = await RawConnection.OpenAsync(archive.Address!, timeout.Token);

        await connection.SendAsync(Head(archive.Address!, $"Content-Length: {declaredBytes}"), timeout.Token);
        var response = await connection.ReadResponseAsync(timeout.Token);
        // Within the drain's 5 s for a body the server would read, at once for one it never would.
        await connection.ReadsOrderlyCloseAsync(timeout.Token);

        AssertTooLarge(response);
    }

    private async Task<List<string>> AttemptAsync(Uri address, byte[] request)
    {
        var outcomes = new List<string>();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            using var timeout = new CancellationTokenSource(UpperBound);
            await using var connection = await RawConnection.OpenAsync(address, timeout.Token);
            var sending = true;
            try
            {
                await connection.SendAsync(request, timeout.Token);
                sending = false;
                var response = await connection.ReadResponseAsync(timeout.Token);
                var closed = await connection.ReadsOrderlyCloseAsync(timeout.Token);
                outcomes.Add(response.Status == 413 && response.Body == TooLarge && response.Header("Connection") == "close"
                    ? (closed ? "413 with the envelope, then closed" : "413 with the envelope, then reset")
                    : $"{response.Status} {response.Body}");
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                outcomes.Add($"no answer, {(sending ? "sending" : "reading")}: {e.Message}");
            }
        }

        foreach (var tally in outcomes.CountBy(outcome => outcome))
        {
            output.WriteLine($"{tally.Value} of {Attempts}: {tally.Key}");
        }

        return outcomes;
    }

    private static void AssertTooLarge(RawResponse response)
    {
        Assert.Equal(413, response.Status);
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(TooLarge, response.Body);
    }

    private static byte[] Head(Uri address, string framing) => RawConnection.Ascii(
        $"POST /v1/chat/list HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: {ApiCalls.FormContentType}\r\n{framing}\r\n\r\n");

    /// <summary>A form of exactly <paramref name="bytes"/> bytes: parameters, then padding.</summary>
    private static byte[] Form(int bytes)
    {
        var form = Encoding.ASCII.GetBytes("api_key=k&api_secret=s&from=2016-01-16&to=2016-01-22&padding=");
        var body = new byte[bytes];
        body.AsSpan().Fill((byte)'x');
        form.CopyTo(body, 0);
        return body;
    }

    private static byte[] Chunked(byte[] body)
    {
        using var chunked = new MemoryStream();
        foreach (var chunk in body.Chunk(64 * 1024))
        {
            chunked.Write(RawConnection.Ascii(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            chunked.Write(chunk);
            chunked.Write("\r\n"u8);
        }

        chunked.Write("0\r\n\r\n"u8);
        return chunked.ToArray();
    }

    private static byte[] Concat(byte[] head, ReadOnlySpan<byte> body) => [.. head, .. body];
}
