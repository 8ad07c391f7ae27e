using System.Text;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// Reads RFC 4180 records, one at a time, never the whole file: fields separated by commas, quoted
/// fields with doubled quotes and line breaks inside, records ended by CRLF, LF or CR. Written here
/// rather than taken from a CSV library because each bad record must be reported with its line and
/// reason and the rest read on (docs/import-formats.md#csv): text after a closing quote or a quote left open is reported,
/// not silently glued or swallowed. A quote inside an unquoted field is taken literally, as most
/// writers mean it. A record longer than the limit is reported and skipped, so that a quote left open
/// costs bounded memory.
/// </summary>
internal sealed class CsvReader(TextReader text, int maxRecordChars = CsvReader.DefaultMaxRecordChars)
{
    public const int DefaultMaxRecordChars = 16 * 1024 * 1024;

    private readonly char[] _buffer = new char[64 * 1024];
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private bool _endOfText;
    private long _line = 1;
    private bool _afterCarriageReturn;
    private bool _firstFieldQuoted;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The fields of the current record; unusable when <see cref="Problem"/> is set.</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>Why the current record is malformed, or <see langword="null"/>.</summary>
    public string? Problem { get; private set; }

    /// <summary>Whether the current record is an empty or blank line, which holds no record at all.</summary>
    public bool IsBlank => Problem is null && _fields.Count == 1 && !_firstFieldQuoted && _fields[0].AsSpan().Trim().IsEmpty;

    /// <summary>Moves to the next record; false at the end of the text.</summary>
    public async ValueTask<bool> ReadRecordAsync(CancellationToken cancellationToken)
    {
        _fields.Clear();
        _field.Clear();
        Problem = null;
        _firstFieldQuoted = false;
        var state = State.FieldStart;
        var started = false;
        var recordChars = 0;
        var quoteLine = 0L;
        while (true)
        {
            if (_position == _length)
            {
                if (!_endOfText)
                {
                    _length = await text.ReadAsync(_buffer, cancellationToken);
                    _position = 0;
                    _endOfText = _length == 0;
                    continue;
                }

                if (!started)
                {
                    return false;
                }

                if (state == State.Quoted)
                {
                    Problem ??= $"the quoted field opened on line {quoteLine} is not closed at the end of the file";
                }

                EndField();
                return true;
            }

            var c = _buffer[_position++];
            if (!started)
            {
                // The LF of a CRLF that ended the previous record.
                if (c == '\n' && _afterCarriageReturn)
                {
                    _afterCarriageReturn = false;
                    continue;
                }

                started = true;
                LineNumber = _line;
            }

            // CRLF, LF and CR each end one line, inside quotes too.
            if (c == '\r' || (c == '\n' && !_afterCarriageReturn))
            {
                _line++;
            }

            _afterCarriageReturn = c == '\r';

            switch (state)
            {
                case State.FieldStart when c == '"':
                    state = State.Quoted;
                    quoteLine = _line;
                    _firstFieldQuoted |= _fields.Count == 0;
                    continue;
                case State.FieldStart or State.Unquoted or State.QuoteInQuoted when c == ',':
                    EndField();
                    state = State.FieldStart;
                    continue;
                case State.FieldStart or State.Unquoted or State.QuoteInQuoted when c is '\r' or '\n':
                    EndField();
                    return true;
                case State.Quoted when c == '"':
                    state = State.QuoteInQuoted;
                    continue;
                case State.QuoteInQuoted when c == '"':
                    state = State.Quoted;
                    break;
                case State.QuoteInQuoted:
                    Problem ??= $"text follows the closing quote of field {_fields.Count + 1}";
                    state = State.Unquoted;
                    break;
                case State.FieldStart:
                    state = State.Unquoted;
                    break;
            }

            if (++recordChars > maxRecordChars)
            {
                Problem ??= $"record is longer than {maxRecordChars} characters";
                continue;
            }

            _field.Append(c);
        }
    }

    private void EndField()
    {
        _fields.Add(_field.ToString());
        _field.Clear();
    }
}
