using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Chat;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// One chat file saved by the Zoom client, as import records (docs/import-formats.md#zoom-txt). The
/// file is one <c>Group</c> session; each private message goes to the <c>1:1</c> session of its two
/// people. Ids come from the SHA-256 of the file's bytes, so that importing it again stores nothing
/// new: the session <c>zoom-txt-KEY</c>, message <c>zoom-txt-KEY-LINE</c> (KEY: the hash's first 16
/// hex digits; LINE: where the message starts). The file is read twice, to hash it and then to read
/// it, holding one message in memory at a time. Reactions are counted in <see cref="Reactions"/>,
/// never stored.
/// </summary>
/// <param name="name">The file as the user named it; its name, less extensions, names the session.</param>
/// <param name="open">Opens the file's bytes, once per reading.</param>
internal sealed partial class ZoomTxtImport(ZoomTxtSettings settings, string name, Func<Stream> open)
{
    /// <summary>The longest message taken, in characters, and the longest line, in bytes.</summary>
    public const int MaxMessageChars = 16 * 1024 * 1024;

    private readonly HashSet<string> _senders = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reactions read so far: each person's reaction in variant E, each reaction line in variant C.</summary>
    public long Reactions { get; private set; }

    /// <summary>The session a file of this name would get by default.</summary>
    public static string DefaultGroupName(string name)
    {
        if (name == "-")
        {
            return "Zoom chat";
        }

        var fileName = Path.GetFileName(name);
        if (fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            fileName = fileName[..^3];
        }

        return Path.GetFileNameWithoutExtension(fileName) is { Length: > 0 } stem ? stem : fileName;
    }

    public async IAsyncEnumerable<ImportRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string key;
        await using (var whole = open())
        {
            key = Convert.ToHexStringLower((await SHA256.HashDataAsync(whole, cancellationToken)).AsSpan(0, 8));
        }

        var file = new FileContext(
            key,
            settings.SessionId ?? $"zoom-txt-{key}",
            settings.GroupName ?? DefaultGroupName(name),
            new ZoomTxtClock(settings.TimeZone, settings.Date, settings.Start));
        await using var stream = open();
        var reader = new NdjsonLineReader(stream, MaxMessageChars);
        ZoomTxtVariant? variant = null;
        PendingMessage? pending = null;
        while (await reader.ReadLineAsync(cancellationToken))
        {
            var lineNumber = reader.LineNumber;
            if (reader.LineTooLong)
            {
                if (pending is null)
                {
                    yield return ImportRecord.Rejected(lineNumber, ImportReasons.TooLong(reader.MaxLineBytes));
                }
                else
                {
                    pending.Problem ??= $"line {lineNumber} is longer than {reader.MaxLineBytes} bytes";
                }

                continue;
            }

            var line = Encoding.UTF8.GetString(reader.Line.Span);
            if (ZoomTxtHeader.TryRead(line, variant, out var header))
            {
                if (pending is not null)
                {
                    yield return Complete(file, pending);
                }

                if (variant is null)
                {
                    settings.CheckFor(header.Variant);
                    variant = header.Variant;
                }

                pending = new PendingMessage(lineNumber, header);
            }
            else if (pending is not null)
            {
                pending.Add(line);
            }
            else
            {
                yield return string.IsNullOrWhiteSpace(line)
                    ? ImportRecord.Blank(lineNumber)
                    : ImportRecord.Rejected(lineNumber, "no message has started: a Zoom chat message starts with its time (HH:MM:SS From Name ...)");
            }
        }

