using System.Text;

namespace ZoomChat.Bench.DataGen;

/// <summary>
/// The shape of the archive, decided before any line is written: accounts and their users, and
/// for every session its account, type, message count and active period. Sizes follow a capped
/// power law (most sessions have a handful of messages, a few have hundreds of thousands); a
/// session's period grows with its size, from hours to the whole four years. Sessions are kept in
/// order of their first message, so the writer can open them as its clock reaches them.
/// </summary>
internal sealed class ArchivePlan
{
    private const double MillisecondsPerDay = 86_400_000;
    private const double SizeTailExponent = 1.15;
    private const int SampleSessionsPerAccount = 100;
    private const int BigSessionsPerAccount = 5;
    private const int MediumSessionsPerAccount = 10;

    private ArchivePlan(GeneratorSettings settings, PlannedAccount[] accounts, int count)
    {
        Settings = settings;
        Accounts = accounts;
        AccountOf = new int[count];
        MessagesOf = new int[count];
        StartMsOf = new long[count];
        SpanMsOf = new long[count];
        OneOnOne = new bool[count];
        LastMsOf = new long[count];
    }

    public GeneratorSettings Settings { get; }

    public PlannedAccount[] Accounts { get; }

    public int SessionCount => AccountOf.Length;

    public int[] AccountOf { get; }

    public int[] MessagesOf { get; }

    public long[] StartMsOf { get; }

    public long[] SpanMsOf { get; }

    public bool[] OneOnOne { get; }

    /// <summary>Each session's last message, filled in by the writer.</summary>
    public long[] LastMsOf { get; }

    /// <summary>Per account: its largest sessions, some of 100 to 5,000 messages, and a uniform sample of all.</summary>
    public List<int>[] BigSessions { get; private set; } = [];

    public List<int>[] MediumSessions { get; private set; } = [];

    public List<int>[] SampleSessions { get; private set; } = [];

    public static long EndMs => GeneratorSettings.End.ToUnixTimeMilliseconds();

    public static ArchivePlan Create(GeneratorSettings settings)
    {
        var random = new SeededRandom(SeededRandom.Mix(settings.Seed ^ 0x9A11_0F_5E55_1075));

        // Accounts of unequal size: the first holds the most.
        var weights = Enumerable.Range(0, settings.Accounts).Select(a => 1.0 / Math.Pow(a + 1, 0.7)).ToArray();
        var totalWeight = weights.Sum();
        var perAccount = new long[settings.Accounts];
        long assigned = 0;
        for (var a = 0; a < settings.Accounts; a++)
        {
            perAccount[a] = a == settings.Accounts - 1
                ? settings.Messages - assigned
                : Math.Max(1, (long)Math.Round(settings.Messages * weights[a] / totalWeight));
            assigned += perAccount[a];
        }

        var accounts = new PlannedAccount[settings.Accounts];
        var sizes = new List<(int Account, int Messages)>();
        for (var a = 0; a < settings.Accounts; a++)
        {
            var messages = perAccount[a];
            accounts[a] = new PlannedAccount(a, (int)Math.Clamp(1.2 * Math.Sqrt(messages), 20, 50_000));
            var cap = (int)Math.Max(50, messages / 12);
            long left = messages;
            while (left > 0)
            {
                var size = (int)Math.Min(cap, Math.Floor(2.0 * Math.Pow(1.0 - random.NextDouble(), -1.0 / SizeTailExponent)));
                size = (int)Math.Min(size, left);
                sizes.Add((a, size));
                left -= size;
            }
        }

        var total = (double)(GeneratorSettings.End - GeneratorSettings.Start).TotalMilliseconds;
        var starts = new long[sizes.Count];
        var spans = new long[sizes.Count];
        var oneOnOne = new bool[sizes.Count];
        for (var i = 0; i < sizes.Count; i++)
        {
            var messages = sizes[i].Messages;
            // About one session in four is 1:1; the very large ones are mostly channels.
            oneOnOne[i] = random.Chance(messages >= 2000 ? 0.1 : 0.26);
            var days = 0.05 * Math.Pow(messages, 0.9) * Math.Exp(0.8 * random.NextGaussian());
            var span = Math.Max(Math.Min(total - 1, days * MillisecondsPerDay), Math.Min(total - 1, messages * 50.0));
            spans[i] = (long)span;
            starts[i] = GeneratorSettings.Start.ToUnixTimeMilliseconds() + (long)(random.NextDouble() * (total - span));
        }

        var order = Enumerable.Range(0, sizes.Count).ToArray();
        Array.Sort((long[])starts.Clone(), order);
        var plan = new ArchivePlan(settings, accounts, sizes.Count);
        for (var position = 0; position < order.Length; position++)
        {
            var i = order[position];
            plan.AccountOf[position] = sizes[i].Account;
            plan.MessagesOf[position] = sizes[i].Messages;
            plan.StartMsOf[position] = starts[i];
            plan.SpanMsOf[position] = spans[i];
            plan.OneOnOne[position] = oneOnOne[i];
            accounts[sizes[i].Account].Sessions++;
        }

        plan.ChooseSamples(random);
        return plan;
    }

    /// <summary>The session's public id: unique (a bijection of its number), stable for a seed, shaped like a UUID.</summary>
    public string SessionId(int session) => Encoding.ASCII.GetString(JsonSessionId(session).AsSpan(1, Uuid.Length));

    /// <summary>The session's id as a quoted JSON literal.</summary>
    public byte[] JsonSessionId(int session)
    {
        var high = SeededRandom.Mix((ulong)session ^ SeededRandom.Mix(Settings.Seed + 0x5E5510));
        var literal = new byte[Uuid.Length + 2];
        literal[0] = (byte)'"';
        Uuid.Write(high, SeededRandom.Mix(high ^ 0x1D1D1D1D), literal.AsSpan(1));
        literal[^1] = (byte)'"';
        return literal;
    }

    private void ChooseSamples(SeededRandom random)
    {
        BigSessions = new List<int>[Accounts.Length];
        MediumSessions = new List<int>[Accounts.Length];
        SampleSessions = new List<int>[Accounts.Length];
        var byAccount = new List<int>[Accounts.Length];
        for (var a = 0; a < Accounts.Length; a++)
        {
            byAccount[a] = [];
        }

        for (var s = 0; s < SessionCount; s++)
        {
            byAccount[AccountOf[s]].Add(s);
        }

        for (var a = 0; a < Accounts.Length; a++)
        {
            var sessions = byAccount[a];
            BigSessions[a] = [.. sessions.OrderByDescending(s => MessagesOf[s]).ThenBy(s => s).Take(BigSessionsPerAccount)];
            var medium = sessions.Where(s => MessagesOf[s] is >= 100 and <= 5000 && !BigSessions[a].Contains(s)).ToList();
            MediumSessions[a] = [.. PickDistinct(medium, MediumSessionsPerAccount, random)];
            SampleSessions[a] = [.. PickDistinct(sessions, SampleSessionsPerAccount, random)];
        }
    }

    private static IEnumerable<int> PickDistinct(List<int> from, int count, SeededRandom random)
    {
        if (from.Count <= count)
        {
            return from;
        }

        var picked = new SortedSet<int>();
        while (picked.Count < count)
        {
            picked.Add(from[random.Next(from.Count)]);
        }

        return picked;
    }
}
