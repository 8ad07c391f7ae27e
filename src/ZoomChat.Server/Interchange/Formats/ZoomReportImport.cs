using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Chat;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// JSON bodies saved from Zoom's report API, as import records (docs/import-formats.md#zoom-report):
/// <c>GET /report/chat/sessions</c> (a page of <c>sessions</c>: ids, names, types, member e-mails) and
/// <c>GET /report/chat/sessions/{sessionId}</c> (a page of <c>messages</c>, with
/// <c>edited_messages</c> and <c>deleted_messages</c> when asked for). Sessions and messages keep
/// Zoom's ids, so that importing a newer pull adds only what is new. A deleted message is not
/// imported; an edited one keeps its latest text.
/// <para>
/// The bodies are read twice: first every session, edit and deletion (they may sit in another body
/// or page than the message), then the messages, in the order of the bodies and of each body's
/// array. One body at a time is in memory: a body is one page of the API.
/// </para>
/// </summary>
/// <param name="sessionId"><c>--session-id</c>: the session of every messages body, for bodies that do not tell.</param>
internal sealed class ZoomReportImport(IReadOnlyList<ZoomReportBody> bodies, string? sessionId)
{
    private const string Sessions = "sessions";
    private const string Messages = "messages";
    private const string EditedMessages = "edited_messages";
    private const string DeletedMessages = "deleted_messages";
    private const string BadText = "holds a string that is not valid UTF-8 or UTF-16";

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    /// <summary>The fields of a message that are read, and the JSON kind each must hold.</summary>
    private static readonly (string Name, JsonValueKind Kind)[] MessageFields =
    [
        ("id", JsonValueKind.String), ("message", JsonValueKind.String), ("sender", JsonValueKind.String), ("receiver", JsonValueKind.String),
        ("date_time", JsonValueKind.String), ("timestamp", JsonValueKind.Number), ("action_timestamp", JsonValueKind.Number),
    ];

