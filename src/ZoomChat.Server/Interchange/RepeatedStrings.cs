using System.Runtime.InteropServices;

namespace ZoomChat.Server.Interchange;

/// <summary>
/// The strings that an import's lines repeat (accounts, session ids, e-mails, types, group names) and
/// their lists of participants, each made once and then shared: otherwise every line allocates its own
/// copies, and the garbage collector takes a share of the import's time (docs/benchmarks.md#fewer-allocations-per-line).
/// Bounded: once full, a set starts over, so that memory does not grow with the file. For one reader
/// at a time.
/// </summary>
internal sealed class RepeatedStrings
{
    /// <summary>A few megabytes at most.</summary>
    internal const int MaxCount = 16_384;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _stringLookup;
    private readonly HashSet<string[]> _lists = new(new ListComparer());
    private readonly HashSet<string[]>.AlternateLookup<ReadOnlySpan<string>> _listLookup;

    public RepeatedStrings()
    {
        _stringLookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        _listLookup = _lists.GetAlternateLookup<ReadOnlySpan<string>>();
    }

    /// <summary>Where a line's participants are gathered before <see cref="Get(List{string})"/> shares them.</summary>
    public List<string> Gathered { get; } = [];

    /// <summary>The set that finds repeats in a long <see cref="Gathered"/>.</summary>
    public HashSet<string> GatheredSet { get; } = new(StringComparer.Ordinal);

    public string Get(ReadOnlySpan<char> chars)
    {
        if (_stringLookup.TryGetValue(chars, out var known))
        {
            return known;
        }

        if (_strings.Count >= MaxCount)
        {
            _strings.Clear();
        }

        var made = chars.ToString();
        _strings.Add(made);
        return made;
    }

    /// <summary>A list with the same strings in the same order, never to be changed.</summary>
    public IReadOnlyList<string> Get(List<string> list)
    {
        var items = CollectionsMarshal.AsSpan(list);
        if (_listLookup.TryGetValue(items, out var known))
        {
            return known;
        }

        if (_lists.Count >= MaxCount)
        {
            _lists.Clear();
        }

        var made = items.ToArray();
        _lists.Add(made);
        return made;
    }

    private sealed class ListComparer : IEqualityComparer<string[]>, IAlternateEqualityComparer<ReadOnlySpan<string>, string[]>
    {
        public bool Equals(string[]? x, string[]? y) => x.AsSpan().SequenceEqual(y, StringComparer.Ordinal);

        public int GetHashCode(string[] list) => GetHashCode(list.AsSpan());

        public bool Equals(ReadOnlySpan<string> alternate, string[] other) => alternate.SequenceEqual(other, StringComparer.Ordinal);

        public int GetHashCode(ReadOnlySpan<string> alternate)
        {
            var hash = new HashCode();
            foreach (var item in alternate)
            {
                hash.Add(item, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }

        public string[] Create(ReadOnlySpan<string> alternate) => alternate.ToArray();
    }
}
