using System.Buffers.Binary;
using System.IO.Compression;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// The content of a <c>.gz</c> input, with the two failures <see cref="GZipStream"/> leaves to its
/// caller made into an <see cref="IOException"/> that names the input: data that is not gzip, or
/// breaks off in the middle (<see cref="InvalidDataException"/>, which no error handler expects),
/// and a file cut short, which <see cref="GZipStream"/> reads to its end without complaint, as if it
/// were whole. A gzip file ends with the size of what it holds (modulo 2^32, RFC 1952): when the
/// content ends, that size must be the size read.
/// </summary>
internal sealed class GzipInput : ReadOnlyWrapperStream
{
    private readonly string _name;
    private readonly TrailerStream _compressed;
    private long _size;

    public GzipInput(string name, Stream compressed)
        : this(name, new TrailerStream(compressed))
    {
    }

    private GzipInput(string name, TrailerStream compressed)
        : base(new GZipStream(compressed, CompressionMode.Decompress))
    {
        _name = name;
        _compressed = compressed;
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = Inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw NotGzip(e);
        }

        return Checked(read, buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await Inner.ReadAsync(buffer, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw NotGzip(e);
        }

        return Checked(read, buffer.Length);
    }

    private int Checked(int read, int asked)
    {
        _size += read;
        if (read == 0 && asked > 0 && _compressed.StatedSize != (uint)_size)
        {
            throw new IOException(
                $"{_name} is cut short: its gzip data ends before the end of what it holds ({_size} bytes read, its last bytes state "
                + $"{_compressed.StatedSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); "
                + "what was read before is imported up to the last batch committed. A file of several gzip members joined end to end "
                + "(cat a.gz b.gz) also ends this way: unpack it and import the result.");
        }

        return read;
    }

    private IOException NotGzip(InvalidDataException e) => new($"{_name} is not readable gzip data: {e.Message}", e);

    /// <summary>The compressed bytes, keeping the last four read: at the end, the size the file states.</summary>
    private sealed class TrailerStream(Stream inner) : ReadOnlyWrapperStream(inner)
    {
        private readonly byte[] _last = new byte[4];
        private long _read;

        public uint? StatedSize => _read >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(_last) : null;

        public override int Read(Span<byte> buffer) => Keep(buffer[..Inner.Read(buffer)]);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await Inner.ReadAsync(buffer, cancellationToken);
            return Keep(buffer.Span[..read]);
        }

        private int Keep(ReadOnlySpan<byte> read)
        {
            if (read.Length >= 4)
            {
                read[^4..].CopyTo(_last);
            }
            else if (read.Length > 0)
            {
                // Shift the kept bytes left and append the few new ones.
                _last.AsSpan(read.Length).CopyTo(_last);
                read.CopyTo(_last.AsSpan(4 - read.Length));
            }

            _read += read.Length;
            return read.Length;
        }
    }
}
