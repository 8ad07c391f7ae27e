using System.Globalization;
using System.Text;

namespace ZoomChat.Server.Storage.Postgres;

/// <summary>
/// The words of a text as SQLite's FTS5 <c>unicode61</c> tokenizer with <c>remove_diacritics 2</c> makes
/// them (https://www.sqlite.org/fts5.html#unicode61_tokenizer), so that a search finds the same messages on
/// both stores (docs/search.md#on-postgresql): runs of letters (L*), numbers (N*) and private-use
/// characters (Co); the combining diacritics U+0300–U+036F belong to a word and are dropped; everything
/// else separates words. Words are folded as FTS5 folds them: lower-cased, and a Latin letter with
/// diacritics becomes its base letter (<see cref="FoldPairs"/>).
/// Done here rather than by a text-search parser of PostgreSQL, whose words depend on the database's
/// locale and split e-mail addresses, URLs and hyphenated words otherwise
/// (https://www.postgresql.org/docs/15/textsearch-parsers.html).
/// </summary>
internal static class PostgresSearchWords
{
    /// <summary>The longest lexeme a tsvector takes, in UTF-8 bytes (https://www.postgresql.org/docs/15/textsearch-limitations.html).</summary>
    public const int MaxWordBytes = 2047;

    /// <summary>The highest position a tsvector keeps; later words all take this one.</summary>
    public const int MaxPosition = 16383;

    /// <summary>How many positions a tsvector keeps for one lexeme.</summary>
    public const int MaxPositionsPerWord = 256;

    /// <summary>How many bytes of distinct words one message's tsvector holds: below the type's 1 MB.</summary>
    public const int MaxVectorBytes = 1_000_000;

