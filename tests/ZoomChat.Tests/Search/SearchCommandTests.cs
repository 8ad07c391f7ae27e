using System.Text.Json;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Search;

/// <summary>
/// <c>zoomchat search</c> on a real store: the matching rules of docs/search.md#the-query-language, the
/// order and paging of docs/search.md#ranking-and-paging, and an index that imports and removals keep.
/// </summary>
public sealed class SearchCommandTests
{
    [StoreFact]
    public async Task Words_match_whatever_their_case_and_accents()
    {
        using var cli = await StoreWithAsync(
            Line("s-1", "2021-03-01T10:00:00Z", "Café crème at noon?", "m-1"),
            Line("s-1", "2021-03-01T10:01:00Z", "the CAFE is closed", "m-2"),
            Line("s-1", "2021-03-01T10:02:00Z", "coffee instead", "m-3"),
            Line("s-1", "2021-03-01T10:03:00Z", "Ångström and naïve Crème", "m-4"));

        Assert.Equal(["m-2", "m-1"], await IdsAsync(cli, "cafe"));
        Assert.Equal(["m-4", "m-1"], await IdsAsync(cli, "CREME"));
        Assert.Equal(["m-4"], await IdsAsync(cli, "angstrom", "NAIVE"));
        Assert.Empty(await IdsAsync(cli, "caf"));
    }

