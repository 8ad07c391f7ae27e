using System.Text;

namespace ZoomChat.Bench.DataGen;

/// <summary>
/// Chat message texts: mostly short lines of everyday words, a long tail up to a few KB (pasted logs),
/// with accented Latin, other scripts, emoji (ZWJ sequences, flags, skin tones) and characters that
/// JSON must escape. A pool of texts is composed once from the seed, each stored as its escaped JSON
/// literal; a line then costs one copy of a pooled text (composing each line's text word by word cost
/// more than everything else on the line together).
/// </summary>
internal sealed class MessageTextSource
{
    /// <summary>Distinct texts in the pool: enough that a session rarely repeats one, few enough to stay in cache.</summary>
    public const int PoolSize = 1 << 14;

    /// <summary>The longest message literal this source writes, quotes included.</summary>
    public const int MaxLiteralBytes = 16 * 1024;

    private const int LongPasteMinBytes = 800;
    private const int LongPasteMaxBytes = 4000;

    private static readonly string[] EnglishWords =
    [
        "the", "a", "to", "and", "of", "in", "is", "it", "for", "on", "that", "this", "we", "you", "i", "can", "be", "with",
        "have", "are", "will", "not", "do", "at", "if", "so", "but", "just", "my", "me", "get", "our", "from", "all", "was",
        "there", "they", "what", "up", "out", "about", "by", "an", "or", "when", "one", "now", "no", "yes", "ok", "some",
        "meeting", "call", "today", "tomorrow", "yesterday", "morning", "afternoon", "deadline", "release", "deploy", "build",
        "review", "please", "thanks", "sure", "sounds", "good", "great", "let", "know", "check", "update", "ticket", "issue",
        "customer", "report", "numbers", "budget", "slides", "deck", "draft", "final", "version", "sync", "standup", "sprint",
        "backlog", "roadmap", "design", "mockup", "feedback", "quick", "question", "answer", "team", "manager", "office",
        "remote", "lunch", "coffee", "break", "holiday", "vacation", "sick", "late", "early", "minutes", "hour", "week",
        "month", "quarter", "Q3", "Q4", "invoice", "contract", "legal", "approve", "approved", "signed", "pending", "blocked",
        "merged", "PR", "branch", "main", "test", "tests", "failing", "green", "red", "flaky", "server", "database", "latency",
        "outage", "incident", "postmortem", "alert", "pager", "on-call", "rollback", "hotfix", "staging", "production", "logs",
        "error", "timeout", "retry", "cache", "queue", "config", "secret", "rotate", "access", "permission", "share", "link",
        "doc", "spreadsheet", "calendar", "invite", "agenda", "notes", "recording", "zoom", "room", "Tuesday", "Friday",
        "Monday", "noon", "EOD", "ASAP", "FYI", "btw", "imo", "lgtm", "ack", "np", "ty", "thx", "hmm", "yeah", "nope", "maybe",
        "probably", "definitely", "actually", "really", "also", "still", "again", "already", "soon", "later", "here", "there",
        "looks", "fine", "works", "broken", "fixed", "done", "started", "finished", "waiting", "need", "needs", "want",
        "think", "guess", "said", "told", "asked", "send", "sent", "read", "write", "wrote", "push", "pull", "ship", "launch",
        "plan", "planning", "estimate", "scope", "risk", "priority", "urgent", "important", "minor", "major", "v2", "v3.1",
        "2x", "10%", "$1,200", "#42", "@here", "@channel", "client", "vendor", "partner", "onboarding", "training", "hiring",
        "interview", "candidate", "offer", "team's", "it's", "don't", "can't", "won't", "I'll", "we're", "let's", "that's",
    ];

