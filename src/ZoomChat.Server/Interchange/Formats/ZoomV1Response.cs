using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// A saved response of Zoom's v1 <c>chat/get</c> (<c>session_id</c>, <c>group_name</c>,
/// <c>chat_messages</c> of <c>message</c>, <c>sender</c>, <c>date_time</c>),
/// pretty-printed or not, read as the messages of its session (docs/import-formats.md#zoom-v1). A
/// page holds 30 messages at most, so the document is read whole. v1 gives a message no id: a
/// message is a duplicate of one stored with the same session, instant, sender and text, so saving
/// overlapping pages and importing them all stores each message once.
/// </summary>
internal static class ZoomV1Response
{
    public const string Messages = "chat_messages";
    public const string Sessions = "chat_list";

    /// <summary>Whether a top-level property of an object names one of a v1 response's arrays.</summary>
    public static bool IsResponseArray(ReadOnlySpan<byte> propertyName) =>
        propertyName.SequenceEqual("chat_messages"u8) || propertyName.SequenceEqual("chat_list"u8);

    public static async IAsyncEnumerable<ImportRecord> ReadAsync(
        Func<Stream> open, string? sessionIdFlag, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        byte[] bytes;
        await using (var stream = open())
        using (var copy = new MemoryStream())
        {
            await stream.CopyToAsync(copy, cancellationToken);
            bytes = copy.ToArray();
        }

        foreach (var record in Read(bytes, sessionIdFlag))
        {
            yield return record;
        }
    }

    private static List<ImportRecord> Read(byte[] bytes, string? sessionIdFlag)
    {
        var records = new List<ImportRecord>();
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 }).RootElement;
        }
        catch (JsonException e)
        {
            records.Add(ImportRecord.Rejected((e.LineNumber ?? 0) + 1, $"the document is not valid JSON: {e.Message}"));
            return records;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(Messages, out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            records.Add(ImportRecord.Rejected(1, $"the document has no {Messages} array: it is not a saved chat/get response"));
            return records;
        }

        var sessionId = sessionIdFlag ?? (root.TryGetProperty("session_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null);
        var groupName = root.TryGetProperty("group_name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } text
            ? text
            : null;
        var lines = LineStarts(bytes);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            // A message is reported at the line where its object starts, found by its order among the array's objects.
            var lineNumber = index < lines.Count ? lines[index] : 1;
            index++;
            if (message.ValueKind != JsonValueKind.Object)
            {
                records.Add(ImportRecord.Rejected(lineNumber, $"an entry of {Messages} is not an object"));
                continue;
            }

            var sender = String(message, "sender");
            records.Add(InterchangeLine.TryCreate(
                account: null,
                sessionId,
                type: null,
                groupName,
                sender is { Length: > 0 } ? [sender] : [],
                messageId: null,
                sender is { Length: > 0 } ? sender : null,
                String(message, "date_time"),
                String(message, "message"),
                out var line,
                out var problem)
                ? ImportRecord.Of(lineNumber, line)
                : ImportRecord.Rejected(lineNumber, problem));
        }

        return records;
    }

    private static string? String(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The 1-based lines where the objects of the chat_messages array start, in order.</summary>
    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        var inMessages = false;
        long line = 1;
        var counted = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                inMessages = reader.ValueTextEquals(Messages);
            }
            else if (inMessages && reader.CurrentDepth == 2 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String or JsonTokenType.Number
                or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null or JsonTokenType.StartArray)
            {
                var at = (int)reader.TokenStartIndex;
                line += bytes.AsSpan(counted, at - counted).Count((byte)'\n');
                counted = at;
                starts.Add(line);
            }
        }

        return starts;
    }
}
