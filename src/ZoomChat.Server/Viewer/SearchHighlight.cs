using System.Globalization;
using System.Text;

namespace ZoomChat.Server.Viewer;

/// <summary>
/// Marks the searched words in a hit's text, as the search matched them (docs/search.md#the-query-language):
/// whole words, case- and accent-insensitively. Everything else stays encoded text.
/// </summary>
internal sealed class SearchHighlight
{
    private readonly HashSet<string> _words;

    public SearchHighlight(IEnumerable<string> phrases) =>
        _words = new HashSet<string>(phrases.SelectMany(Words).Select(w => Fold(w.Word)), StringComparer.Ordinal);

    public Html Mark(string text)
    {
        var parts = new List<Html>();
        var done = 0;
        foreach (var (start, word) in Words(text))
        {
            if (_words.Contains(Fold(word)))
            {
                parts.Add(Html.Of($"{text[done..start]}<mark>{word}</mark>"));
                done = start + word.Length;
            }
        }

        parts.Add(Html.Text(text[done..]));
        return Html.Join(parts);
    }

    /// <summary>Runs of letters and digits, with where each starts: the words of the search's tokenizer.</summary>
    private static IEnumerable<(int Start, string Word)> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || CharUnicodeInfo.GetUnicodeCategory(text[i]) == UnicodeCategory.NonSpacingMark);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return (start, text[start..i]);
                start = -1;
            }
        }
    }

    /// <summary>
    /// Lower case without accents. Spelled out for the Latin letters, since the server runs with invariant
    /// globalization, whose string normalization leaves accented letters as they are
    /// (https://learn.microsoft.com/dotnet/core/runtime-config/globalization#invariant-mode).
    /// </summary>
    private static string Fold(string word)
    {
        var folded = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            var accented = Accented.IndexOf(lower, StringComparison.Ordinal);
            folded.Append(accented < 0 ? lower : Plain[accented]);
        }

        return folded.ToString();
    }

    private const string Accented = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿāăąćĉċčďēĕėęěĝğġģĥĩīĭįĵķĺļľńņňōŏőŕŗřśŝşšţťũūŭůűųŵŷźżžđħłŀıø";
    private const string Plain = "aaaaaaceeeeiiiinooooouuuuyyaaaccccdeeeeegggghiiiijklllnnnooorrrssssttuuuuuuwyzzzdhllio";
}
