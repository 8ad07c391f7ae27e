using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>Every command prints one clear line and exits non-zero on bad arguments (docs/operations.md#the-zoomchat-command).</summary>
public sealed class BadArgumentTests
{
    [StoreTheory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("account")]
    [InlineData("account|create")]
    [InlineData("account|create|acme")]
    [InlineData("account|create|   ")]
    [InlineData("account|create|other|--no-such-flag")]
    [InlineData("key|create")]
    [InlineData("key|create|--account|initech")]
    [InlineData("key|revoke|--account|acme")]
    [InlineData("key|revoke|--account|acme|no-such-key")]
    [InlineData("user|add|--account|acme")]
    [InlineData("user|add|--account|acme|--email|not-an-email")]
    [InlineData("user|add|--account|initech|--email|ann@acme.com")]
    [InlineData("token|issue|--account|acme|--email|ann@acme.com")]
    [InlineData("token|issue|--account|acme|--email|nobody@acme.com")]
    [InlineData("token|issue|--account|acme|--email|viewer@acme.com|--expires-in|0")]
    [InlineData("token|issue|--account|acme|--email|viewer@acme.com|--expires-in|-5")]
    [InlineData("token|issue|--account|acme|--email|viewer@acme.com|--expires-in|soon")]
    [InlineData("token|revoke|--account|acme|no-such-token")]
    [InlineData("import")]
    [InlineData("import|missing.ndjson")]
    [InlineData("import|data.ndjson|--format|csv")]
    [InlineData("import|-|data.ndjson|-")]
    [InlineData("import|data.ndjson|--batch-size|0")]
    [InlineData("import|data.ndjson|--batch-size|abc")]
    [InlineData("import|data.ndjson|--batch-size|99999999999")]
    [InlineData("export|--from|yesterday")]
    [InlineData("export|--to|2016-13-01")]
    [InlineData("export|--account|initech")]
    [InlineData("serve|--rate-limits|maybe")]
    [InlineData("serve|--error-status|teapot")]
    [InlineData("serve|--page-token-lifetime|soon")]
    [InlineData("serve|--page-token-lifetime|0")]
    [InlineData("serve|--urls|not-a-url")]
    public async Task A_bad_command_line_prints_one_line_and_exits_non_zero(string args)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ann@acme.com");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "viewer@acme.com", "--archive-viewer");
        var data = cli.WriteFile("data.ndjson", """{"session_id":"s-1","date_time":"2016-01-18T10:00:00Z","message":"m"}""");
        var arguments = args.Length == 0 ? [] : args.Split('|').Select(a => a == "data.ndjson" ? data : a == "missing.ndjson" ? cli.PathOf(a) : a).ToArray();

        var result = await cli.RunAsync(arguments);

        result.OneLineError();
    }

    [StoreTheory]
    [InlineData("frobnicate", "'frobnicate'")]
    [InlineData("account|frobnicate", "'frobnicate'")]
    [InlineData("account|create|other|--no-such-flag", "'--no-such-flag'")]
    [InlineData("serve|--rate-limits|maybe", "'maybe'")]
    [InlineData("token|issue|--account|acme|--email|viewer@acme.com|--expires-in|soon", "'soon'")]
    [InlineData("serve|--urls|not-a-url", "'not-a-url'")]
    [InlineData("import|missing.ndjson", "missing.ndjson")]
    public async Task The_error_line_names_what_was_wrong(string args, string named)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var result = await cli.RunAsync(args.Split('|'));

        Assert.Contains(named, result.OneLineError(), StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("user|add|--acount|acme|--email|ann@acme.com", "user add")]
    [InlineData("import|data.ndjson|--acount|acme", "import")]
    [InlineData("export|--acount|acme", "export")]
    [InlineData("account|list|--acount|acme", "account list")]
    public async Task A_mistyped_option_is_an_unknown_option(string args, string command)
    {
        using var cli = new CliStore();
        var data = cli.WriteFile("data.ndjson", """{"session_id":"s-1","date_time":"2016-01-18T10:00:00Z","message":"m"}""");

        var result = await cli.RunAsync(args.Split('|').Select(a => a == "data.ndjson" ? data : a).ToArray());

        Assert.Equal($"zoomchat: unknown option '--acount' (see zoomchat {command} --help)", result.OneLineError());
    }

    [StoreTheory]
    [InlineData(
        "token|issue|--account|acme|--email|viewer@acme.com|--expires-in|30d",
        "--expires-in takes a number of seconds from 1 to 3153600000, not '30d' (30 days is 2592000) (see zoomchat token issue --help)")]
    [InlineData(
        "token|issue|--account|acme|--email|viewer@acme.com|--expires-in|0",
        "--expires-in takes a number of seconds from 1 to 3153600000, not '0' (30 days is 2592000) (see zoomchat token issue --help)")]
    [InlineData("serve|--page-token-lifetime|soon", "--page-token-lifetime takes a number of seconds from 1 to 31536000, not 'soon' (see zoomchat serve --help)")]
    [InlineData("serve|--page-token-lifetime|0", "--page-token-lifetime takes a number of seconds from 1 to 31536000, not '0' (see zoomchat serve --help)")]
    [InlineData("user|add|--account|acme|--email|ann@acme.com|--archive-viewer|maybe", "unexpected argument 'maybe' (see zoomchat user add --help)")]
    [InlineData("account|frobnicate", "unknown command 'frobnicate' (see zoomchat account --help)")]
    public async Task A_bad_value_names_the_flag_and_what_it_takes_in_words(string args, string message)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "viewer@acme.com", "--archive-viewer");

        var result = await cli.RunAsync(args.Split('|'));

        Assert.Equal($"zoomchat: {message}", result.OneLineError());
    }

    [StoreFact]
    public async Task An_argument_after_a_double_dash_may_begin_with_a_dash()
    {
        using var cli = new CliStore();

        var result = await CliStore.RunWithoutStoreAsync("--store", cli.StorePath, "--json", "account", "create", "--", "-acme");

        Assert.Equal("""{"account":"-acme"}""", result.SingleJsonObject().GetRawText());
    }

    [StoreFact]
    public async Task Help_shows_that_import_takes_several_files()
    {
        var result = await CliStore.RunWithoutStoreAsync("--help");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Contains("import <FILE...>", result.Output, StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("account|create|acme2")]
    [InlineData("export|--account|acme")]
    public async Task Json_output_does_not_change_how_an_error_is_reported(string args)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme2");

        var result = await cli.RunAsync([.. args.Split('|'), "--from", "not-a-date", "--json"]);

        result.OneLineError();
    }

    [StoreTheory]
    [InlineData("postgres://user@db/zoomchat")]
    [InlineData("Host=db;Username=zoomchat")]
    [InlineData(" ")]
    public async Task A_store_that_cannot_be_used_is_one_line(string store)
    {
        var result = await CliStore.RunWithoutStoreAsync("account", "create", "acme", "--store", store);

        result.OneLineError();
    }
}