    /// <summary>
    /// Pairs of characters: each Basic Multilingual Plane character that FTS5's unicode61 with remove_diacritics 2
    /// folds otherwise than by lower-casing, and what it folds to (a Latin letter with diacritics to its base
    /// letter, Greek final sigma to sigma, and the like). Made by tokenizing every such character with
    /// SQLite 3.40's FTS5 and keeping where its word differs from Unicode's lower case.
    /// </summary>
    private const string FoldPairs =
        "\u00B5\u03BC\u00C0\u0061\u00C1\u0061\u00C2\u0061\u00C3\u0061\u00C4\u0061\u00C5\u0061\u00C7\u0063\u00C8\u0065\u00C9\u0065" +
        "\u00CA\u0065\u00CB\u0065\u00CC\u0069\u00CD\u0069\u00CE\u0069\u00CF\u0069\u00D1\u006E\u00D2\u006F\u00D3\u006F\u00D4\u006F" +
        "\u00D5\u006F\u00D6\u006F\u00D9\u0075\u00DA\u0075\u00DB\u0075\u00DC\u0075\u00DD\u0079\u00E0\u0061\u00E1\u0061\u00E2\u0061" +
        "\u00E3\u0061\u00E4\u0061\u00E5\u0061\u00E7\u0063\u00E8\u0065\u00E9\u0065\u00EA\u0065\u00EB\u0065\u00EC\u0069\u00ED\u0069" +
        "\u00EE\u0069\u00EF\u0069\u00F1\u006E\u00F2\u006F\u00F3\u006F\u00F4\u006F\u00F5\u006F\u00F6\u006F\u00F9\u0075\u00FA\u0075" +
        "\u00FB\u0075\u00FC\u0075\u00FD\u0079\u00FF\u0079\u0100\u0061\u0101\u0061\u0102\u0061\u0103\u0061\u0104\u0061\u0105\u0061" +
        "\u0106\u0063\u0107\u0063\u0108\u0063\u0109\u0063\u010A\u0063\u010B\u0063\u010C\u0063\u010D\u0063\u010E\u0064\u010F\u0064" +
        "\u0112\u0065\u0113\u0065\u0114\u0065\u0115\u0065\u0116\u0065\u0117\u0065\u0118\u0065\u0119\u0065\u011A\u0065\u011B\u0065" +
        "\u011C\u0067\u011D\u0067\u011E\u0067\u011F\u0067\u0120\u0067\u0121\u0067\u0122\u0067\u0123\u0067\u0124\u0068\u0125\u0068" +
        "\u0128\u0069\u0129\u0069\u012A\u0069\u012B\u0069\u012C\u0069\u012D\u0069\u012E\u0069\u012F\u0069\u0130\u0069\u0134\u006A" +
        "\u0135\u006A\u0136\u006B\u0137\u006B\u0139\u006C\u013A\u006C\u013B\u006C\u013C\u006C\u013D\u006C\u013E\u006C\u0143\u006E" +
        "\u0144\u006E\u0145\u006E\u0146\u006E\u0147\u006E\u0148\u006E\u014C\u006F\u014D\u006F\u014E\u006F\u014F\u006F\u0150\u006F" +
        "\u0151\u006F\u0154\u0072\u0155\u0072\u0156\u0072\u0157\u0072\u0158\u0072\u0159\u0072\u015A\u0073\u015B\u0073\u015C\u0073" +
        "\u015D\u0073\u015E\u0073\u015F\u0073\u0160\u0073\u0161\u0073\u0162\u0074\u0163\u0074\u0164\u0074\u0165\u0074\u0168\u0075" +
        "\u0169\u0075\u016A\u0075\u016B\u0075\u016C\u0075\u016D\u0075\u016E\u0075\u016F\u0075\u0170\u0075\u0171\u0075\u0172\u0075" +
        "\u0173\u0075\u0174\u0077\u0175\u0077\u0176\u0079\u0177\u0079\u0178\u0079\u0179\u007A\u017A\u007A\u017B\u007A\u017C\u007A" +
        "\u017D\u007A\u017E\u007A\u017F\u0073\u01A0\u006F\u01A1\u006F\u01AF\u0075\u01B0\u0075\u01CD\u0061\u01CE\u0061\u01CF\u0069" +
        "\u01D0\u0069\u01D1\u006F\u01D2\u006F\u01D3\u0075\u01D4\u0075\u01D5\u0075\u01D6\u0075\u01D7\u0075\u01D8\u0075\u01D9\u0075" +
        "\u01DA\u0075\u01DB\u0075\u01DC\u0075\u01DE\u0061\u01DF\u0061\u01E6\u0067\u01E7\u0067\u01E8\u006B\u01E9\u006B\u01EA\u006F" +
        "\u01EB\u006F\u01EC\u006F\u01ED\u006F\u01F0\u006A\u01F4\u0067\u01F5\u0067\u01F8\u006E\u01F9\u006E\u01FA\u0061\u01FB\u0061" +
        "\u0200\u0061\u0201\u0061\u0202\u0061\u0203\u0061\u0204\u0065\u0205\u0065\u0206\u0065\u0207\u0065\u0208\u0069\u0209\u0069" +
        "\u020A\u0069\u020B\u0069\u020C\u006F\u020D\u006F\u020E\u006F\u020F\u006F\u0210\u0072\u0211\u0072\u0212\u0072\u0213\u0072" +
        "\u0214\u0075\u0215\u0075\u0216\u0075\u0217\u0075\u0218\u0073\u0219\u0073\u021A\u0074\u021B\u0074\u021E\u0068\u021F\u0068" +
        "\u0226\u0061\u0227\u0061\u0228\u0065\u0229\u0065\u022A\u006F\u022B\u006F\u022C\u006F\u022D\u006F\u022E\u006F\u022F\u006F" +
        "\u0230\u006F\u0231\u006F\u0232\u0079\u0233\u0079\u037F\u037F\u03C2\u03C3\u03D0\u03B2\u03D1\u03B8\u03D5\u03C6\u03D6\u03C0" +
        "\u03F0\u03BA\u03F1\u03C1\u03F5\u03B5\u0528\u0528\u052A\u052A\u052C\u052C\u052E\u052E\u13A0\u13A0\u13A1\u13A1\u13A2\u13A2" +
        "\u13A3\u13A3\u13A4\u13A4\u13A5\u13A5\u13A6\u13A6\u13A7\u13A7\u13A8\u13A8\u13A9\u13A9\u13AA\u13AA\u13AB\u13AB\u13AC\u13AC" +
        "\u13AD\u13AD\u13AE\u13AE\u13AF\u13AF\u13B0\u13B0\u13B1\u13B1\u13B2\u13B2\u13B3\u13B3\u13B4\u13B4\u13B5\u13B5\u13B6\u13B6" +
        "\u13B7\u13B7\u13B8\u13B8\u13B9\u13B9\u13BA\u13BA\u13BB\u13BB\u13BC\u13BC\u13BD\u13BD\u13BE\u13BE\u13BF\u13BF\u13C0\u13C0" +
        "\u13C1\u13C1\u13C2\u13C2\u13C3\u13C3\u13C4\u13C4\u13C5\u13C5\u13C6\u13C6\u13C7\u13C7\u13C8\u13C8\u13C9\u13C9\u13CA\u13CA" +
        "\u13CB\u13CB\u13CC\u13CC\u13CD\u13CD\u13CE\u13CE\u13CF\u13CF\u13D0\u13D0\u13D1\u13D1\u13D2\u13D2\u13D3\u13D3\u13D4\u13D4" +
        "\u13D5\u13D5\u13D6\u13D6\u13D7\u13D7\u13D8\u13D8\u13D9\u13D9\u13DA\u13DA\u13DB\u13DB\u13DC\u13DC\u13DD\u13DD\u13DE\u13DE" +
        "\u13DF\u13DF\u13E0\u13E0\u13E1\u13E1\u13E2\u13E2\u13E3\u13E3\u13E4\u13E4\u13E5\u13E5\u13E6\u13E6\u13E7\u13E7\u13E8\u13E8" +
        "\u13E9\u13E9\u13EA\u13EA\u13EB\u13EB\u13EC\u13EC\u13ED\u13ED\u13EE\u13EE\u13EF\u13EF\u13F0\u13F0\u13F1\u13F1\u13F2\u13F2" +
        "\u13F3\u13F3\u13F4\u13F4\u13F5\u13F5\u1C90\u1C90\u1C91\u1C91\u1C92\u1C92\u1C93\u1C93\u1C94\u1C94\u1C95\u1C95\u1C96\u1C96" +
        "\u1C97\u1C97\u1C98\u1C98\u1C99\u1C99\u1C9A\u1C9A\u1C9B\u1C9B\u1C9C\u1C9C\u1C9D\u1C9D\u1C9E\u1C9E\u1C9F\u1C9F\u1CA0\u1CA0" +
        "\u1CA1\u1CA1\u1CA2\u1CA2\u1CA3\u1CA3\u1CA4\u1CA4\u1CA5\u1CA5\u1CA6\u1CA6\u1CA7\u1CA7\u1CA8\u1CA8\u1CA9\u1CA9\u1CAA\u1CAA" +
        "\u1CAB\u1CAB\u1CAC\u1CAC\u1CAD\u1CAD\u1CAE\u1CAE\u1CAF\u1CAF\u1CB0\u1CB0\u1CB1\u1CB1\u1CB2\u1CB2\u1CB3\u1CB3\u1CB4\u1CB4" +
        "\u1CB5\u1CB5\u1CB6\u1CB6\u1CB7\u1CB7\u1CB8\u1CB8\u1CB9\u1CB9\u1CBA\u1CBA\u1CBD\u1CBD\u1CBE\u1CBE\u1CBF\u1CBF\u1E00\u0061" +
        "\u1E01\u0061\u1E02\u0062\u1E03\u0062\u1E04\u0062\u1E05\u0062\u1E06\u0062\u1E07\u0062\u1E08\u0063\u1E09\u0063\u1E0A\u0064" +
        "\u1E0B\u0064\u1E0C\u0064\u1E0D\u0064\u1E0E\u0064\u1E0F\u0064\u1E10\u0064\u1E11\u0064\u1E12\u0064\u1E13\u0064\u1E14\u0065" +
        "\u1E15\u0065\u1E16\u0065\u1E17\u0065\u1E18\u0065\u1E19\u0065\u1E1A\u0065\u1E1B\u0065\u1E1C\u0065\u1E1D\u0065\u1E1E\u0066" +
        "\u1E1F\u0066\u1E20\u0067\u1E21\u0067\u1E22\u0068\u1E23\u0068\u1E24\u0068\u1E25\u0068\u1E26\u0068\u1E27\u0068\u1E28\u0068" +
        "\u1E29\u0068\u1E2A\u0068\u1E2B\u0068\u1E2C\u0069\u1E2D\u0069\u1E2E\u0069\u1E2F\u0069\u1E30\u006B\u1E31\u006B\u1E32\u006B" +
        "\u1E33\u006B\u1E34\u006B\u1E35\u006B\u1E36\u006C\u1E37\u006C\u1E38\u006C\u1E39\u006C\u1E3A\u006C\u1E3B\u006C\u1E3C\u006C" +
        "\u1E3D\u006C\u1E3E\u006D\u1E3F\u006D\u1E40\u006D\u1E41\u006D\u1E42\u006D\u1E43\u006D\u1E44\u006E\u1E45\u006E\u1E46\u006E" +
        "\u1E47\u006E\u1E48\u006E\u1E49\u006E\u1E4A\u006E\u1E4B\u006E\u1E4C\u006F\u1E4D\u006F\u1E4E\u006F\u1E4F\u006F\u1E50\u006F" +
        "\u1E51\u006F\u1E52\u006F\u1E53\u006F\u1E54\u0070\u1E55\u0070\u1E56\u0070\u1E57\u0070\u1E58\u0072\u1E59\u0072\u1E5A\u0072" +
        "\u1E5B\u0072\u1E5C\u0072\u1E5D\u0072\u1E5E\u0072\u1E5F\u0072\u1E60\u0073\u1E61\u0073\u1E62\u0073\u1E63\u0073\u1E64\u0073" +
        "\u1E65\u0073\u1E66\u0073\u1E67\u0073\u1E68\u0073\u1E69\u0073\u1E6A\u0074\u1E6B\u0074\u1E6C\u0074\u1E6D\u0074\u1E6E\u0074" +
        "\u1E6F\u0074\u1E70\u0074\u1E71\u0074\u1E72\u0075\u1E73\u0075\u1E74\u0075\u1E75\u0075\u1E76\u0075\u1E77\u0075\u1E78\u0075" +
        "\u1E79\u0075\u1E7A\u0075\u1E7B\u0075\u1E7C\u0076\u1E7D\u0076\u1E7E\u0076\u1E7F\u0076\u1E80\u0077\u1E81\u0077\u1E82\u0077" +
        "\u1E83\u0077\u1E84\u0077\u1E85\u0077\u1E86\u0077\u1E87\u0077\u1E88\u0077\u1E89\u0077\u1E8A\u0078\u1E8B\u0078\u1E8C\u0078" +
        "\u1E8D\u0078\u1E8E\u0079\u1E8F\u0079\u1E90\u007A\u1E91\u007A\u1E92\u007A\u1E93\u007A\u1E94\u007A\u1E95\u007A\u1E96\u0068" +
        "\u1E97\u0074\u1E98\u0077\u1E99\u0079\u1E9B\u0073\u1EA0\u0061\u1EA1\u0061\u1EA2\u0061\u1EA3\u0061\u1EA4\u0061\u1EA5\u0061" +
        "\u1EA6\u0061\u1EA7\u0061\u1EA8\u0061\u1EA9\u0061\u1EAA\u0061\u1EAB\u0061\u1EAC\u0061\u1EAD\u0061\u1EAE\u0061\u1EAF\u0061" +
        "\u1EB0\u0061\u1EB1\u0061\u1EB2\u0061\u1EB3\u0061\u1EB4\u0061\u1EB5\u0061\u1EB6\u0061\u1EB7\u0061\u1EB8\u0065\u1EB9\u0065" +
        "\u1EBA\u0065\u1EBB\u0065\u1EBC\u0065\u1EBD\u0065\u1EBE\u0065\u1EBF\u0065\u1EC0\u0065\u1EC1\u0065\u1EC2\u0065\u1EC3\u0065" +
        "\u1EC4\u0065\u1EC5\u0065\u1EC6\u0065\u1EC7\u0065\u1EC8\u0069\u1EC9\u0069\u1ECA\u0069\u1ECB\u0069\u1ECC\u006F\u1ECD\u006F" +
        "\u1ECE\u006F\u1ECF\u006F\u1ED0\u006F\u1ED1\u006F\u1ED2\u006F\u1ED3\u006F\u1ED4\u006F\u1ED5\u006F\u1ED6\u006F\u1ED7\u006F" +
        "\u1ED8\u006F\u1ED9\u006F\u1EDA\u006F\u1EDB\u006F\u1EDC\u006F\u1EDD\u006F\u1EDE\u006F\u1EDF\u006F\u1EE0\u006F\u1EE1\u006F" +
        "\u1EE2\u006F\u1EE3\u006F\u1EE4\u0075\u1EE5\u0075\u1EE6\u0075\u1EE7\u0075\u1EE8\u0075\u1EE9\u0075\u1EEA\u0075\u1EEB\u0075" +
        "\u1EEC\u0075\u1EED\u0075\u1EEE\u0075\u1EEF\u0075\u1EF0\u0075\u1EF1\u0075\u1EF2\u0079\u1EF3\u0079\u1EF4\u0079\u1EF5\u0079" +
        "\u1EF6\u0079\u1EF7\u0079\u1EF8\u0079\u1EF9\u0079\u1FBE\u03B9\u212B\u0061\u2C2F\u2C2F\uA698\uA698\uA69A\uA69A\uA796\uA796" +
        "\uA798\uA798\uA79A\uA79A\uA79C\uA79C\uA79E\uA79E\uA7AB\uA7AB\uA7AC\uA7AC\uA7AD\uA7AD\uA7AE\uA7AE\uA7B0\uA7B0\uA7B1\uA7B1" +
        "\uA7B2\uA7B2\uA7B3\uA7B3\uA7B4\uA7B4\uA7B6\uA7B6\uA7B8\uA7B8\uA7BA\uA7BA\uA7BC\uA7BC\uA7BE\uA7BE\uA7C0\uA7C0\uA7C2\uA7C2" +
        "\uA7C4\uA7C4\uA7C5\uA7C5\uA7C6\uA7C6\uA7C7\uA7C7\uA7C9\uA7C9\uA7D0\uA7D0\uA7D6\uA7D6\uA7D8\uA7D8\uA7F5\uA7F5";