    private static readonly string[] EuropeanWords =
    [
        "café", "déjà", "vu", "naïve", "résumé", "façade", "über", "schön", "grüße", "Straße", "Mädchen", "fünf", "señor",
        "mañana", "niño", "año", "olá", "não", "coração", "ação", "voilà", "très", "bien", "merci", "à", "bientôt", "ça",
        "Zürich", "København", "Łódź", "Kraków", "smörgåsbord", "crème", "brûlée", "jalapeño", "piñata", "Ångström",
    ];

    private static readonly string[] OtherScriptWords =
    [
        "こんにちは", "ありがとう", "会議", "明日", "東京", "大丈夫", "你好", "谢谢", "项目", "上海", "안녕하세요", "감사합니다",
        "привет", "спасибо", "встреча", "завтра", "Москва", "γεια", "ευχαριστώ", "Αθήνα", "مرحبا", "شكرا", "שלום", "תודה",
        "नमस्ते", "धन्यवाद", "สวัสดี", "ขอบคุณ", "Xin chào", "cảm ơn",
    ];

    private static readonly string[] Emoji =
    [
        "😀", "😂", "🙂", "😉", "😅", "🤔", "🙏", "👍", "👍🏽", "👎", "👏", "🙌", "🎉", "🚀", "🔥", "✅", "❌", "⚠️", "❤️", "💯",
        "👀", "🤷", "🤦‍♂️", "👩‍💻", "🧑‍🤝‍🧑", "🇫🇷", "🇯🇵", "🇧🇷", "☕", "🍕", "📅", "📎", "🐛", "🛠️", "💡", "⏰", "😴", "🥳",
    ];

    private static readonly string[] SpecialPieces =
    [
        "\"quoted\"", "C:\\Users\\build\\logs", "https://example.com/wiki?page=Q3&lang=en", "<b>bold</b>", "a\\b", "'single'",
        "tab\there", "50/50", "x=1;", "{\"json\":true}", "--force", "¯\\_(ツ)_/¯", "~/.ssh/config", "e.g.", "i.e.", "&amp;",
    ];

    private static readonly string[] ShortReplies =
    [
        "ok", "k", "yes", "no", "thanks!", "ty", "👍", "🎉", "lol", "+1", "sure", "np", "done", "on it", "brb", "omw", "haha",
        "ack", "nice", "agreed", "same", "?", "!!", "ok 👍", "merci", "ありがとう", "🙏", "😂", "kk", "yep",
    ];

    private static readonly string[] LogLines =
    [
        "2024-03-11 09:14:02 ERROR [worker-3] Timeout after 30000 ms calling billing-service",
        "    at Acme.Billing.Client.SendAsync(Request request) in /src/Billing/Client.cs:line 118",
        "WARN  cache miss ratio 0.42 over last 5m (threshold 0.25)",
        "SELECT id, name FROM customers WHERE region = 'EMEA' AND created_at > now() - interval '30 days';",
        "{\"level\":\"info\",\"msg\":\"request done\",\"status\":200,\"duration_ms\":12.7}",
        "Traceback (most recent call last):",
        "  File \"/app/jobs/export.py\", line 88, in run",
        "KeyError: 'session_id'",
        "Résumé des résultats : 1 234 lignes traitées, 0 rejetées ✅",
        "ログ出力: 処理が完了しました (所要時間 3.2 秒)",
    ];

    private readonly Piece[] _english = Encode(EnglishWords);
    private readonly Piece[] _european = Encode(EuropeanWords);
    private readonly Piece[] _otherScripts = Encode(OtherScriptWords);
    private readonly Piece[] _emoji = Encode(Emoji);
    private readonly Piece[] _special = Encode(SpecialPieces);
    private readonly Piece[] _shortReplies = Encode(ShortReplies);
    private readonly Piece[] _logLines = Encode(LogLines);
    private readonly byte[] _pool;
    private readonly PooledText[] _texts = new PooledText[PoolSize];
    private static readonly byte[] Space = " "u8.ToArray();
    private static readonly byte[] Comma = ", "u8.ToArray();
    private static readonly byte[] NewLine = "\\n"u8.ToArray();

