namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// How far into one input an import has read, for the progress display: bytes as stored
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

    private sealed class CountingStream(Stream inner, InputBytes bytes) : ReadOnlyWrapperStream(inner)
    {
        public override int Read(Span<byte> buffer)
        {
            var read = Inner.Read(buffer);
            bytes.Add(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await Inner.ReadAsync(buffer, cancellationToken);
            bytes.Add(read);
            return read;
        }
    }
}
