using System.Text.Json;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Search;

/// <summary>
/// What a word is (docs/search.md#the-query-language): FTS5's unicode61 words with remove_diacritics 2 on
/// SQLite, and the same words on PostgreSQL (docs/search.md#on-postgresql). Each expectation is what
/// SQLite's FTS5 answers; the PostgreSQL store must answer the same.
/// </summary>
public sealed class SearchWordRulesTests
{
    [StoreFact]
    public async Task Words_are_runs_of_letters_and_digits_folded_as_fts5_folds_them_on_both_stores()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        string[] texts =
        [
            "mail ann@acme.com or see https://example.com/release-notes",
            "v3.1 is out, it's done",
            "Die Straße ist naß",
            "smørrebrød og øl",
            "ΚΑΛΗΜΕΡΑ ΚΟΣΜΟΣ",
            "e\u0301te\u0301 a\u0300 Paris",
            "東京タワー and x²",
            "emoji🎉party",
        ];
        var lines = texts.Select((text, i) => Lines.Message("s-1", $"2021-03-01T10:0{i}:00Z", text, "ann@acme.com", messageId: $"m-{i + 1}"));
        await cli.JsonAsync("import", cli.WriteFile("archive.ndjson", [.. lines]), "--account", "acme");

        (string Query, string[] Ids)[] expectations =
        [
            ("acme", ["m-1"]),
            ("ann@acme.com", ["m-1"]),
            ("example com", ["m-1"]),
            ("release-notes", ["m-1"]),
            ("notes release", ["m-1"]),
            ("\"notes release\"", []),
            ("\"v3 1\"", ["m-2"]),
            ("v3.1", ["m-2"]),
            ("it's", ["m-2"]),
            ("s", ["m-2"]),
            ("v", []),
            ("strasse", []),
            ("STRAßE", ["m-3"]),
            ("smorrebrod", []),
            ("SMØRREBRØD", ["m-4"]),
            ("κοσμος", ["m-5"]),
            ("ΚΟΣΜΟΣ", ["m-5"]),
            ("κόσμος", []),
            ("ete", ["m-6"]),
            ("été", ["m-6"]),
            ("\"a paris\"", ["m-6"]),
            ("東京", []),
            ("東京タワー", ["m-7"]),
            ("x²", ["m-7"]),
            ("x", []),
            ("\"emoji party\"", ["m-8"]),
        ];
        foreach (var (query, ids) in expectations)
        {
            var result = await cli.RunAsync("search", "--account", "acme", query, "--json");
            Assert.True(result.ExitCode == 0, result.Error);
            var found = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message_id").GetString()!)
                .ToArray();
            Assert.True(ids.SequenceEqual(found), $"{query}: expected [{string.Join(", ", ids)}], found [{string.Join(", ", found)}]");
        }
    }

    [StoreFact]
    public async Task The_index_holds_one_entry_per_message_and_none_of_a_removed_session()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var lines = Enumerable.Range(0, 40).Select(i => Lines.Message($"s-{i % 4}", $"2021-03-01T10:{i:00}:00Z", $"word {i}", "ann@acme.com", messageId: $"m-{i}"));
        await cli.JsonAsync("import", cli.WriteFile("archive.ndjson", [.. lines]), "--account", "acme");
        Assert.Equal(40L, Convert.ToInt64(await StoreSql.ScalarAsync(cli.StorePath, "SELECT count(*) FROM message_search;"), System.Globalization.CultureInfo.InvariantCulture));

        var removed = await cli.RunAsync("session", "remove", "--account", "acme", "s-1", "s-2");
        Assert.True(removed.ExitCode == 0, removed.Error);

        Assert.Equal(20L, Convert.ToInt64(await StoreSql.ScalarAsync(cli.StorePath, "SELECT count(*) FROM message_search;"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(
            0L,
            Convert.ToInt64(
                await StoreSql.ScalarAsync(cli.StorePath, "SELECT count(*) FROM message_search WHERE session_id NOT IN (SELECT id FROM sessions);"),
                System.Globalization.CultureInfo.InvariantCulture));
    }
}