    private readonly Dictionary<string, ReportSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Edit> _edits = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);

    /// <summary>Deleted messages read (distinct ids of every <c>deleted_messages</c>): never imported.</summary>
    public long DeletedMessagesRead => _deleted.Count;

    /// <summary>Entries of every <c>edited_messages</c> read: a message keeps its latest text only, its history is left out.</summary>
    public long EditsRead { get; private set; }

    /// <summary>The body being read, for a report of how far an interrupted import got.</summary>
    public string? CurrentBody { get; private set; }

    /// <summary>Whether a top-level property of a JSON object is one of the arrays a report body holds.</summary>
    public static bool IsReportArray(ReadOnlySpan<byte> propertyName) =>
        propertyName.SequenceEqual("sessions"u8) || propertyName.SequenceEqual("messages"u8)
        || propertyName.SequenceEqual("edited_messages"u8) || propertyName.SequenceEqual("deleted_messages"u8);

    public async IAsyncEnumerable<ImportRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var messageBodies = new List<ZoomReportBody>();
        foreach (var body in bodies)
        {
            CurrentBody = body.Name;
            var bytes = await body.ReadAsync(cancellationToken);
            var (holdsMessages, problem) = Survey(bytes);
            if (problem is not null)
            {
                yield return problem.Value with { File = body.Name };
            }
            else if (holdsMessages)
            {
                messageBodies.Add(body);
            }
        }

        foreach (var body in messageBodies)
        {
            CurrentBody = body.Name;
            var bytes = await body.ReadAsync(cancellationToken);
            var bodySession = SessionOf(body.Name);
            foreach (var record in ReadMessages(bytes, bodySession))
            {
                yield return record with { File = body.Name };
            }
        }
    }

    /// <summary>The first pass over a body: its sessions, edits and deletions; whether it holds messages.</summary>
    private (bool HoldsMessages, ImportRecord? Problem) Survey(byte[] bytes)
    {
        var holdsMessages = false;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (false, NotABody(1));
            }

            var isBody = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray || name is not (Sessions or Messages or EditedMessages or DeletedMessages))
                {
                    reader.Skip();
                    continue;
                }

                isBody = true;
                holdsMessages |= name != Sessions;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    using var item = JsonDocument.ParseValue(ref reader);
                    var element = item.RootElement;
                    switch (name)
                    {
                        case Sessions:
                            AddSession(element);
                            break;
                        case EditedMessages:
                            EditsRead++;
                            AddEdit(element);
                            break;
                        case DeletedMessages when Text(element, "id") is { } id:
                            _deleted.Add(id);
                            break;
                    }
                }
            }

            return isBody ? (holdsMessages, null) : (false, NotABody(1));
        }
        catch (JsonException e)
        {
            return (false, ImportRecord.Rejected((e.LineNumber ?? 0) + 1, $"not valid JSON: {e.Message}"));
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString: invalid UTF-8, or an escaped lone surrogate.
            return (false, ImportRecord.Rejected(1, $"body {BadText}"));
        }
    }

    /// <summary>The second pass over a body that holds messages.</summary>
    private List<ImportRecord> ReadMessages(byte[] bytes, string? bodySession)
    {
        var records = new List<ImportRecord>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        var lines = new LineCounter(bytes);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessages = reader.ValueTextEquals(Messages);
            reader.Read();
            if (!isMessages || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var lineNumber = lines.LineOf(reader.TokenStartIndex);
                using var item = JsonDocument.ParseValue(ref reader);
                if (bodySession is null)
                {
                    records.Add(ImportRecord.Rejected(lineNumber, "cannot tell which session these messages belong to: name the file after the session id or give --session-id"));
                    continue;
                }

                try
                {
                    if (ToRecord(item.RootElement, bodySession, lineNumber) is { } record)
                    {
                        records.Add(record);
                    }
                }
                catch (InvalidOperationException)
                {
                    records.Add(ImportRecord.Rejected(lineNumber, $"message {BadText}"));
                }
            }
        }

        return records;
    }

    private ImportRecord? ToRecord(JsonElement message, string bodySession, long lineNumber)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return ImportRecord.Rejected(lineNumber, "a message must be a JSON object");
        }

        var id = Text(message, "id");
        if (id is not null && _deleted.Contains(id))
        {
            return null;
        }

        if (WrongKind(message) is { } wrongKind)
        {
            return ImportRecord.Rejected(lineNumber, Reason(id, wrongKind));
        }

        var text = id is not null && _edits.TryGetValue(id, out var edit) && edit.Version >= VersionOf(message)
            ? edit.Text
            : Text(message, "message") ?? string.Empty;
        var dateTime = Text(message, "date_time");
        if (dateTime is null && message.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.Number)
        {
            if (!timestamp.TryGetInt64(out var ms) || ms is < ZoomDate.MinUnixMs or > ZoomDate.MaxUnixMs)
            {
                return ImportRecord.Rejected(lineNumber, Reason(id, "timestamp must be whole milliseconds since 1970, within the years 1 to 9999"));
            }

            dateTime = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        var sender = Text(message, "sender") is { } email && email.Contains('@', StringComparison.Ordinal) ? email : null;
        _sessions.TryGetValue(bodySession, out var session);

        var participants = new List<string>(session?.Members ?? []);
        if (sender is not null)
        {
            participants.Add(sender);
        }

        if (session?.Type is null or ChatSessionTypes.OneOnOne && Text(message, "receiver") is { } receiver && receiver.Contains('@', StringComparison.Ordinal))
        {
            participants.Add(receiver);
        }

        return InterchangeLine.TryCreate(
            account: null,
            bodySession,
            session?.Type,
            session?.Type == ChatSessionTypes.OneOnOne ? null : session?.Name,
            participants,
            id,
            sender,
            dateTime,
            text,
            out var line,
            out var problem)
            ? ImportRecord.Of(lineNumber, line)
            : ImportRecord.Rejected(lineNumber, Reason(id, problem!));
    }

    private static string Reason(string? id, string problem) => id is null ? problem : $"message {ImportReasons.Echo(id)}: {problem}";

    /// <summary>
    /// The first field of a message that holds a JSON value of the wrong kind, as a reason: a text that
    /// is an object, an id that is a number would otherwise be read as missing, and the message stored
    /// without them. A null counts as missing.
    /// </summary>
    private static string? WrongKind(JsonElement message)
    {
        foreach (var (name, kind) in MessageFields)
        {
            if (message.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null && value.ValueKind != kind)
            {
                return $"{name} must be a {(kind == JsonValueKind.String ? "string" : "number")}";
            }
        }

        return null;
    }

    /// <summary>
    /// The session of a messages body, which does not name it: <c>--session-id</c>; else the longest id
    /// of a listed session that its path holds (<c>SESSION.json</c>, <c>SESSION/page-2.json</c>); else its
    /// file name less <c>.json</c>; <see langword="null"/> for standard input.
    /// </summary>
    private string? SessionOf(string name)
    {
        if (sessionId is not null)
        {
            return sessionId;
        }

        var listed = _sessions.Keys.Where(id => name.Contains(id, StringComparison.Ordinal)).MaxBy(id => id.Length);
        if (listed is not null)
        {
            return listed;
        }

        if (name == "-")
        {
            return null;
        }

        var fileName = Path.GetFileName(name);
        foreach (var extension in new[] { ".gz", ".json" })
        {
            if (fileName.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                fileName = fileName[..^extension.Length];
            }
        }

        return fileName.Length > 0 ? fileName : null;
    }

    private void AddSession(JsonElement element)
    {
        if (Text(element, "id") is not { Length: > 0 } id)
        {
            return;
        }

        // Zoom's types are "Group" and "1:1"; any other is imported as a group.
        var type = Text(element, "type") is { } zoomType && zoomType.Equals(ChatSessionTypes.OneOnOne, StringComparison.Ordinal)
            ? ChatSessionTypes.OneOnOne
            : ChatSessionTypes.Group;
        var members = new List<string>();
        if (element.TryGetProperty("member_emails", out var emails) && emails.ValueKind == JsonValueKind.Array)
        {
            members.AddRange(emails.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String)
                .Select(e => e.GetString()!)
                .Where(e => e.Contains('@', StringComparison.Ordinal)));
        }

        if (_sessions.TryGetValue(id, out var known))
        {
            // The same session on two pages or pulls: members merged, the later name taken.
            members = [.. known.Members.Union(members, StringComparer.OrdinalIgnoreCase)];
        }

        _sessions[id] = new ReportSession(type, Text(element, "name") ?? known?.Name, members);
    }

    private void AddEdit(JsonElement element)
    {
        if (Text(element, "id") is not { } id || Text(element, "message") is not { } text)
        {
            return;
        }

        // The latest edit wins; of two equally late, the one read last.
        var version = VersionOf(element);
        if (!_edits.TryGetValue(id, out var known) || version >= known.Version)
        {
            _edits[id] = new Edit(version, text);
        }
    }

    /// <summary>When a version of a message was written: <c>action_timestamp</c>, else <c>timestamp</c>, else 0 (ms).</summary>
    private static long VersionOf(JsonElement message) =>
        message.TryGetProperty("action_timestamp", out var action) && action.ValueKind == JsonValueKind.Number && action.TryGetInt64(out var actionMs) ? actionMs
        : message.TryGetProperty("timestamp", out var sent) && sent.ValueKind == JsonValueKind.Number && sent.TryGetInt64(out var sentMs) ? sentMs
        : 0;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static ImportRecord NotABody(long lineNumber) =>
        ImportRecord.Rejected(lineNumber, "not a body of Zoom's report API: a JSON object with a sessions or messages array");

    private sealed record ReportSession(string Type, string? Name, List<string> Members);

    private sealed record Edit(long Version, string Text);

    /// <summary>Line numbers of byte offsets, counted forward as the reader moves on.</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private long _offset;
        private long _line = 1;

        public long LineOf(long offset)
        {
            _line += bytes.AsSpan((int)_offset, (int)(offset - _offset)).Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
