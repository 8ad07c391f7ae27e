using System.Text;
using System.Text.Json;

namespace ZoomChat.Bench.DataGen;

/// <summary>
/// Writes the planned archive as interchange NDJSON (docs/import-formats.md#the-interchange-format), keys in the order an
/// export writes them, lines in time order across all sessions, as a log or a live export would be.
/// A clock walks through time: sessions open when it reaches their first message and take turns
/// by the time of their next one.
/// </summary>
/// <remarks>
/// Lines are UTF-8 copied straight into one buffer from pieces encoded once: a line is the session's
/// ready-made start (account, id, type, name, participants: the same on each of its lines), then its
/// own id, sender, time and text. No string is made per line. Writing each key and value through
/// Utf8JsonWriter costs far more CPU per line, and the generator must write millions of lines quickly.
/// </remarks>
internal sealed class NdjsonArchiveWriter(ArchivePlan plan)
{
    // Small enough to stay in the CPU's cache between the lines written into it and the write that copies it out.
    private const int FlushBytes = 256 * 1024;
    private const int MaxLineBytes = 64 * 1024;
    private const double BurstChance = 0.03;

    private static readonly byte[] AccountKey = Key("{", "account");
    private static readonly byte[] SessionIdKey = Key(",", "session_id");
    private static readonly byte[] TypeKey = Key(",", "type");
    private static readonly byte[] GroupNameKey = Key(",", "group_name");
    private static readonly byte[] ParticipantsKey = Key(",", "participants");
    private static readonly byte[] MessageIdKey = [.. Key(",", "message_id"), (byte)'"'];
    private static readonly byte[] SenderKey = [(byte)'"', .. Key(",", "sender")];
    private static readonly byte[] DateTimeKey = [.. Key(",", "date_time"), (byte)'"'];
    private static readonly byte[] MessageKey = [(byte)'"', .. Key(",", "message")];
    private static readonly byte[] LineEnd = "}\n"u8.ToArray();
    private static readonly byte[] GroupType = JsonLiteral.Quoted("Group");
    private static readonly byte[] OneOnOneType = JsonLiteral.Quoted("1:1");

    private readonly MessageTextSource _texts = new(plan.Settings.Seed);
    private byte[] _buffer = [];
    private readonly byte[] _datePrefix = new byte[11];
    private readonly ulong _messageIdKey = SeededRandom.Mix(plan.Settings.Seed ^ 0x3E55A6E1D);
    private int _position;
    private long _cachedDay = long.MinValue;

    /// <summary>UTF-8 lengths of message texts, for the typical size that the baseline copies.</summary>
    public long[] TextLengthHistogram { get; } = new long[MessageTextSource.MaxLiteralBytes + 1];

    public long BytesWritten { get; private set; }

    public void Write(Stream output)
    {
        using var writer = new BackgroundWriter(output, FlushBytes + MaxLineBytes);
        _buffer = writer.Rent();
        var open = new PriorityQueue<ActiveSession, long>();
        var nextToOpen = 0;
        long sequence = 0;
        var endMs = ArchivePlan.EndMs - 1;
        while (nextToOpen < plan.SessionCount || open.Count > 0)
        {
            while (nextToOpen < plan.SessionCount
                && (!open.TryPeek(out _, out var due) || plan.StartMsOf[nextToOpen] <= due))
            {
                var opened = new ActiveSession(plan, nextToOpen);
                opened.LinePrefix = LinePrefix(opened);
                open.Enqueue(opened, plan.StartMsOf[nextToOpen]);
                nextToOpen++;
            }

            var session = open.Dequeue();
            // Now and then several messages share one millisecond (a paste split in parts, a bot).
            var burst = session.Remaining > 1 && session.Random.Chance(BurstChance) ? Math.Min(session.Remaining, 2 + session.Random.Next(4)) : 1;
            for (var i = 0; i < burst; i++)
            {
                WriteLine(session, sequence++);
                if (_position >= FlushBytes)
                {
                    writer.Submit(_buffer, _position);
                    BytesWritten += _position;
                    _buffer = writer.Rent();
                    _position = 0;
                }
            }

            var account = session.Account;
            account.Messages += burst;
            account.FirstMs = Math.Min(account.FirstMs, session.NextMs);
            account.LastMs = Math.Max(account.LastMs, session.NextMs);
            session.Remaining -= burst;
            if (session.Remaining > 0)
            {
                session.NextMs = Math.Min(endMs, session.NextMs + session.NextGapMs());
                open.Enqueue(session, session.NextMs);
            }
            else
            {
                plan.LastMsOf[session.Index] = session.NextMs;
            }
        }

        writer.Submit(_buffer, _position);
        BytesWritten += _position;
        _position = 0;
        writer.Complete();
    }

