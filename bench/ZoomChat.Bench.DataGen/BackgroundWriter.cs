using System.Collections.Concurrent;

namespace ZoomChat.Bench.DataGen;

/// <summary>
/// Hands filled buffers to a thread of its own that writes them out, so that the kernel's copy into
/// the page cache (as costly as making the lines) runs on the other core while lines are made.
/// </summary>
internal sealed class BackgroundWriter : IDisposable
{
    private const int Buffers = 4;

    private readonly Stream _output;
    private readonly BlockingCollection<byte[]> _free = new(Buffers);
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _full = new(Buffers);
    private readonly Thread _thread;
    private Exception? _failure;

    public BackgroundWriter(Stream output, int bufferBytes)
    {
        _output = output;
        for (var i = 0; i < Buffers; i++)
        {
            _free.Add(new byte[bufferBytes]);
        }

        _thread = new Thread(WriteAll) { IsBackground = true, Name = "ndjson-writer" };
        _thread.Start();
    }

    /// <summary>An empty buffer to fill; waits while all of them are being written.</summary>
    public byte[] Rent()
    {
        ThrowIfFailed();
        return _free.Take();
    }

    public void Submit(byte[] buffer, int length) => _full.Add((buffer, length));

    /// <summary>Writes what was submitted and flushes; rethrows a failure of the writing thread.</summary>
    public void Complete()
    {
        _full.CompleteAdding();
        _thread.Join();
        ThrowIfFailed();
        _output.Flush();
    }

    public void Dispose()
    {
        _free.Dispose();
        _full.Dispose();
    }

    private void WriteAll()
    {
        try
        {
            foreach (var (buffer, length) in _full.GetConsumingEnumerable())
            {
                _output.Write(buffer, 0, length);
                _free.Add(buffer);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            _failure = e;
            // Unblock the producer: it sees the failure on its next Rent.
            _free.Add(new byte[1]);
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new IOException($"Writing the output failed: {failure.Message}", failure);
        }
    }
}
