namespace ZoomChat.Bench.DataGen;

/// <summary>
/// An account of the generated archive and its users. User 0 is the busiest: users take part in
/// sessions with Zipf-like popularity, as a few people are in most conversations.
/// </summary>
internal sealed class PlannedAccount
{
    private static readonly string[] FirstNames =
    [
        "ann", "bob", "chen", "dana", "emil", "fatima", "gus", "hana", "ivan", "jo", "kofi", "lena", "mehdi", "nora", "olu",
        "priya", "quinn", "rosa", "sven", "tariq", "uma", "vik", "wei", "xenia", "yusuf", "zoe", "ali", "bea", "carlos", "dmitri",
        "elif", "finn", "greta", "hugo", "ines", "jae", "kai", "lucia", "marek", "nadia",
    ];

    private static readonly string[] LastNames =
    [
        "lee", "smith", "garcia", "nguyen", "kim", "muller", "rossi", "silva", "khan", "sato", "ivanova", "dubois", "jensen",
        "okafor", "patel", "cohen", "novak", "lopez", "wang", "brown", "costa", "haddad", "berg", "tanaka", "moreau",
        "schmidt", "ali", "kowalski", "oconnor", "yilmaz",
    ];

    private static readonly string[] CompanyNames = ["acme", "globex", "initech", "umbrella", "hooli", "soylent", "tyrell", "wonka"];

    private readonly double[] _popularity;

    public PlannedAccount(int index, int users)
    {
        Index = index;
        Name = index < CompanyNames.Length ? CompanyNames[index] : $"{CompanyNames[index % CompanyNames.Length]}{(index / CompanyNames.Length) + 1}";
        Domain = $"{Name}.example";
        AdminEmail = $"archive-admin@{Domain}";
        JsonName = JsonLiteral.Quoted(Name);
        Emails = new string[users];
        JsonEmails = new byte[users][];
        for (var i = 0; i < users; i++)
        {
            var name = $"{FirstNames[i % FirstNames.Length]}.{LastNames[(i / FirstNames.Length) % LastNames.Length]}";
            var round = i / (FirstNames.Length * LastNames.Length);
            Emails[i] = round == 0 ? $"{name}@{Domain}" : $"{name}{round + 1}@{Domain}";
            JsonEmails[i] = JsonLiteral.Quoted(Emails[i]);
        }

        // Participants are listed sorted, as an export lists them (docs/import-formats.md#the-interchange-format).
        var byEmail = Enumerable.Range(0, users).ToArray();
        Array.Sort(byEmail, (a, b) => string.CompareOrdinal(Emails[a], Emails[b]));
        EmailRank = new int[users];
        for (var rank = 0; rank < users; rank++)
        {
            EmailRank[byEmail[rank]] = rank;
        }

        _popularity = new double[users];
        var total = 0.0;
        for (var i = 0; i < users; i++)
        {
            total += 1.0 / Math.Pow(i + 1, 0.9);
            _popularity[i] = total;
        }

        for (var i = 0; i < users; i++)
        {
            _popularity[i] /= total;
        }

        TookPart = new bool[users];
    }

    public int Index { get; }

    public string Name { get; }

    public string Domain { get; }

    /// <summary>The user the run script grants the archive-view privilege; never a participant.</summary>
    public string AdminEmail { get; }

    public byte[] JsonName { get; }

    public string[] Emails { get; }

    public byte[][] JsonEmails { get; }

    /// <summary>Each user's position in the ordinal order of e-mails.</summary>
    public int[] EmailRank { get; }

    /// <summary>Users that took part in at least one session, so that load scripts name only real ones.</summary>
    public bool[] TookPart { get; }

    public long Messages { get; set; }

    public int Sessions { get; set; }

    public long FirstMs { get; set; } = long.MaxValue;

    public long LastMs { get; set; } = long.MinValue;

    /// <summary>A user drawn by popularity.</summary>
    public int DrawUser(SeededRandom random)
    {
        var index = Array.BinarySearch(_popularity, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _popularity.Length - 1);
    }
}