    public MessageTextSource(ulong seed)
    {
        var random = new SeededRandom(SeededRandom.Mix(seed ^ 0x7E47_5000_1));
        var scratch = new byte[MaxLiteralBytes];
        var pool = new List<byte>(PoolSize * 110);
        for (var i = 0; i < PoolSize; i++)
        {
            var length = Compose(random, scratch, out var textBytes);
            _texts[i] = new PooledText(pool.Count, length, textBytes);
            pool.AddRange(scratch.AsSpan(0, length));
        }

        _pool = [.. pool];
    }

    /// <summary>A text of the pool as its quoted JSON literal; <paramref name="textBytes"/> is its UTF-8 length unescaped.</summary>
    public ReadOnlySpan<byte> Next(SeededRandom random, out int textBytes)
    {
        var text = _texts[random.Next(PoolSize)];
        textBytes = text.TextBytes;
        return _pool.AsSpan(text.Offset, text.Length);
    }

    /// <summary>
    /// Writes one message as a quoted JSON literal into <paramref name="destination"/> (at least
    /// <see cref="MaxLiteralBytes"/> long) and returns the bytes written; <paramref name="textBytes"/> is
    /// the length of the text itself in UTF-8, unescaped.
    /// </summary>
    private int Compose(SeededRandom random, Span<byte> destination, out int textBytes)
    {
        destination[0] = (byte)'"';
        var position = 1;
        textBytes = 0;
        var kind = random.NextDouble();
        if (kind < 0.07)
        {
            Append(_shortReplies[random.Next(_shortReplies.Length)], destination, ref position, ref textBytes);
        }
        else if (kind < 0.082)
        {
            // A pasted log or stack trace: lines of a few KB in all.
            var target = LongPasteMinBytes + random.Next(LongPasteMaxBytes - LongPasteMinBytes);
            while (textBytes < target)
            {
                if (textBytes > 0)
                {
                    Append(NewLine, 1, destination, ref position, ref textBytes);
                }

                Append(_logLines[random.Next(_logLines.Length)], destination, ref position, ref textBytes);
            }
        }
        else
        {
            // Log-normal lengths: a median of about 45 bytes, a few hundred now and then.
            var target = Math.Clamp((int)(45 * Math.Exp(0.9 * random.NextGaussian())), 2, 1500);
            var words = 0;
            while (textBytes < target)
            {
                if (words > 0)
                {
                    if (random.Chance(0.06))
                    {
                        Append(Comma, 2, destination, ref position, ref textBytes);
                    }
                    else
                    {
                        Append(Space, 1, destination, ref position, ref textBytes);
                    }
                }

                Append(NextWord(random), destination, ref position, ref textBytes);
                words++;
            }
        }

        destination[position++] = (byte)'"';
        return position;
    }

    private Piece NextWord(SeededRandom random)
    {
        var u = random.NextDouble();
        var pool = u switch
        {
            < 0.86 => _english,
            < 0.91 => _european,
            < 0.94 => _otherScripts,
            < 0.985 => _emoji,
            _ => _special,
        };
        return pool[random.Next(pool.Length)];
    }

    private static void Append(Piece piece, Span<byte> destination, ref int position, ref int textBytes) =>
        Append(piece.Escaped, piece.TextBytes, destination, ref position, ref textBytes);

    private static void Append(byte[] escaped, int length, Span<byte> destination, ref int position, ref int textBytes)
    {
        escaped.CopyTo(destination[position..]);
        position += escaped.Length;
        textBytes += length;
    }

    private static Piece[] Encode(string[] texts) =>
        Array.ConvertAll(texts, text => new Piece(JsonLiteral.EscapedBody(text), Encoding.UTF8.GetByteCount(text)));

    private readonly record struct Piece(byte[] Escaped, int TextBytes);

    private readonly record struct PooledText(int Offset, int Length, int TextBytes);
}
