using System.Text;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary><c>zoomchat export</c>: the interchange format, its order and filters, and import(export(x)) (docs/import-formats.md#the-interchange-format, docs/operations.md#import-and-export).</summary>
public sealed class ExportCommandTests
{
    // acme's archive as export writes it: sessions in byte order of their ids ("A-dm" < "a-lower" < "b-group"),
    // messages by time then arrival, the latest group name, participants sorted and lower-case.
    private const string Dm =
        """{"account":"acme","session_id":"A-dm","type":"1:1","participants":["ann@acme.com","bob@acme.com"],"sender":"bob@acme.com","date_time":"2016-01-20T10:00:00.000Z","message":"Café ☕ \"quoted\"\nsecond line"}""";

    private const string Lower =
        """{"account":"acme","session_id":"a-lower","type":"Group","group_name":"","participants":[],"date_time":"2016-01-25T00:00:00.000Z","message":"nobody known, after the week"}""";

    private const string Earlier =
        """{"account":"acme","session_id":"b-group","type":"Group","group_name":"New","participants":["ann@acme.com","bob@acme.com","cy@acme.com"],"message_id":"m-0","sender":"cy@acme.com","date_time":"2016-01-17T23:59:59.999Z","message":"earlier"}""";

    private const string Hello =
        """{"account":"acme","session_id":"b-group","type":"Group","group_name":"New","participants":["ann@acme.com","bob@acme.com","cy@acme.com"],"message_id":"m-1","sender":"ann@acme.com","date_time":"2016-01-18T06:40:56.000Z","message":"hello"}""";

    private const string SameInstant =
        """{"account":"acme","session_id":"b-group","type":"Group","group_name":"New","participants":["ann@acme.com","bob@acme.com","cy@acme.com"],"sender":"bob@acme.com","date_time":"2016-01-18T06:40:56.000Z","message":"same millisecond, arrived second"}""";

    private const string Globex =
        """{"account":"globex","session_id":"b-group","type":"Group","group_name":"Globex","participants":["gil@globex.com"],"sender":"gil@globex.com","date_time":"2016-01-19T00:00:00.000Z","message":"globex"}""";

    [StoreFact]
    public async Task Export_writes_every_message_of_the_account_in_the_contracts_order_and_key_order()
    {
        using var cli = await FilledAsync();
        var output = cli.PathOf("acme.ndjson");

        var result = await cli.RunAsync("export", "--account", "acme", "--output", output);

        Assert.Equal((0, "Exported 5 messages.\n"), (result.ExitCode, result.Error));
        Assert.Equal(Ndjson(Dm, Lower, Earlier, Hello, SameInstant), await File.ReadAllTextAsync(output));
    }

    [StoreTheory]
    [InlineData("--session|b-group", "Earlier|Hello|SameInstant")]
    [InlineData("--from|2016-01-18|--to|2016-01-20", "Dm|Hello|SameInstant")]
    [InlineData("--from|2016-01-18T06:40:56Z|--to|2016-01-18T06:40:56.000Z", "Hello|SameInstant")]
    [InlineData("--to|2016-01-17T23:59:59.999Z", "Earlier")]
    [InlineData("--from|2016-01-21", "Lower")]
    [InlineData("--email|Cy@ACME.com", "Earlier|Hello|SameInstant")]
    [InlineData("--email|bob@acme.com|--from|2016-01-19", "Dm")]
    public async Task Export_filters_select_the_messages_of_the_account(string filters, string expected)
    {
        using var cli = await FilledAsync();
        var output = cli.PathOf("out.ndjson");

        var result = await cli.RunAsync(["export", "--account", "acme", .. filters.Split('|'), "--output", output]);

        var lines = expected.Split('|').Select(Line).ToArray();
        Assert.Equal((0, $"Exported {lines.Length} messages.\n"), (result.ExitCode, result.Error));
        Assert.Equal(Ndjson(lines), await File.ReadAllTextAsync(output));
    }

    [StoreFact]
    public async Task Export_without_an_account_writes_every_account()
    {
        using var cli = await FilledAsync();
        var output = cli.PathOf("all.ndjson");

        await cli.RunAsync("export", "--output", output);

        var lines = (await File.ReadAllTextAsync(output)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { Dm, Lower, Earlier, Hello, SameInstant, Globex }.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.Equal([Dm, Lower, Earlier, Hello, SameInstant], lines.Where(l => l.StartsWith("""{"account":"acme",""", StringComparison.Ordinal)));
    }

    [StoreFact]
    public async Task Importing_an_export_into_an_empty_store_exports_byte_identical()
    {
        using var source = await FilledAsync();
        var first = source.PathOf("first.ndjson");
        await source.RunAsync("export", "--output", first);
        using var copy = new CliStore();
        await copy.JsonAsync("account", "create", "acme");
        await copy.JsonAsync("account", "create", "globex");

        var imported = await copy.JsonAsync("import", first);
        var again = await copy.JsonAsync("import", first);
        var second = copy.PathOf("second.ndjson");
        await copy.RunAsync("export", "--output", second);

        Assert.Equal("""{"stored":6,"duplicates":0,"rejected":0}""", imported.GetRawText());
        Assert.Equal("""{"stored":0,"duplicates":6,"rejected":0}""", again.GetRawText());
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    [StoreFact]
    public async Task Export_replaces_an_existing_output_file_whole()
    {
        using var cli = await FilledAsync();
        var output = cli.WriteFile("out.ndjson", "old content that is longer than the export will be, line one", "line two", "line three", "line four", "line five");

        await cli.RunAsync("export", "--account", "acme", "--session", "A-dm", "--output", output);

        Assert.Equal(Ndjson(Dm), await File.ReadAllTextAsync(output));
        Assert.Equal(["out.ndjson", "source.ndjson"], Directory.GetFiles(cli.Folder.Path, "*.ndjson*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task Export_of_an_unknown_account_is_an_error_and_writes_no_file()
    {
        using var cli = await FilledAsync();
        var output = cli.PathOf("out.ndjson");

        var result = await cli.RunAsync("export", "--account", "initech", "--output", output);

        Assert.Contains("initech", result.OneLineError(), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [StoreFact]
    public async Task Export_without_output_writes_to_standard_output()
    {
        using var cli = await FilledAsync();

        var result = await ZoomchatProcess.RunAsync(cli.Folder.Path, [], "export", "--account", "acme", "--session", "b-group", "--store", cli.StorePath);

        Assert.Equal((0, "Exported 3 messages.\n"), (result.ExitCode, result.Error));
        Assert.Equal(Ndjson(Earlier, Hello, SameInstant), result.Output);
    }

    /// <summary>A store with accounts acme and globex, filled through the command from source.ndjson.</summary>
    private static async Task<CliStore> FilledAsync()
    {
        var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("account", "create", "globex");
        var file = cli.WriteFile(
            "source.ndjson",
            Lines.Message("b-group", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", groupName: "Old", participants: ["Cy@Acme.com", "ann@acme.com"], messageId: "m-1"),
            Lines.Message("b-group", "2016-01-18T06:40:56.000Z", "same millisecond, arrived second", "BOB@acme.com", groupName: "New"),
            Lines.Message("b-group", "2016-01-18T00:59:59.999+01:00", "earlier", "cy@acme.com", messageId: "m-0"),
            Lines.Message("A-dm", "2016-01-20T10:00:00Z", "Café ☕ \"quoted\"\nsecond line", "bob@acme.com", type: "1:1", participants: ["bob@acme.com", "Ann@acme.com"]),
            Lines.Message("a-lower", "2016-01-25T00:00:00Z", "nobody known, after the week"),
            Lines.Message("b-group", "2016-01-19T00:00:00Z", "globex", "gil@globex.com", groupName: "Globex", account: "globex"));
        Assert.Equal("""{"stored":6,"duplicates":0,"rejected":0}""", (await cli.JsonAsync("import", file, "--account", "acme")).GetRawText());
        return cli;
    }

    private static string Line(string name) => name switch
    {
        nameof(Dm) => Dm,
        nameof(Lower) => Lower,
        nameof(Earlier) => Earlier,
        nameof(Hello) => Hello,
        nameof(SameInstant) => SameInstant,
        nameof(Globex) => Globex,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string Ndjson(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));
}
