namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// Bytes already read from a stream that cannot seek (standard input), then the rest of it: format
/// detection reads the start of standard input, and the import still sees all of it.
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyWrapperStream(rest)
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefix.Length)
        {
            var count = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        return Inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < prefix.Length)
        {
            return Read(buffer.Span);
        }

        return await Inner.ReadAsync(buffer, cancellationToken);
    }
}
