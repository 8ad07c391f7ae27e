namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// How far into one input an import has read, for the progress display (issue 4): bytes as stored
/// (compressed for <c>.gz</c>), so that they compare with <see cref="Length"/>.
/// </summary>
internal sealed class InputBytes(long? length)
{
    private long _read;

    /// <summary>The input's size, or null when it is not known (standard input).</summary>
    public long? Length { get; } = length;

    public long Read => Interlocked.Read(ref _read);

    /// <summary>Counts the bytes read from <paramref name="stream"/>, from zero again: an input read twice is reported once.</summary>
    public Stream Count(Stream stream)
    {
        Interlocked.Exchange(ref _read, 0);
        return new CountingStream(stream, this);
    }

    private void Add(int count) => Interlocked.Add(ref _read, count);

    private sealed class CountingStream(Stream inner, InputBytes bytes) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            bytes.Add(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            bytes.Add(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