        if (pending is not null)
        {
            yield return Complete(file, pending);
        }
    }

    /// <summary>The variant of the first line of <paramref name="text"/> (the start of a file) that starts a message, if any.</summary>
    public static ZoomTxtVariant? DetectVariant(string text)
    {
        foreach (var line in text.TrimStart('\uFEFF').Split('\n'))
        {
            if (ZoomTxtHeader.TryRead(line.TrimEnd('\r'), null, out var header))
            {
                return header.Variant;
            }
        }

        return null;
    }

    private ImportRecord Complete(FileContext file, PendingMessage message)
    {
        var header = message.Header;
        var lineNumber = message.LineNumber;
        if (message.Problem is { } problem)
        {
            return ImportRecord.Rejected(lineNumber, problem);
        }

        if (!header.HasValidTime)
        {
            return ImportRecord.Rejected(lineNumber, $"'{header.TimeText}' is not a time of day");
        }

        // Every stamp moves the clock, a reaction's too: it may be the one that passes midnight.
        var time = new TimeOnly(header.Hours % 24, header.Minutes, header.Seconds);
        long instant;
        try
        {
            instant = header.Variant switch
            {
                ZoomTxtVariant.Recording => file.Clock.PlaceElapsed(new TimeSpan(header.Hours, header.Minutes, header.Seconds)),
                ZoomTxtVariant.Dated => file.Clock.PlaceLocal(header.Date!.Value, time),
                _ => file.Clock.PlaceTimeOfDay(time),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            // The calendar ends before the clock does: a day after 9999-12-31 or before 0001-01-01.
            instant = long.MaxValue;
        }

        if (instant is < ZoomDate.MinUnixMs or > ZoomDate.MaxUnixMs)
        {
            return ImportRecord.Rejected(lineNumber, $"'{header.TimeText}' falls outside the years 1 to 9999 in UTC (see --date, --start)");
        }

        var lines = message.TextLines();
        if (header.Variant == ZoomTxtVariant.Dated)
        {
            while (lines.Count > 1 && ReactorsOn(lines[^1]) is { } reactors)
            {
                Reactions += reactors;
                lines.RemoveAt(lines.Count - 1);
                PendingMessage.TrimBlankEnds(lines);
            }
        }

        if (lines.Count == 1 && ReactionPattern().IsMatch(lines[0]))
        {
            Reactions++;
            return ImportRecord.Blank(lineNumber);
        }

        // A reply starts with a quote of what it answers; the reply keeps only its own text.
        if (lines.Count > 1 && ReplyPattern().IsMatch(lines[0]))
        {
            lines.RemoveAt(0);
            PendingMessage.TrimBlankEnds(lines);
        }

        // Zoom writes a line break inside a message as a bare CR (variants A and B): stored as LF.
        var text = string.Join('\n', lines).Replace('\r', '\n');
        if (ZoomTxtAddress.Read(header.Head, IsKnownName) is not { } address)
        {
            return ImportRecord.Rejected(lineNumber, $"private message names no recipient: '{ImportReasons.Echo(header.Head)}'");
        }

        if (FindEmail(address.Sender, out var problemOfSender) is not { } sender)
        {
            return ImportRecord.Rejected(lineNumber, problemOfSender!);
        }

        _senders.Add(DisplayNameEmails.Normalize(address.Sender));
        string sessionId;
        string type;
        string? groupName;
        string[] participants;
        if (address.Recipient is { } recipientName)
        {
            if (FindEmail(recipientName, out var problemOfRecipient) is not { } recipient)
            {
                return ImportRecord.Rejected(lineNumber, problemOfRecipient!);
            }

            (sessionId, type, groupName, participants) = ($"{file.SessionId}-dm-{PairKey(sender, recipient)}", ChatSessionTypes.OneOnOne, null, [sender, recipient]);
        }
        else
        {
            (sessionId, type, groupName, participants) = (file.SessionId, ChatSessionTypes.Group, file.GroupName, [sender]);
        }

        return InterchangeLine.TryCreate(
            account: null,
            sessionId,
            type,
            groupName,
            participants,
            $"zoom-txt-{file.Key}-{lineNumber}",
            sender,
            DateTimeOffset.FromUnixTimeMilliseconds(instant).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            text,
            out var line,
            out var lineProblem)
            ? ImportRecord.Of(lineNumber, line)
            : ImportRecord.Rejected(lineNumber, lineProblem);
    }

    private string? FindEmail(string displayName, out string? problem)
    {
        problem = null;
        if (settings.Emails.Find(displayName) is { } email)
        {
            return email;
        }

        problem = $"no e-mail for '{ImportReasons.Echo(displayName)}': the people file does not name them (add them, or give --email-domain)";
        return null;
    }

    private bool IsKnownName(string displayName) =>
        settings.Emails.Knows(displayName) || _senders.Contains(DisplayNameEmails.Normalize(displayName));

    /// <summary>How many people a reaction line of variant E names (<c>Ann, Bob:👍</c>), or <see langword="null"/> if it is not one.</summary>
    private static int? ReactorsOn(string line)
    {
        var match = ReactorsPattern().Match(line);
        if (!match.Success || !match.Groups["emoji"].Value.EnumerateRunes().All(r => r.Value > 0x7F && !Rune.IsLetterOrDigit(r) && !Rune.IsWhiteSpace(r)))
        {
            return null;
        }

        var names = match.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return names.Length == 0 ? null : names.Length;
    }

    /// <summary>The first 12 hex digits of the SHA-256 of the two e-mails, sorted: the same for both directions.</summary>
    private static string PairKey(string first, string second)
    {
        var pair = string.CompareOrdinal(first, second) <= 0 ? $"{first}\n{second}" : $"{second}\n{first}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pair)).AsSpan(0, 6));
    }

    [GeneratedRegex("""^(?:Reacted to ".*" with .+|Removed a .+ reaction from ".*")$""", RegexOptions.CultureInvariant)]
    private static partial Regex ReactionPattern();

    [GeneratedRegex("""^Replying to ".*"\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPattern();

    [GeneratedRegex(@"^(?<names>[^\t:]+):(?<emoji>\S+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ReactorsPattern();

    private sealed record FileContext(string Key, string SessionId, string GroupName, ZoomTxtClock Clock);

    /// <summary>A message being read: its header and the lines after it, up to the next header.</summary>
    private sealed class PendingMessage(long lineNumber, ZoomTxtHeader header)
    {
        private readonly List<string> _lines = [];
        private long _chars = header.Text?.Length ?? 0;

        public long LineNumber { get; } = lineNumber;

        public ZoomTxtHeader Header { get; } = header;

        public string? Problem { get; set; }

        public void Add(string line)
        {
            _chars += line.Length + 1;
            if (_chars > MaxMessageChars)
            {
                Problem ??= $"message is longer than {MaxMessageChars} characters";
                return;
            }

            _lines.Add(line);
        }

        /// <summary>
        /// The message's lines: in variants A, B and D the header's text and the lines after it; in C
        /// and E the lines after the header, less one leading tab each. Blank lines at either end are
        /// separators, not text.
        /// </summary>
        public List<string> TextLines()
        {
            List<string> lines;
            if (Header.Text is { } first)
            {
                lines = [first, .. _lines];
                TrimBlankEnds(lines, keepFirst: true);
            }
            else
            {
                lines = [.. _lines.Select(l => l.StartsWith('\t') ? l[1..] : l)];
                TrimBlankEnds(lines);
            }

            return lines.Count == 0 ? [string.Empty] : lines;
        }

        public static void TrimBlankEnds(List<string> lines, bool keepFirst = false)
        {
            while (lines.Count > (keepFirst ? 1 : 0) && string.IsNullOrWhiteSpace(lines[^1]))
            {
                lines.RemoveAt(lines.Count - 1);
            }

            while (!keepFirst && lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
            {
                lines.RemoveAt(0);
            }
        }
    }
}
