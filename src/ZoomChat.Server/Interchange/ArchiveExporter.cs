using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// Writes the archive in the interchange format (docs/import-formats.md#the-interchange-format): one line per message, keys
/// in the contract's order, so that import(export(archive)) exports byte-identical. The order of
/// sessions and messages, and the snapshot, come from <see cref="IArchiveStore.ExportAsync"/>.
/// </summary>
internal sealed class ArchiveExporter(IArchiveStore store)
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly JsonEncodedText AccountKey = JsonEncodedText.Encode(InterchangeFields.Account);
    private static readonly JsonEncodedText SessionIdKey = JsonEncodedText.Encode(InterchangeFields.SessionId);
    private static readonly JsonEncodedText TypeKey = JsonEncodedText.Encode(InterchangeFields.Type);
    private static readonly JsonEncodedText GroupNameKey = JsonEncodedText.Encode(InterchangeFields.GroupName);
    private static readonly JsonEncodedText ParticipantsKey = JsonEncodedText.Encode(InterchangeFields.Participants);
    private static readonly JsonEncodedText MessageIdKey = JsonEncodedText.Encode(InterchangeFields.MessageId);
    private static readonly JsonEncodedText SenderKey = JsonEncodedText.Encode(InterchangeFields.Sender);
    private static readonly JsonEncodedText DateTimeKey = JsonEncodedText.Encode(InterchangeFields.DateTime);
    private static readonly JsonEncodedText MessageKey = JsonEncodedText.Encode(InterchangeFields.Message);

    // Relaxed escaping keeps non-ASCII text readable in the file; it still escapes quotes,
    // backslashes and control characters, so every line stays one line of valid JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes every message the query selects; returns how many lines were written.</summary>
    public Task<long> ExportAsync(ExportQuery query, Stream output, CancellationToken cancellationToken) =>
        ExportAsync(query, output, progress: null, cancellationToken);

    /// <summary>Writes every message the query selects, reporting to <paramref name="progress"/>; returns how many lines were written.</summary>
    public async Task<long> ExportAsync(ExportQuery query, Stream output, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        // E-mails are stored lower-case and matched case-insensitively (docs/api.md#listing-sessions-chatlist).
        query = query with { Email = query.Email?.ToLowerInvariant() };
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        await using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        long lines = 0, written = 0;
        await foreach (var message in store.ExportAsync(query, cancellationToken))
        {
            WriteLine(writer, message);
            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
            lines++;
            if (buffer.WrittenCount >= FlushThreshold)
            {
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
                written += buffer.WrittenCount;
                buffer.ResetWrittenCount();
            }

            if (lines % ExportProgress.MessagesPerReport == 0)
            {
                progress?.Report(new ExportProgress(lines, written));
            }
        }

        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        written += buffer.WrittenCount;
        await output.FlushAsync(cancellationToken);
        progress?.Report(new ExportProgress(lines, written));
        return lines;
    }

    private static void WriteLine(Utf8JsonWriter writer, ExportedMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString(AccountKey, message.Account);
        writer.WriteString(SessionIdKey, message.SessionId);
        writer.WriteString(TypeKey, message.Type);
        if (message.Type == ChatSessionTypes.Group)
        {
            writer.WriteString(GroupNameKey, message.GroupName);
        }

        writer.WriteStartArray(ParticipantsKey);
        foreach (var participant in message.Participants)
        {
            writer.WriteStringValue(participant);
        }

        writer.WriteEndArray();
        if (message.MessageId is not null)
        {
            writer.WriteString(MessageIdKey, message.MessageId);
        }

        if (message.Sender is not null)
        {
            writer.WriteString(SenderKey, message.Sender);
        }

        Span<char> time = stackalloc char[24];
        DateTimeOffset.FromUnixTimeMilliseconds(message.DateTimeMs).UtcDateTime
            .TryFormat(time, out var written, ZoomTime.Format, CultureInfo.InvariantCulture);
        writer.WriteString(DateTimeKey, time[..written]);
        writer.WriteString(MessageKey, message.Text);
        writer.WriteEndObject();
    }
}