    private static readonly Dictionary<int, Rune> Folds = BuildFolds();

    /// <summary>A thread's tables for <see cref="Vector"/>, kept between calls: an import makes a vector per message.</summary>
    [ThreadStatic]
    private static VectorScratch? t_vectorScratch;

    /// <summary>The words of <paramref name="text"/>, in order, folded.</summary>
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new char[64];
        var at = 0;
        while (NextWord(text, ref at, ref word, out var length))
        {
            words.Add(new string(word, 0, length));
        }

        return words;
    }

    /// <summary>
    /// The text of a tsvector of <paramref name="text"/>'s words with their positions (1 for the first word),
    /// within the limits of the type: a word longer than <see cref="MaxWordBytes"/> is left out (its position
    /// still counts), positions above <see cref="MaxPosition"/> are that position, and a message's distinct
    /// words stop at <see cref="MaxVectorBytes"/>.
    /// </summary>
    public static string Vector(string text)
    {
        var scratch = t_vectorScratch ?? new VectorScratch();
        t_vectorScratch = null;
        var (slots, words, positions) = (scratch.Slots, scratch.Words, scratch.Positions);
        var bytes = 0;
        var position = 0;
        var at = 0;
        var buffer = scratch.Word;
        while (NextWord(text, ref at, ref buffer, out var length))
        {
            position++;
            var word = buffer.AsSpan(0, length);

            // A word too long for a lexeme never takes a slot, so only a new word is measured.
            if (!slots.TryGetValue(word, out var slot))
            {
                var wordBytes = Encoding.UTF8.GetByteCount(word);
                if (wordBytes > MaxWordBytes || bytes + wordBytes > MaxVectorBytes)
                {
                    continue;
                }

                bytes += wordBytes;
                slot = words.Count;
                var made = word.ToString();
                slots.Dictionary.Add(made, slot);
                words.Add(made);
                if (positions.Count == slot)
                {
                    positions.Add([]);
                }
            }

            var kept = Math.Min(position, MaxPosition);
            var atSlot = positions[slot];
            if (atSlot.Count < MaxPositionsPerWord && (atSlot.Count == 0 || atSlot[^1] != kept))
            {
                atSlot.Add(kept);
            }
        }

        var vector = scratch.Text;
        for (var slot = 0; slot < words.Count; slot++)
        {
            if (slot > 0)
            {
                vector.Append(' ');
            }

            Quote(vector, words[slot]).Append(':');
            var atSlot = positions[slot];
            for (var i = 0; i < atSlot.Count; i++)
            {
                (i > 0 ? vector.Append(',') : vector).Append(atSlot[i]);
            }
        }

        var result = vector.ToString();
        scratch.Word = buffer;

        // A message of very many words leaves its tables to the garbage collector rather than keeping them for the thread.
        if (words.Count <= VectorScratch.MaxKeptWords)
        {
            scratch.Clear();
            t_vectorScratch = scratch;
        }

        return result;
    }

    /// <summary>
    /// The tsquery text of a search (https://www.postgresql.org/docs/15/datatype-textsearch.html#DATATYPE-TSQUERY):
    /// each phrase's words joined by <c>&lt;-&gt;</c> (next to each other, in order), all phrases required with
    /// <c>&amp;</c>, each excluded one under <c>!</c>. Every word is quoted, so no user text is read as an
    /// operator. Null when no message can match (a required word too long to be indexed).
    /// </summary>
    public static string? Query(SearchQuery query)
    {
        var parts = new List<string>();
        foreach (var phrase in query.Phrases)
        {
            if (Phrase(phrase) is not { } words)
            {
                return null;
            }

            parts.Add(words);
        }

        if (parts.Count == 0)
        {
            return null;
        }

        foreach (var phrase in query.ExcludedPhrases)
        {
            // A phrase that no message can hold takes none out.
            if (Phrase(phrase) is { } words)
            {
                parts.Add("!" + words);
            }
        }

        return string.Join(" & ", parts);
    }

    private static string? Phrase(string phrase)
    {
        var words = Split(phrase);
        if (words.Count == 0 || words.Any(w => Encoding.UTF8.GetByteCount(w) > MaxWordBytes))
        {
            return null;
        }

        var text = new StringBuilder("(");
        for (var i = 0; i < words.Count; i++)
        {
            if (i > 0)
            {
                text.Append(" <-> ");
            }

            Quote(text, words[i]);
        }

        return text.Append(')').ToString();
    }

    /// <summary>A lexeme in quotes, its quotes doubled and backslashes escaped (words never hold them: both are punctuation).</summary>
    private static StringBuilder Quote(StringBuilder text, string word) =>
        text.Append('\'').Append(word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append('\'');

    /// <summary>
    /// Reads the word at or after <paramref name="at"/> into <paramref name="word"/>, folded, and moves
    /// <paramref name="at"/> past it; false when the text has no more words.
    /// </summary>
    private static bool NextWord(string text, ref int at, ref char[] word, out int length)
    {
        length = 0;
        for (; at < text.Length; at++)
        {
            // Room for a folded character outside the BMP.
            if (length + 2 > word.Length)
            {
                Array.Resize(ref word, word.Length * 2);
            }

            // ASCII first, as most text is: its word characters are the letters and digits, folded by lower-casing.
            var c = text[at];
            if (char.IsAscii(c))
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    word[length++] = char.ToLowerInvariant(c);
                    continue;
                }
            }
            else
            {
                // An unpaired surrogate is U+FFFD, as String.EnumerateRunes gives it: not a word character.
                Rune.DecodeFromUtf16(text.AsSpan(at), out var rune, out var runeLength);
                at += runeLength - 1;
                if (rune.Value is >= 0x300 and <= 0x36F)
                {
                    continue;
                }

                if (IsWordCharacter(rune))
                {
                    length += Fold(rune).EncodeToUtf16(word.AsSpan(length));
                    continue;
                }
            }

            if (length > 0)
            {
                at++;
                return true;
            }
        }

        return length > 0;
    }

    private static bool IsWordCharacter(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.PrivateUse => true,
        _ => false,
    };

    private static Rune Fold(Rune rune) => Folds.TryGetValue(rune.Value, out var folded) ? folded : Rune.ToLowerInvariant(rune);

    private static Dictionary<int, Rune> BuildFolds()
    {
        var folds = new Dictionary<int, Rune>(FoldPairs.Length / 2);
        for (var i = 0; i < FoldPairs.Length; i += 2)
        {
            folds[FoldPairs[i]] = new Rune(FoldPairs[i + 1]);
        }

        return folds;
    }

    private sealed class VectorScratch
    {
        /// <summary>The most distinct words whose tables a thread keeps for its next message.</summary>
        public const int MaxKeptWords = 4096;

        private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);

        public VectorScratch() => Slots = _slots.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>Where a word is read (<see cref="NextWord"/> grows it).</summary>
        public char[] Word { get; set; } = new char[64];

        /// <summary>Each distinct word's place in <see cref="Words"/> and <see cref="Positions"/>.</summary>
        public Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Slots { get; }

        /// <summary>The distinct words, in the order the text first gives them.</summary>
        public List<string> Words { get; } = [];

        /// <summary>Each word's positions; lists past <see cref="Words"/>' count are empty, kept for later messages.</summary>
        public List<List<int>> Positions { get; } = [];

        public StringBuilder Text { get; } = new();

        public void Clear()
        {
            _slots.Clear();
            for (var i = 0; i < Words.Count; i++)
            {
                Positions[i].Clear();
            }

            Words.Clear();
            Text.Clear();
        }
    }
}
