using System.Globalization;
using System.Text.RegularExpressions;

namespace ZoomChat.Cli.Commands;

/// <summary>
/// The rejected records of one import, as its user reads them (docs/operations.md#import-and-export):
/// the first few lines of each reason, then one line per reason with how many there were in all. A
/// file whose every line names an account that does not exist is one line, not one per message.
/// Reasons are told apart by their wording with the values they quote and their numbers left out, so that thousands of
/// conflicts of different message ids are one reason; a missing account is a reason of its own per
/// account, shown once, since every line that names it is rejected for the same cause.
/// </summary>
internal sealed partial class RejectedRecords(Action<string> writeLine)
{
    /// <summary>Lines shown of each reason before the rest are only counted.</summary>
    public const int ShownPerReason = 5;

    private readonly Dictionary<string, Reason> _reasons = new(StringComparer.Ordinal);

    /// <summary>Rejected records in all.</summary>
    public long Count { get; private set; }

    public void Add(string file, long line, string reason)
    {
        Count++;
        var (key, shown) = WholeInputReason().IsMatch(reason) ? (reason, 1) : (Number().Replace(QuotedValue().Replace(reason, "'…'"), "N"), ShownPerReason);
        if (!_reasons.TryGetValue(key, out var known))
        {
            _reasons.Add(key, known = new Reason(key, shown));
        }

        known.Count++;
        if (known.Count <= known.Shown)
        {
            writeLine($"{file}:{line}: {reason}");
        }
    }

    /// <summary>One line for each reason of which more records were rejected than shown, in the order first met.</summary>
    public void WriteCounts()
    {
        foreach (var reason in _reasons.Values.Where(r => r.Count > r.Shown))
        {
            var count = reason.Count.ToString(CultureInfo.InvariantCulture);
            var shown = reason.Shown == 1 ? "the first is shown above" : $"the first {reason.Shown} are shown above";
            writeLine($"zoomchat: {count} records rejected: {reason.Text} ({shown})");
        }
    }

    /// <summary>A reason that every record of an account shares: the account is missing, or none is named.</summary>
    [GeneratedRegex(@"^account '.*' does not exist$|^account is missing", RegexOptions.CultureInvariant)]
    private static partial Regex WholeInputReason();

    [GeneratedRegex(@"'[^']*'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedValue();

    [GeneratedRegex(@"[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    private sealed class Reason(string text, int shown)
    {
        public string Text { get; } = text;

        public int Shown { get; } = shown;

        public long Count { get; set; }
    }
}
