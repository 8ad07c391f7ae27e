using System.Text.Encodings.Web;
using System.Text.Json;
using ZoomChat.Client;
using ZoomChat.Client.Wire;

namespace ZoomChat.Export;

/// <summary>
/// Exports one account's chats in a range through the v1 API: every session that <c>chat/list</c> names, every
/// message of each from <c>chat/get</c>, one NDJSON line per message.
/// </summary>
/// <remarks>
/// The lines use the keys of the archive interchange format (docs/import-formats.md#the-interchange-format) that the API reveals:
/// <c>session_id</c>, <c>type</c>, <c>group_name</c> (groups only), <c>participants</c> (<c>1:1</c> only: the API
/// names a group's members nowhere), <c>sender</c> (when known), <c>date_time</c>, <c>message</c>. So
/// <c>zoomchat import FILE --account NAME</c> reads the output back. Sessions come in ascending order of their
/// id's UTF-8 bytes, as <c>zoomchat export</c> writes them, each session's messages oldest first.
/// </remarks>
internal static class ArchiveExport
{
    // Relaxed escaping keeps non-ASCII text readable; quotes, backslashes and control characters are still escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task<ExportSummary> WriteAsync(
        ZoomChatClient client, ChatRangeBound from, ChatRangeBound to, int? pageSize, Stream output, CancellationToken cancellationToken)
    {
        // The session list is read whole first: it is small, and a slow message export cannot age its page tokens.
        var sessions = new List<ChatSession>();
        await foreach (var session in client.ListAllSessionsAsync(new ChatListRequest(from, to) { PageSize = pageSize }, cancellationToken))
        {
            sessions.Add(session);
        }

        sessions.Sort((a, b) => Utf8Order(a.SessionId, b.SessionId));
        await using var writer = new Utf8JsonWriter(output, WriterOptions);
        long messages = 0;
        foreach (var session in sessions)
        {
            var request = new ChatGetRequest(session.SessionId, from, to) { PageSize = pageSize };
            await foreach (var message in client.GetAllMessagesAsync(request, cancellationToken))
            {
                WriteLine(writer, session, message);
                await writer.FlushAsync(cancellationToken);
                writer.Reset();
                await output.WriteAsync(NewLine, cancellationToken);
                messages++;
            }
        }

        await output.FlushAsync(cancellationToken);
        return new ExportSummary(sessions.Count, messages);
    }

    private static void WriteLine(Utf8JsonWriter writer, ChatSession session, ChatMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("session_id", session.SessionId);
        writer.WriteString("type", session.Type);
        if (session.Type == ChatSessionTypes.OneOnOne)
        {
            writer.WriteStartArray("participants");
            foreach (var participant in session.Participants.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
            {
                writer.WriteStringValue(participant);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("group_name", session.GroupName);
        }

        if (message.Sender.Length > 0)
        {
            writer.WriteString("sender", message.Sender);
        }

        writer.WriteString("date_time", ZoomTime.ToWire(message.DateTime));
        writer.WriteString("message", message.Message);
        writer.WriteEndObject();
    }

    /// <summary>Ordinal order of the UTF-8 bytes (code point order), which UTF-16 ordinal order is not for supplementary characters.</summary>
    private static int Utf8Order(string a, string b)
    {
        var left = a.EnumerateRunes();
        var right = b.EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }
}

/// <summary>What an export wrote.</summary>
internal sealed record ExportSummary(int Sessions, long Messages);
