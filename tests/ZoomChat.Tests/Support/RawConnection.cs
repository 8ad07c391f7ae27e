using System.Net.Sockets;
using System.Text;

namespace ZoomChat.Tests.Support;

/// <summary>
/// One TCP connection to a server on a real socket, written and read byte for byte: for clients that
/// HttpClient will not be (one that sends a whole body without waiting, trickles, or never finishes).
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _received = [];

    private RawConnection(Socket socket) => _socket = socket;

    /// <summary>
    /// Connects. A small send buffer keeps the client's kernel from holding much of a large body, so the
    /// server has to read a body for a send of it to complete.
    /// </summary>
    public static async Task<RawConnection> OpenAsync(Uri address, CancellationToken cancellationToken, int sendBufferBytes = 64 * 1024)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendBufferSize = sendBufferBytes,
        };
        await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
        return new RawConnection(socket);
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>Hands all of <paramref name="data"/> to the socket, without reading anything.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            data = data[await _socket.SendAsync(data, SocketFlags.None, cancellationToken)..];
        }
    }

    public Task SendAsync(string text, CancellationToken cancellationToken) => SendAsync(Ascii(text), cancellationToken);

    /// <summary>Reads one response: status line, headers, and a body of its Content-Length.</summary>
    public async Task<RawResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            if (!await ReceiveAsync(cancellationToken))
            {
                throw new IOException($"The server closed the connection after {_received.Count} bytes of a response.");
            }
        }

        var head = Encoding.ASCII.GetString(_received.GetRange(0, headEnd).ToArray()).Split("\r\n");
        var headers = head.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var bodyStart = headEnd + 4;
        while (_received.Count < bodyStart + length)
        {
            if (!await ReceiveAsync(cancellationToken))
            {
                throw new IOException("The server closed the connection in the middle of a response body.");
            }
        }

        var body = Encoding.UTF8.GetString(_received.GetRange(bodyStart, length).ToArray());
        _received.RemoveRange(0, bodyStart + length);
        return new RawResponse(int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, body);
    }

    /// <summary>
    /// Reads until the server ends the connection: true for an orderly close (FIN), false for a reset.
    /// Bytes that arrive first fail the test: nothing should follow the last response.
    /// </summary>
    public async Task<bool> ReadsOrderlyCloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await ReceiveAsync(cancellationToken))
            {
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false;
        }

        Assert.Empty(_received);
        return true;
    }

    private async Task<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        _received.AddRange(buffer.AsSpan(0, read));
        return read > 0;
    }

    private int IndexOfHeadEnd()
    {
        for (var i = 0; i + 3 < _received.Count; i++)
        {
            if (_received[i] == '\r' && _received[i + 1] == '\n' && _received[i + 2] == '\r' && _received[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A response as a <see cref="RawConnection"/> read it.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
