namespace ZoomChat.Bench.DataGen;

/// <summary>
/// A session while the writer's clock is inside its period. Everything random about it (members,
/// name, gaps, senders, texts) comes from its own generator, seeded from the archive's seed and the
/// session's number, so a session's content does not depend on which others run beside it.
/// </summary>
internal sealed class ActiveSession
{
    private const double QuickReplyShare = 0.7;
    private const double QuickReplyMeanMs = 15_000;

    private static readonly string[] Topics =
    [
        "Design", "Backend", "Frontend", "Sales EMEA", "Sales APAC", "Support", "On-call", "Random", "Marketing 🚀",
        "Q3 planning", "Hiring", "Finance", "Legal", "Data", "Mobile", "Infra", "Security", "Book club 📚", "Équipe Paris",
        "東京オフィス", "Команда Берлин", "Produkt & Qualität", "Launch 🎉", "Customer success", "Leadership", "Interns",
        "Onboarding", "Release train", "War room 🔥", "Coffee ☕",
    ];

    private static readonly string[] Suffixes = ["", "", "", " team", " sync", " 2023", " (old)", " – internal", " weekly", " core"];

    private static readonly byte[][] GroupNames = [.. Topics.SelectMany(topic => Suffixes.Select(suffix => JsonLiteral.Quoted(topic + suffix)))];

    private readonly double _meanGapMs;
    private int _lastSender = -1;

    public ActiveSession(ArchivePlan plan, int index)
    {
        Index = index;
        Account = plan.Accounts[plan.AccountOf[index]];
        Random = new SeededRandom(SeededRandom.Mix(plan.Settings.Seed ^ SeededRandom.Mix((ulong)index + 0x5E55_10_4E)));
        Remaining = plan.MessagesOf[index];
        NextMs = plan.StartMsOf[index];
        // Gaps average out so that the messages fit the period with room to spare (three deviations).
        _meanGapMs = Math.Max(1.0, plan.SpanMsOf[index] / (Remaining + (3.0 * Math.Sqrt(Remaining))));
        JsonId = plan.JsonSessionId(index);
        OneOnOne = plan.OneOnOne[index];
        Participants = DrawParticipants(plan.MessagesOf[index]);
        foreach (var user in Participants)
        {
            Account.TookPart[user] = true;
        }

        JsonParticipants = ParticipantsLiteral();
        if (!OneOnOne)
        {
            JsonGroupName = GroupNames[Random.Next(GroupNames.Length)];
        }
    }

    public int Index { get; }

    public PlannedAccount Account { get; }

    public SeededRandom Random { get; }

    public bool OneOnOne { get; }

    public byte[] JsonId { get; }

    public byte[]? JsonGroupName { get; }

    public int[] Participants { get; }

    public byte[] JsonParticipants { get; }

    /// <summary>What each of its lines starts with; the writer makes it once.</summary>
    public byte[] LinePrefix { get; set; } = [];

    public int Remaining { get; set; }

    public long NextMs { get; set; }

    /// <summary>The next sender: a 1:1 mostly alternates; in a group a few members do most of the talking.</summary>
    public int NextSender()
    {
        int sender;
        if (OneOnOne)
        {
            sender = _lastSender < 0 ? Participants[Random.Next(2)]
                : Random.Chance(0.65) ? Participants[_lastSender == Participants[0] ? 1 : 0]
                : _lastSender;
        }
        else
        {
            var u = Random.NextDouble();
            sender = Participants[(int)(Participants.Length * u * u)];
        }

        _lastSender = sender;
        return sender;
    }

    /// <summary>Time to the next message: most come within seconds of the last, the rest after a longer pause.</summary>
    public long NextGapMs()
    {
        double gap;
        if (_meanGapMs > 4 * QuickReplyMeanMs)
        {
            var longMean = (_meanGapMs - (QuickReplyShare * QuickReplyMeanMs)) / (1 - QuickReplyShare);
            gap = Random.Chance(QuickReplyShare) ? Random.NextExponential(QuickReplyMeanMs) : Random.NextExponential(longMean);
        }
        else
        {
            gap = Random.NextExponential(_meanGapMs);
        }

        return Math.Max(1, (long)gap);
    }

    /// <summary>The members as a JSON array, sorted by e-mail as an export writes them (docs/import-formats.md#the-interchange-format).</summary>
    private byte[] ParticipantsLiteral()
    {
        var sorted = (int[])Participants.Clone();
        var ranks = Account.EmailRank;
        for (var i = 1; i < sorted.Length; i++)
        {
            var user = sorted[i];
            var j = i - 1;
            for (; j >= 0 && ranks[sorted[j]] > ranks[user]; j--)
            {
                sorted[j + 1] = sorted[j];
            }

            sorted[j + 1] = user;
        }

        var emails = Account.JsonEmails;
        var length = 1 + sorted.Length;
        foreach (var user in sorted)
        {
            length += emails[user].Length;
        }

        var literal = new byte[length];
        literal[0] = (byte)'[';
        var position = 1;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i > 0)
            {
                literal[position++] = (byte)',';
            }

            emails[sorted[i]].CopyTo(literal, position);
            position += emails[sorted[i]].Length;
        }

        literal[position] = (byte)']';
        return literal;
    }

    private int[] DrawParticipants(int messages)
    {
        var users = Account.Emails.Length;
        var count = OneOnOne
            ? 2
            : Math.Min(users, 3 + (int)(Math.Pow(Random.NextDouble(), 2) * Math.Min(27, 1.5 * Math.Log2(messages + 1))));
        var chosen = new int[count];
        for (var i = 0; i < count; i++)
        {
            var user = Account.DrawUser(Random);
            for (var attempt = 0; attempt < 64 && Array.IndexOf(chosen, user, 0, i) >= 0; attempt++)
            {
                user = attempt < 32 ? Account.DrawUser(Random) : Random.Next(users);
            }

            while (Array.IndexOf(chosen, user, 0, i) >= 0)
            {
                user = (user + 1) % users;
            }

            chosen[i] = user;
        }

        return chosen;
    }
}