    [StoreFact]
    public async Task Each_hit_is_one_json_line_with_the_fields_and_time_format_of_the_api()
    {
        using var cli = await StoreWithAsync(
            Line("s-1", "2021-03-01T10:00:00.5+02:00", "deploy now", "m-1", sender: "Ann@Acme.com"),
            Line("s-2", "2021-03-01T11:00:00Z", "deploy\nagain", id: null, sender: null));

        var result = await cli.RunAsync("search", "--account", "acme", "deploy", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(
            """
            {"session_id":"s-2","message_id":null,"date_time":"2021-03-01T11:00:00.000Z","sender":null,"message":"deploy\nagain"}
            {"session_id":"s-1","message_id":"m-1","date_time":"2021-03-01T08:00:00.500Z","sender":"ann@acme.com","message":"deploy now"}

            """.ReplaceLineEndings("\n"),
            result.Output);
        Assert.Equal(string.Empty, result.Error);
    }

    [StoreFact]
    public async Task Plain_output_shows_each_hit_with_its_time_sender_and_session_then_a_count()
    {
        using var cli = await StoreWithAsync(
            Line("s-1", "2021-03-01T10:00:00Z", "deploy now", "m-1"),
            Line("s-2", "2021-03-01T11:00:00Z", "deploy\nagain", "m-2", sender: null));

        var all = await cli.RunAsync("search", "--account", "acme", "deploy");
        var newest = await cli.RunAsync("search", "--account", "acme", "--limit", "1", "deploy");
        var none = await cli.RunAsync("search", "--account", "acme", "nothing");

        Assert.Equal(
            """
            2021-03-01T11:00:00.000Z  (no sender)  in s-2
                deploy
                again
            2021-03-01T10:00:00.000Z  ann@acme.com  in s-1
                deploy now
            2 messages.

            """.ReplaceLineEndings("\n"),
            all.Output);
        Assert.EndsWith("1 newest message shown; older ones match too (raise --limit).\n", newest.Output, StringComparison.Ordinal);
        Assert.Equal("No message matches.\n", none.Output);
    }

    [StoreFact]
    public async Task A_phrase_matches_its_words_next_to_each_other_in_order()
    {
        using var cli = await StoreWithAsync(
            Line("s-1", "2021-03-01T10:00:00Z", "we ship it now", "m-1"),
            Line("s-1", "2021-03-01T10:01:00Z", "now it ship", "m-2"),
            Line("s-1", "2021-03-01T10:02:00Z", "ship, then maybe it", "m-3"),
            Line("s-1", "2021-03-01T10:03:00Z", "SHIP-IT!", "m-4"));

        Assert.Equal(["m-4", "m-1"], await IdsAsync(cli, "\"ship it\""));
        Assert.Equal(["m-4", "m-3", "m-2", "m-1"], await IdsAsync(cli, "ship", "it"));
    }

    [StoreFact]
    public async Task Excluded_words_and_phrases_take_their_messages_out()
    {
        using var cli = await StoreWithAsync(
            Line("s-1", "2021-03-01T10:00:00Z", "release on Friday", "m-1"),
            Line("s-1", "2021-03-01T10:01:00Z", "release today", "m-2"),
            Line("s-1", "2021-03-01T10:02:00Z", "release not yet", "m-3"),
            Line("s-1", "2021-03-01T10:03:00Z", "release yet not", "m-4"));

        Assert.Equal(["m-4", "m-3", "m-2"], await IdsAsync(cli, "release", "-FRIDAY"));
        Assert.Equal(["m-4", "m-2", "m-1"], await IdsAsync(cli, "release -\"not yet\""));
        Assert.Equal(["m-4", "m-2"], await IdsAsync(cli, "release -\"not yet\" -friday"));
    }

    [StoreFact]
    public async Task Each_filter_narrows_the_hits_and_date_bounds_are_inclusive_as_in_chat_list()
    {
        using var cli = await StoreWithAsync(
            Line("s-1", "2021-03-01T00:00:00Z", "standup", "m-1", sender: "ann@acme.com"),
            Line("s-1", "2021-03-01T23:59:59.999Z", "standup", "m-2", sender: "bob@acme.com"),
            Line("s-2", "2021-03-02T00:00:00Z", "standup", "m-3", sender: "ann@acme.com"),
            Line("s-2", "2021-03-02T12:00:00Z", "standup", "m-4", sender: "bob@acme.com"));

        Assert.Equal(["m-3", "m-1"], await IdsAsync(cli, "standup from:ANN@acme.com"));
        Assert.Empty(await IdsAsync(cli, "standup from:nobody@acme.com"));
        Assert.Equal(["m-4", "m-3"], await IdsAsync(cli, "standup in:s-2"));
        Assert.Empty(await IdsAsync(cli, "standup in:S-2"));
        Assert.Equal(["m-4", "m-3", "m-2"], await IdsAsync(cli, "standup after:2021-03-01T23:59:59.999Z"));
        Assert.Equal(["m-2", "m-1"], await IdsAsync(cli, "standup before:2021-03-01"));
        Assert.Equal(["m-3", "m-2", "m-1"], await IdsAsync(cli, "standup before:2021-03-02T00:00Z"));
        Assert.Equal(["m-3"], await IdsAsync(cli, "standup after:2021-03-02 before:2021-03-02T01:00+01:00"));
        Assert.Equal(["m-3"], await IdsAsync(cli, "standup in:s-2 from:ann@acme.com after:2021-03-01"));
    }

    [StoreFact]
    public async Task Hits_come_newest_first_ties_latest_arrival_first_and_limit_keeps_the_newest()
    {
        using var cli = await StoreWithAsync(
            Line("s-1", "2021-03-01T10:00:00Z", "ping", "m-old"),
            Line("s-2", "2021-03-05T10:00:00Z", "ping", "m-tie-first"),
            Line("s-1", "2021-03-05T10:00:00Z", "ping", "m-tie-second"),
            Line("s-3", "2021-03-09T10:00:00Z", "ping", "m-new"),
            Line("s-1", "2021-03-03T10:00:00Z", "ping", "m-mid"));

        Assert.Equal(["m-new", "m-tie-second", "m-tie-first", "m-mid", "m-old"], await IdsAsync(cli, "ping"));
        Assert.Equal(["m-new", "m-tie-second"], await IdsAsync(cli, "ping", "--limit", "2"));
    }

    [StoreFact]
    public async Task Every_hit_is_printed_once_across_many_pages()
    {
        var lines = Enumerable.Range(0, 1_234)
            .Select(i => Line($"s-{i % 7}", DateTimeOffset.FromUnixTimeSeconds(1_600_000_000 + (i * 37 % 1_000)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), $"hello number {i}", $"m-{i}"))
            .ToArray();
        using var cli = await StoreWithAsync(lines);

        var hits = await HitsAsync(cli, "hello");

        Assert.Equal(1_234, hits.Count);
        Assert.Equal(1_234, hits.Select(h => h.GetProperty("message_id").GetString()).Distinct().Count());
        var times = hits.Select(h => h.GetProperty("date_time").GetString()).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        Assert.Equal(1_000, (await HitsAsync(cli, "hello", "--limit", "1000")).Count);
    }

    [StoreFact]
    public async Task A_search_never_returns_another_accounts_messages()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("account", "create", "initech");
        await cli.JsonAsync("import", cli.WriteFile("acme.ndjson", Line("s-1", "2021-03-01T10:00:00Z", "budget review", "m-1", sender: "ann@acme.com")), "--account", "acme");
        await cli.JsonAsync(
            "import",
            cli.WriteFile(
                "initech.ndjson",
                Line("s-1", "2021-03-02T10:00:00Z", "budget review", "m-1", sender: "ann@acme.com"),
                Line("s-9", "2021-03-02T11:00:00Z", "budget cuts", "m-9", sender: "peter@initech.com")),
            "--account",
            "initech");

        var acme = await HitsAsync(cli, "budget");
        Assert.Equal("2021-03-01T10:00:00.000Z", Assert.Single(acme).GetProperty("date_time").GetString());
        Assert.Empty(await IdsAsync(cli, "budget in:s-9"));
        Assert.Empty(await IdsAsync(cli, "budget from:peter@initech.com"));
        Assert.Equal(2, (await HitsAsync(cli, "budget", "--account", "initech")).Count);
    }