    /// <summary>What every line of the session starts with, up to the opening quote of its message_id.</summary>
    private static byte[] LinePrefix(ActiveSession session)
    {
        var prefix = new List<byte>(256);
        prefix.AddRange(AccountKey);
        prefix.AddRange(session.Account.JsonName);
        prefix.AddRange(SessionIdKey);
        prefix.AddRange(session.JsonId);
        prefix.AddRange(TypeKey);
        prefix.AddRange(session.OneOnOne ? OneOnOneType : GroupType);
        if (session.JsonGroupName is { } groupName)
        {
            prefix.AddRange(GroupNameKey);
            prefix.AddRange(groupName);
        }

        prefix.AddRange(ParticipantsKey);
        prefix.AddRange(session.JsonParticipants);
        prefix.AddRange(MessageIdKey);
        return [.. prefix];
    }

    private void WriteLine(ActiveSession session, long sequence)
    {
        var line = _buffer.AsSpan(_position);
        var at = Copy(session.LinePrefix, line, 0);
        var high = SeededRandom.Mix((ulong)sequence ^ _messageIdKey);
        Uuid.Write(high, SeededRandom.Mix(high + 0x7F4A7C15), line[at..]);
        at += Uuid.Length;
        at = Copy(SenderKey, line, at);
        at = Copy(session.Account.JsonEmails[session.NextSender()], line, at);
        at = Copy(DateTimeKey, line, at);
        WriteDateTime(session.NextMs, line[at..]);
        at += 24;
        at = Copy(MessageKey, line, at);
        var text = _texts.Next(session.Random, out var textBytes);
        text.CopyTo(line[at..]);
        at += text.Length;
        at = Copy(LineEnd, line, at);
        _position += at;
        TextLengthHistogram[textBytes]++;
    }

    private static int Copy(ReadOnlySpan<byte> piece, Span<byte> line, int at)
    {
        piece.CopyTo(line[at..]);
        return at + piece.Length;
    }

    private static byte[] Key(string before, string name) =>
        [.. Encoding.UTF8.GetBytes(before), (byte)'"', .. JsonEncodedText.Encode(name).EncodedUtf8Bytes, (byte)'"', (byte)':'];

    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, the response time format (docs/api.md#responses); the date part is cached.</summary>
    private void WriteDateTime(long ms, Span<byte> destination)
    {
        var day = Math.DivRem(ms, 86_400_000L, out var inDay);
        if (day != _cachedDay)
        {
            _cachedDay = day;
            var date = DateOnly.FromDayNumber((int)(day + DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber));
            Digits(date.Year, _datePrefix.AsSpan(0, 4));
            _datePrefix[4] = (byte)'-';
            Digits(date.Month, _datePrefix.AsSpan(5, 2));
            _datePrefix[7] = (byte)'-';
            Digits(date.Day, _datePrefix.AsSpan(8, 2));
            _datePrefix[10] = (byte)'T';
        }

        _datePrefix.CopyTo(destination);
        var seconds = Math.DivRem(inDay, 1000L, out var millis);
        Digits(seconds / 3600, destination.Slice(11, 2));
        destination[13] = (byte)':';
        Digits(seconds / 60 % 60, destination.Slice(14, 2));
        destination[16] = (byte)':';
        Digits(seconds % 60, destination.Slice(17, 2));
        destination[19] = (byte)'.';
        Digits(millis, destination.Slice(20, 3));
        destination[23] = (byte)'Z';
    }

    private static void Digits(long value, Span<byte> destination)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
