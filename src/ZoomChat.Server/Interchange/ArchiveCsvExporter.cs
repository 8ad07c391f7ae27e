using System.Globalization;
using System.Text;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// Writes the archive as CSV (docs/import-formats.md#csv): RFC 4180, a header row of interchange
/// field names, <c>participants</c> joined by <c>;</c>, messages in the order of the NDJSON export.
/// What <c>zoomchat import --format csv</c> reads back into the same archive: a cell is empty exactly
/// where the NDJSON line leaves its field out (<c>message</c> aside, whose empty cell is an empty message).
/// </summary>
internal sealed class ArchiveCsvExporter(IArchiveStore store)
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly string[] Header =
    [
        InterchangeFields.Account,
        InterchangeFields.SessionId,
        InterchangeFields.Type,
        InterchangeFields.GroupName,
        InterchangeFields.Participants,
        InterchangeFields.MessageId,
        InterchangeFields.Sender,
        InterchangeFields.DateTime,
        InterchangeFields.Message,
    ];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the header row and every message the query selects; returns how many messages were written.</summary>
    public Task<long> ExportAsync(ExportQuery query, Stream output, CancellationToken cancellationToken) =>
        ExportAsync(query, output, progress: null, cancellationToken);

    /// <summary>
    /// Writes the header row and every message the query selects, reporting to <paramref name="progress"/>;
    /// returns how many messages were written.
    /// </summary>
    public async Task<long> ExportAsync(ExportQuery query, Stream output, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        query = query with { Email = query.Email?.ToLowerInvariant() };
        await using var counted = new CountingStream(output);
        await using var text = new StreamWriter(counted, Utf8, bufferSize: FlushThreshold, leaveOpen: true) { NewLine = "\r\n" };
        WriteRecord(text, Header);
        long messages = 0;
        var fields = new string[Header.Length];
        await foreach (var message in store.ExportAsync(query, cancellationToken))
        {
            fields[0] = message.Account;
            fields[1] = message.SessionId;
            fields[2] = message.Type;
            fields[3] = message.Type == ChatSessionTypes.Group ? message.GroupName : string.Empty;
            fields[4] = string.Join(';', message.Participants);
            fields[5] = message.MessageId ?? string.Empty;
            fields[6] = message.Sender ?? string.Empty;
            fields[7] = DateTimeOffset.FromUnixTimeMilliseconds(message.DateTimeMs).UtcDateTime.ToString(ZoomTime.Format, CultureInfo.InvariantCulture);
            fields[8] = message.Text;
            WriteRecord(text, fields);
            messages++;
            if (messages % ExportProgress.MessagesPerReport == 0)
            {
                progress?.Report(new ExportProgress(messages, counted.Written));
            }
        }

        await text.FlushAsync(cancellationToken);
        progress?.Report(new ExportProgress(messages, counted.Written));
        return messages;
    }

    private static void WriteRecord(StreamWriter text, string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                text.Write(',');
            }

            WriteField(text, fields[i]);
        }

        text.WriteLine();
    }

    /// <summary>RFC 4180 section 2: a field holding a comma, a quote or a line break is quoted, its quotes doubled.</summary>
    private static void WriteField(StreamWriter text, string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            text.Write(field);
            return;
        }

        text.Write('"');
        text.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
        text.Write('"');
    }

    /// <summary>
    /// Counts the bytes the writer hands to the output, which the progress shows: a <see cref="StreamWriter"/>
    /// does not tell how many bytes its text became. Leaves the output open, like the writer.
    /// </summary>
    private sealed class CountingStream(Stream output) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            output.Write(buffer);
            Written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await output.WriteAsync(buffer, cancellationToken);
            Written += buffer.Length;
        }

        public override void Flush() => output.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
