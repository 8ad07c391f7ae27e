using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ZoomChat.Tests.Fuzzing;

/// <summary>What came back for one request.</summary>
internal sealed record FuzzAnswer(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>The answer of a request that got none within its time: the server hung.</summary>
    public static FuzzAnswer Hang { get; } = new(-1, [], []);

    /// <summary>The connection ended before a whole answer was read.</summary>
    public static FuzzAnswer Closed { get; } = new(-2, [], []);

    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(",", values);
    }

    public override string ToString() => Status switch
    {
        -1 => "no answer within the time limit (hang)",
        -2 => "the connection ended without an answer",
        _ => $"HTTP {Status}\n{string.Join("\n", Headers.Select(h => h.Key + ": " + h.Value))}\n\n{Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 4096)))}",
    };
}

/// <summary>
/// One keep-alive HTTP/1.1 connection that writes a <see cref="FuzzRequest"/> byte for byte (which
/// HttpClient would refuse to send for many of them) and reads the answer; it reconnects when the server
/// ends the connection. A request not answered within the timeout is a hang.
/// </summary>
internal sealed class FuzzConnection(Uri address, TimeSpan timeout) : IAsyncDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Socket? _socket;
    private int _start;
    private int _end;

    public async Task<FuzzAnswer> SendAsync(FuzzRequest request, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var reused = _socket is not null;
        try
        {
            var answer = await ExchangeAsync(request, limit.Token);
            if (answer == FuzzAnswer.Closed && reused)
            {
                // A kept-alive connection that the server closed while idle: the request never reached it.
                Close();
                answer = await ExchangeAsync(request, limit.Token);
            }

            if (answer.Status < 0 || string.Equals(answer.Header("Connection"), "close", StringComparison.OrdinalIgnoreCase))
            {
                Close();
            }

            return answer;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Close();
            return FuzzAnswer.Hang;
        }
    }

    private async Task<FuzzAnswer> ExchangeAsync(FuzzRequest request, CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await _socket.ConnectAsync(address.Host, address.Port, cancellationToken);
            _start = _end = 0;
        }

        var bytes = request.ToBytes();
        try
        {
            var sent = 0;
            while (sent < bytes.Length)
            {
                sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellationToken);
            }
        }
        catch (SocketException)
        {
            // The server may answer and close before it has read all of a request it refuses: read that answer.
        }

        try
        {
            return await ReadAnswerAsync(request.IsHead, cancellationToken);
        }
        catch (SocketException)
        {
            return FuzzAnswer.Closed;
        }
    }

    private async Task<FuzzAnswer> ReadAnswerAsync(bool head, CancellationToken cancellationToken)
    {
        while (true)
        {
            var headEnd = await FindAsync("\r\n\r\n"u8.ToArray(), cancellationToken);
            if (headEnd < 0)
            {
                return FuzzAnswer.Closed;
            }

            var lines = Encoding.Latin1.GetString(_buffer, _start, headEnd - _start).Split("\r\n");
            _start = headEnd + 4;
            var statusParts = lines[0].Split(' ', 3);
            if (statusParts.Length < 2 || !int.TryParse(statusParts[1], CultureInfo.InvariantCulture, out var status))
            {
                return new FuzzAnswer(0, [new("Status-Line", lines[0])], []);
            }

            var headers = lines.Skip(1)
                .Select(line => line.Split(':', 2))
                .Select(parts => new KeyValuePair<string, string>(parts[0], parts.Length > 1 ? parts[1].Trim() : string.Empty))
                .ToList();
            if (status is >= 100 and < 200)
            {
                continue;
            }

            var answer = new FuzzAnswer(status, headers, []);
            if (head || status is 204 or 304)
            {
                return answer;
            }

            if (string.Equals(answer.Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
            {
                return await ReadChunkedAsync(answer, cancellationToken);
            }

            if (answer.Header("Content-Length") is { } lengthText && int.TryParse(lengthText, CultureInfo.InvariantCulture, out var length))
            {
                var body = await ReadExactlyAsync(length, cancellationToken);
                return body is null ? FuzzAnswer.Closed : answer with { Body = body };
            }

            // Neither length nor chunks: the body runs to the end of the connection.
            var rest = new List<byte>();
            while (await FillAsync(cancellationToken))
            {
            }

            rest.AddRange(_buffer.AsSpan(_start, _end - _start));
            _start = _end;
            Close();
            return answer with { Body = [.. rest] };
        }
    }

    private async Task<FuzzAnswer> ReadChunkedAsync(FuzzAnswer answer, CancellationToken cancellationToken)
    {
        var body = new List<byte>();
        while (true)
        {
            var lineEnd = await FindAsync("\r\n"u8.ToArray(), cancellationToken);
            if (lineEnd < 0)
            {
                return FuzzAnswer.Closed;
            }

            var size = int.Parse(Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            _start = lineEnd + 2;
            var chunk = await ReadExactlyAsync(size + 2, cancellationToken);
            if (chunk is null)
            {
                return FuzzAnswer.Closed;
            }

            if (size == 0)
            {
                return answer with { Body = [.. body] };
            }

            body.AddRange(chunk.AsSpan(0, size));
        }
    }

    private async Task<byte[]?> ReadExactlyAsync(int length, CancellationToken cancellationToken)
    {
        var result = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return null;
            }

            var take = Math.Min(length - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, take);
            _start += take;
            copied += take;
        }

        return result;
    }

    /// <summary>The index in the buffer where <paramref name="marker"/> starts, reading more as needed; -1 at the end of the connection.</summary>
    private async Task<int> FindAsync(byte[] marker, CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker);
            if (at >= 0)
            {
                return _start + at;
            }

            if (!await FillAsync(cancellationToken))
            {
                return -1;
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidOperationException("An answer's head is larger than the fuzzer's buffer.");
        }

        var read = await _socket!.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += read;
        return read > 0;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
