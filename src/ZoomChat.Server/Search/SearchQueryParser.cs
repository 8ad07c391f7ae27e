using System.Text;
using ZoomChat.Server.Chat;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Search;

/// <summary>
/// Reads the search language of docs/search.md#the-query-language: words, <c>"exact phrases"</c>,
/// <c>-excluded</c> words and phrases, and the filters <c>from:</c>, <c>in:</c>, <c>after:</c> and
/// <c>before:</c>. Pure: it only turns text into a <see cref="SearchQuery"/>, which every backend
/// quotes in its own query language, so that no user text is ever read as an operator.
/// </summary>
internal static class SearchQueryParser
{
    /// <exception cref="SearchQueryException">The text cannot be read, or asks for nothing.</exception>
    public static SearchQuery Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var phrases = new List<string>();
        var excluded = new List<string>();
        string? sender = null, session = null;
        long? fromMs = null, toMs = null;
        string? afterText = null, beforeText = null;

        var position = 0;
        while (true)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position == text.Length)
            {
                break;
            }

            var start = position;
            var exclude = text[position] == '-' && position + 1 < text.Length && !char.IsWhiteSpace(text[position + 1]);
            if (exclude)
            {
                position++;
            }

            string term;
            if (text[position] == '"')
            {
                term = Quoted(text, ref position);
            }
            else
            {
                var wordStart = position;
                while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] != '"')
                {
                    position++;
                }

                term = text[wordStart..position];
                var colon = term.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && Filter(term[..colon]) is { } filter)
                {
                    var value = term[(colon + 1)..];
                    if (value.Length == 0 && position < text.Length && text[position] == '"')
                    {
                        value = Quoted(text, ref position);
                    }

                    if (exclude)
                    {
                        throw new SearchQueryException($"A filter cannot be excluded: '{text[start..position]}' (leave out the '-').");
                    }

                    value = value.Trim();
                    if (value.Length == 0)
                    {
                        throw new SearchQueryException($"{filter} needs a value: {Example(filter)}.");
                    }

                    switch (filter)
                    {
                        case "from:":
                            Once(sender, filter);
                            sender = value.ToLowerInvariant();
                            break;
                        case "in:":
                            Once(session, filter);
                            session = value;
                            break;
                        case "after:":
                            Once(afterText, filter);
                            (afterText, fromMs) = (value, Date(value, filter, endOfDay: false));
                            break;
                        default:
                            Once(beforeText, filter);
                            (beforeText, toMs) = (value, Date(value, filter, endOfDay: true));
                            break;
                    }

                    continue;
                }
            }

            // The index holds only letters and digits: a term without any (a lone '-', "!!!") finds nothing to match.
            if (!HasLetterOrDigit(term))
            {
                continue;
            }

            var normalized = string.Join(' ', term.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            (exclude ? excluded : phrases).Add(normalized);
        }

        if (fromMs > toMs)
        {
            throw new SearchQueryException($"after:{afterText} is later than before:{beforeText}: no message can be in between.");
        }

        if (phrases.Count == 0)
        {
            throw new SearchQueryException(
                "Nothing to look for: give at least one word or \"phrase\" (filters and -exclusions only narrow a search).");
        }

        return new SearchQuery(phrases, excluded, sender, session, fromMs, toMs);
    }

    /// <summary>The text between the quote at <paramref name="position"/> and the next one, which must be there.</summary>
    private static string Quoted(string text, ref int position)
    {
        var close = text.IndexOf('"', position + 1);
        if (close < 0)
        {
            throw new SearchQueryException($"The quote at character {position + 1} is never closed: end the phrase with another \".");
        }

        var inside = text[(position + 1)..close];
        position = close + 1;
        return inside;
    }

    private static string? Filter(string key) => key.ToLowerInvariant() switch
    {
        "from" => "from:",
        "in" => "in:",
        "after" => "after:",
        "before" => "before:",
        _ => null,
    };

    private static string Example(string filter) => filter switch
    {
        "from:" => "from:ana@example.com",
        "in:" => "in:SESSION_ID",
        "after:" => "after:2016-01-22",
        _ => "before:2016-01-22T18:00Z",
    };

    private static void Once(string? value, string filter)
    {
        if (value is not null)
        {
            throw new SearchQueryException($"{filter} is given twice: a search takes each filter once.");
        }
    }

    /// <summary>A date as chat/list's from and to take it (docs/api.md#dates); a day alone as before: ends at its last millisecond.</summary>
    private static long Date(string value, string filter, bool endOfDay)
    {
        if (!ZoomDate.TryParse(value, out var ms, out var dateOnly))
        {
            throw new SearchQueryException($"{filter} takes yyyy-MM-dd or an ISO 8601 date-time (docs/api.md#dates), not '{value}'.");
        }

        return endOfDay && dateOnly ? ms + ZoomDate.MillisecondsPerDay - 1 : ms;
    }

    private static bool HasLetterOrDigit(string term)
    {
        foreach (var rune in term.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                return true;
            }
        }

        return false;
    }
}