    [StoreFact]
    public async Task An_import_is_found_by_the_next_search_and_its_duplicates_only_once()
    {
        using var cli = await StoreWithAsync(Line("s-1", "2021-03-01T10:00:00Z", "first rollout", "m-1"));
        Assert.Equal(["m-1"], await IdsAsync(cli, "rollout"));

        var later = cli.WriteFile("later.ndjson", Line("s-2", "2021-03-02T10:00:00Z", "second rollout", "m-2"), Line("s-1", "2021-03-01T10:00:00Z", "first rollout", "m-1"));
        await cli.JsonAsync("import", later, "--account", "acme");
        await cli.JsonAsync("import", later, "--account", "acme");

        Assert.Equal(["m-2", "m-1"], await IdsAsync(cli, "rollout"));
    }

    [StoreFact]
    public async Task A_removed_session_is_found_no_more_and_imported_again_is_found_once()
    {
        // The removed session's messages are the newest hits: an index entry left behind by the removal would fill the page.
        var removedLines = new[] { Line("s-1", "2021-03-03T10:00:00Z", "misdated offsite plan", "m-1"), Line("s-1", "2021-03-03T10:01:00Z", "offsite agenda", "m-2") };
        using var cli = await StoreWithAsync([.. removedLines, Line("s-2", "2021-03-02T10:00:00Z", "offsite budget", "m-3")]);
        Assert.Equal(["m-2", "m-1", "m-3"], await IdsAsync(cli, "offsite"));

        await cli.JsonAsync("session", "remove", "--account", "acme", "s-1");
        Assert.Equal(["m-3"], await IdsAsync(cli, "offsite", "--limit", "1"));
        Assert.Equal(["m-3"], await IdsAsync(cli, "offsite"));
        Assert.Empty(await IdsAsync(cli, "misdated"));

        await cli.JsonAsync("import", cli.WriteFile("again.ndjson", removedLines), "--account", "acme");
        Assert.Equal(["m-2", "m-1", "m-3"], await IdsAsync(cli, "offsite"));
    }

    [StoreTheory]
    [InlineData("NEAR(deploy")]
    [InlineData("deploy OR")]
    [InlineData("deploy AND NOT")]
    [InlineData("body:deploy*")]
    [InlineData("^deploy +x {body}")]
    [InlineData("deploy\"\"")]
    [InlineData("\"deploy\" \"\"")]
    public async Task Fts5_syntax_in_the_query_is_only_text_to_find(string query)
    {
        using var cli = await StoreWithAsync(Line("s-1", "2021-03-01T10:00:00Z", "deploy", "m-1"));

        var result = await cli.RunAsync("search", "--account", "acme", query, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(string.Empty, result.Error);
    }

    [StoreTheory]
    [InlineData("\"deploy", "zoomchat: Cannot read the search: The quote at character 1 is never closed: end the phrase with another \".")]
    [InlineData("-deploy", "zoomchat: Cannot read the search: Nothing to look for")]
    [InlineData("deploy after:2021-13-01", "zoomchat: Cannot read the search: after: takes yyyy-MM-dd or an ISO 8601 date-time")]
    public async Task A_query_that_cannot_be_read_fails_with_one_line(string query, string expected)
    {
        using var cli = await StoreWithAsync(Line("s-1", "2021-03-01T10:00:00Z", "deploy", "m-1"));

        var result = await cli.RunAsync("search", "--account", "acme", query);

        Assert.StartsWith(expected, result.OneLineError(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Searching_an_unknown_account_or_with_a_bad_limit_fails_with_one_line()
    {
        using var cli = await StoreWithAsync(Line("s-1", "2021-03-01T10:00:00Z", "deploy", "m-1"));

        Assert.Equal("zoomchat: There is no account 'initech'.", (await cli.RunAsync("search", "--account", "initech", "deploy")).OneLineError());
        Assert.Contains("--limit takes a number of hits from 1", (await cli.RunAsync("search", "--account", "acme", "--limit", "0", "deploy")).OneLineError(), StringComparison.Ordinal);
        Assert.Contains("--account", (await cli.RunAsync("search", "deploy")).OneLineError(), StringComparison.Ordinal);
    }

    private static string Line(string session, string dateTime, string message, string? id, string? sender = "ann@acme.com") =>
        Lines.Message(session, dateTime, message, sender: sender, messageId: id);

    private static async Task<CliStore> StoreWithAsync(params string[] lines)
    {
        var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("import", cli.WriteFile("archive.ndjson", lines), "--account", "acme");
        return cli;
    }

    /// <summary>The message ids of the account acme's hits, in the order printed.</summary>
    private static async Task<List<string?>> IdsAsync(CliStore cli, params string[] query) =>
        [.. (await HitsAsync(cli, query)).Select(h => h.GetProperty("message_id").GetString())];

    private static async Task<List<JsonElement>> HitsAsync(CliStore cli, params string[] query)
    {
        string[] args = query.Contains("--account") ? ["search", .. query, "--json"] : ["search", "--account", "acme", .. query, "--json"];
        var result = await cli.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(string.Empty, result.Error);
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }
}
