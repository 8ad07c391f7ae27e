namespace ZoomChat.Server.Interchange;

/// <summary>
/// Splits a UTF-8 stream into lines, holding at most one line in memory, never the whole file:
/// archives run to gigabytes. Strips a byte order mark before the first line and the CR of CRLF.
/// A line longer than the limit is skipped and flagged, so that a file without line breaks (or a
/// binary file given by mistake) costs bounded memory and is reported rather than loaded.
/// </summary>
internal sealed class NdjsonLineReader
{
    public const int DefaultMaxLineBytes = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _endOfStream;
    private bool _skippingLongLine;

    public NdjsonLineReader(Stream stream, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 16);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[Math.Min(64 * 1024, BufferLimit)];
    }

    /// <summary>The 1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The current line without its line break; valid until the next read.</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>Whether the current line was longer than the limit; <see cref="Line"/> is then empty.</summary>
    public bool LineTooLong { get; private set; }

    /// <summary>The longest line accepted, in bytes, without its line break.</summary>
    public int MaxLineBytes => _maxLineBytes;

    // Room for the longest line, a byte order mark and a CRLF.
    private int BufferLimit => _maxLineBytes + 5;

    /// <summary>Moves to the next line; false at the end of the stream.</summary>
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanned + newline;
                SetLine(_start, lineEnd);
                _start = _scanned = lineEnd + 1;
                return true;
            }

            _scanned = _end;
            if (_endOfStream)
            {
                if (_start == _end && !_skippingLongLine)
                {
                    return false;
                }

                // The last line has no line break.
                SetLine(_start, _end);
                _start = _scanned = _end;
                return true;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _scanned -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= BufferLimit)
                {
                    _skippingLongLine = true;
                    _start = _end = _scanned = 0;
                }
                else
                {
                    Array.Resize(ref _buffer, (int)Math.Min(_buffer.Length * 2L, BufferLimit));
                }
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                _endOfStream = true;
            }
            else
            {
                _end += read;
            }
        }
    }

    private void SetLine(int start, int end)
    {
        LineNumber++;
        LineTooLong = _skippingLongLine;
        _skippingLongLine = false;
        if (LineTooLong)
        {
            Line = ReadOnlyMemory<byte>.Empty;
            return;
        }

        ReadOnlyMemory<byte> line = _buffer.AsMemory(start, end - start);
        if (LineNumber == 1 && line.Span.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (line.Span.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (line.Length > _maxLineBytes)
        {
            LineTooLong = true;
            line = ReadOnlyMemory<byte>.Empty;
        }

        Line = line;
    }
}
