using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Chat;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// One line of the interchange format (docs/import-formats.md#the-interchange-format), checked and normalised: e-mails
/// lower-case, participants without repeats, empty <c>message_id</c> and <c>sender</c> read as absent
/// (<c>chat/get</c> itself sends an empty sender for an unknown one), JSON null read as absent.
/// </summary>
internal sealed record InterchangeLine(
    string? Account,
    string SessionId,
    string? Type,
    string? GroupName,
    IReadOnlyList<string> Participants,
    string? MessageId,
    string? Sender,
    long DateTimeMs,
    string Text)
{
    [Flags]
    private enum Field
    {
        None = 0,
        Account = 1,
        SessionId = 2,
        Type = 4,
        GroupName = 8,
        Participants = 16,
        MessageId = 32,
        Sender = 64,
        DateTime = 128,
        Message = 256,
    }

    // UTF-8, so that a property name is compared without transcoding it (an import reads millions).
    private static readonly (byte[] Utf8, string Name, Field Field)[] KnownFields =
    [
        ("account"u8.ToArray(), InterchangeFields.Account, Field.Account),
        ("session_id"u8.ToArray(), InterchangeFields.SessionId, Field.SessionId),
        ("type"u8.ToArray(), InterchangeFields.Type, Field.Type),
        ("group_name"u8.ToArray(), InterchangeFields.GroupName, Field.GroupName),
        ("participants"u8.ToArray(), InterchangeFields.Participants, Field.Participants),
        ("message_id"u8.ToArray(), InterchangeFields.MessageId, Field.MessageId),
        ("sender"u8.ToArray(), InterchangeFields.Sender, Field.Sender),
        ("date_time"u8.ToArray(), InterchangeFields.DateTime, Field.DateTime),
        ("message"u8.ToArray(), InterchangeFields.Message, Field.Message),
    ];

    private static readonly SearchValues<char> UpperCaseAscii = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>The longest value read through <see cref="RepeatedStrings"/> or parsed in place, in UTF-8 bytes.</summary>
    private const int MaxInPlaceBytes = 256;

    /// <summary>Reads one line; on failure <paramref name="problem"/> says why, as a short sentence.</summary>
    /// <param name="repeated">The reader's strings that lines repeat, shared by the lines it reads.</param>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8, RepeatedStrings repeated, [NotNullWhen(true)] out InterchangeLine? line, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            problem = Read(utf8, repeated, out line);
        }
        catch (JsonException e)
        {
            (line, problem) = (null, ImportReasons.NotJson(e.BytePositionInLine ?? 0));
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString: invalid UTF-8, or an escaped lone surrogate.
            (line, problem) = (null, ImportReasons.BadText);
        }

        return line is not null;
    }

    private static string? Read(ReadOnlySpan<byte> utf8, RepeatedStrings repeated, out InterchangeLine? line)
    {
        line = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ImportReasons.NotAnObject;
        }

        string? account = null, sessionId = null, type = null, groupName = null, messageId = null, sender = null, dateTime = null, text = null;
        long? dateTimeMs = null;
        IReadOnlyList<string> participants = [];
        var seen = Field.None;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Identify(ref reader, out var name);
            if ((seen & field) != 0)
            {
                return ImportReasons.GivenTwice(name);
            }

            seen |= field;
            reader.Read();
            string? problem = null;
            switch (field)
            {
                case Field.Account: problem = ReadString(ref reader, name, repeated, out account); break;
                case Field.SessionId: problem = ReadString(ref reader, name, repeated, out sessionId); break;
                case Field.Type: problem = ReadString(ref reader, name, repeated, out type); break;
                case Field.GroupName: problem = ReadString(ref reader, name, repeated, out groupName); break;
                case Field.Participants: problem = ReadParticipants(ref reader, repeated, out participants); break;
                case Field.MessageId: problem = ReadString(ref reader, name, repeated: null, out messageId); break;
                case Field.Sender: problem = ReadString(ref reader, name, repeated, out sender, email: true); break;
                case Field.DateTime: problem = ReadDateTime(ref reader, out dateTime, out dateTimeMs); break;
                case Field.Message: problem = ReadString(ref reader, name, repeated: null, out text); break;
                default: reader.Skip(); break;
            }

            if (problem is not null)
            {
                return problem;
            }
        }

        // Throws on anything after the object; a line holds one message.
        reader.Read();
        return Check(account, sessionId, type, groupName, participants, messageId, sender, dateTime, dateTimeMs, text, out line);
    }

    /// <summary>
    /// A line from the fields of another format (docs/import-formats.md), with the same checks and normalisation as a
    /// parsed NDJSON line: a field left out is <see langword="null"/>; participants are e-mails.
    /// </summary>
    public static bool TryCreate(
        string? account,
        string? sessionId,
        string? type,
        string? groupName,
        IEnumerable<string> participants,
        string? messageId,
        string? sender,
        string? dateTime,
        string? message,
        [NotNullWhen(true)] out InterchangeLine? line,
        [NotNullWhen(false)] out string? problem)
    {
        line = null;
        var emails = new List<string>();
        HashSet<string>? seen = null;
        foreach (var participant in participants)
        {
            var email = LowerCase(participant);
            if (email.Length == 0)
            {
                problem = ImportReasons.EmptyParticipant;
                return false;
            }

            AddOnce(emails, ref seen, email);
        }

        problem = Check(account, sessionId, type, groupName, emails, messageId, sender, dateTime, null, message, out line);
        return line is not null;
    }

    private static string? Check(
        string? account,
        string? sessionId,
        string? type,
        string? groupName,
        IReadOnlyList<string> participants,
        string? messageId,
        string? sender,
        string? dateTime,
        long? dateTimeMs,
        string? text,
        out InterchangeLine? line)
    {
        line = null;
        if (account is { Length: 0 })
        {
            return ImportReasons.Empty(InterchangeFields.Account);
        }

        if (sessionId is null)
        {
            return ImportReasons.Required(InterchangeFields.SessionId);
        }

        if (sessionId.Length == 0)
        {
            return ImportReasons.Empty(InterchangeFields.SessionId);
        }

        if (dateTime is null && dateTimeMs is null)
        {
            return ImportReasons.Required(InterchangeFields.DateTime);
        }

        if (text is null)
        {
            return ImportReasons.Required(InterchangeFields.Message);
        }

        if (type is not (null or ChatSessionTypes.Group or ChatSessionTypes.OneOnOne))
        {
            return ImportReasons.BadType(type);
        }

        if (dateTimeMs is null)
        {
            if (!ZoomDate.TryParse(dateTime!, out var parsedMs, out var dateOnly))
            {
                return ImportReasons.BadDateTime(dateTime!);
            }

            if (dateOnly)
            {
                return ImportReasons.DateWithoutTime(dateTime!);
            }

            dateTimeMs = parsedMs;
        }

        sender = string.IsNullOrEmpty(sender) ? null : LowerCase(sender);
        messageId = string.IsNullOrEmpty(messageId) ? null : messageId;
        line = new InterchangeLine(account, sessionId, type, groupName, participants, messageId, sender, dateTimeMs.Value, text);
        return null;
    }

    private static Field Identify(ref Utf8JsonReader reader, out string name)
    {
        foreach (var (utf8, knownName, field) in KnownFields)
        {
            if (reader.ValueTextEquals(utf8))
            {
                name = knownName;
                return field;
            }
        }

        // Keys of later versions or other tools are ignored.
        name = string.Empty;
        return Field.None;
    }

    /// <param name="repeated">Where the value is looked up if lines repeat it; <see langword="null"/> for a value of its own.</param>
    /// <param name="email">Whether the value is an e-mail, read in lower case.</param>
    private static string? ReadString(ref Utf8JsonReader reader, string name, RepeatedStrings? repeated, out string? value, bool email = false)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                value = repeated is null ? reader.GetString() : GetRepeated(ref reader, repeated, email);
                return null;
            default:
                return ImportReasons.NotAString(name);
        }
    }

    private static string GetRepeated(ref Utf8JsonReader reader, RepeatedStrings repeated, bool email)
    {
        // Unescaped, a string has no more UTF-16 chars than its UTF-8 bytes.
        if (reader.ValueSpan.Length > MaxInPlaceBytes)
        {
            var value = reader.GetString()!;
            return email ? LowerCase(value) : value;
        }

        Span<char> chars = stackalloc char[MaxInPlaceBytes];
        chars = chars[..reader.CopyString(chars)];
        if (email && !IsLowerCase(chars))
        {
            Span<char> lower = stackalloc char[chars.Length];
            chars.ToLowerInvariant(lower);
            return repeated.Get(lower);
        }

        return repeated.Get(chars);
    }

    /// <summary>Parses a <c>date_time</c> in place; one that does not parse is kept as text, for the problem to quote.</summary>
    private static string? ReadDateTime(ref Utf8JsonReader reader, out string? text, out long? unixMs)
    {
        (text, unixMs) = (null, null);
        if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= MaxInPlaceBytes)
        {
            Span<char> chars = stackalloc char[MaxInPlaceBytes];
            if (ZoomDate.TryParseDateTime(chars[..reader.CopyString(chars)], out var parsed))
            {
                unixMs = parsed;
                return null;
            }
        }

        return ReadString(ref reader, InterchangeFields.DateTime, repeated: null, out text);
    }

    private static string? ReadParticipants(ref Utf8JsonReader reader, RepeatedStrings repeated, out IReadOnlyList<string> participants)
    {
        participants = [];
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return ImportReasons.ParticipantsNotStrings;
        }

        var gathered = repeated.Gathered;
        gathered.Clear();
        HashSet<string>? seen = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return ImportReasons.ParticipantsNotStrings;
            }

            var email = GetRepeated(ref reader, repeated, email: true);
            if (email.Length == 0)
            {
                return ImportReasons.EmptyParticipant;
            }

            AddOnce(gathered, ref seen, email, repeated.GatheredSet);
        }

        participants = repeated.Get(gathered);
        return null;
    }

    /// <summary>The e-mail in lower case; most already are, and then no copy is made.</summary>
    private static string LowerCase(string email) => IsLowerCase(email) ? email : email.ToLowerInvariant();

    // Not ContainsAnyInRange('A', 'Z'): a trace of an import showed it boxing its chars.
    private static bool IsLowerCase(ReadOnlySpan<char> email) => System.Text.Ascii.IsValid(email) && !email.ContainsAny(UpperCaseAscii);

    /// <summary>
    /// Adds the e-mail unless the list has it. Most lists are short, and a linear search costs less
    /// than building a set for every line; a long one gets a set once it passes 16.
    /// </summary>
    /// <param name="spare">A set to use, emptied first, rather than a new one.</param>
    private static void AddOnce(List<string> emails, ref HashSet<string>? seen, string email, HashSet<string>? spare = null)
    {
        if (seen is null && emails.Count >= 16)
        {
            seen = spare ?? new HashSet<string>(StringComparer.Ordinal);
            seen.Clear();
            seen.UnionWith(emails);
        }

        if (seen is null ? !emails.Contains(email, StringComparer.Ordinal) : seen.Add(email))
        {
            emails.Add(email);
        }
    }
}
