namespace ZoomChat.Tests.Cli;

/// <summary>Every command prints one clear line and exits non-zero on bad arguments (docs/operations.md#the-zoomchat-command).</summary>
public sealed class BadArgumentTests
{
    [Theory]
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

    [Theory]
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

    [Theory]
    [InlineData("account|create|acme2")]
    [InlineData("export|--account|acme")]
    public async Task Json_output_does_not_change_how_an_error_is_reported(string args)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme2");

        var result = await cli.RunAsync([.. args.Split('|'), "--from", "not-a-date", "--json"]);

        result.OneLineError();
    }

    [Theory]
    [InlineData("postgres://user@db/zoomchat")]
    [InlineData("Host=db;Username=zoomchat")]
    [InlineData(" ")]
    public async Task A_store_that_cannot_be_used_is_one_line(string store)
    {
        var result = await CliStore.RunWithoutStoreAsync("account", "create", "acme", "--store", store);

        result.OneLineError();
    }
}
