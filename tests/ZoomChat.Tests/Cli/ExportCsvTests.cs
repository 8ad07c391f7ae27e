using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary><c>zoomchat export --format csv</c> (docs/import-formats.md#csv): RFC 4180, read back by <c>import --format csv</c> into the same archive.</summary>
public sealed class ExportCsvTests
{
    private static readonly string[] History =
    [
        """{"account":"acme","session_id":"A-dm","type":"1:1","participants":["ann@acme.com","bob@acme.com"],"sender":"bob@acme.com","date_time":"2016-01-20T10:00:00.000Z","message":"Café ☕ \"quoted\"\nsecond line"}""",
        """{"account":"acme","session_id":"a-lower","type":"Group","group_name":"","participants":[],"date_time":"2016-01-25T00:00:00.000Z","message":"nobody known, after the week"}""",
        """{"account":"acme","session_id":"b,group","type":"Group","group_name":"New, \"improved\"","participants":["ann@acme.com","bob@acme.com","cy@acme.com"],"message_id":"m-0","sender":"cy@acme.com","date_time":"2016-01-17T23:59:59.999Z","message":"  spaces kept  "}""",
        """{"account":"acme","session_id":"b,group","type":"Group","group_name":"New, \"improved\"","participants":["ann@acme.com","bob@acme.com","cy@acme.com"],"message_id":"m-1","sender":"ann@acme.com","date_time":"2016-01-18T06:40:56.000Z","message":"crlf\r\nand cr\rend"}""",
        """{"account":"acme","session_id":"b,group","type":"Group","group_name":"New, \"improved\"","participants":["ann@acme.com","bob@acme.com","cy@acme.com"],"sender":"bob@acme.com","date_time":"2016-01-18T06:40:56.000Z","message":""}""",
        """{"account":"acme","session_id":"b,group","type":"Group","group_name":"New, \"improved\"","participants":["ann@acme.com","bob@acme.com","cy@acme.com"],"sender":"bob@acme.com","date_time":"2016-01-18T06:40:56.000Z","message":"same millisecond, arrived after the empty one"}""",
    ];

    [StoreFact]
    public async Task Export_as_csv_writes_a_header_row_of_interchange_names_and_quotes_only_what_rfc_4180_needs()
    {
        using var cli = await FilledAsync();
        var csv = cli.PathOf("acme.csv");

        var result = await cli.RunAsync("export", "--format", "csv", "--output", csv);

        Assert.Equal((0, $"Exported {History.Length} messages.\n"), (result.ExitCode, result.Error));
        var text = await File.ReadAllTextAsync(csv);
        Assert.StartsWith("account,session_id,type,group_name,participants,message_id,sender,date_time,message\r\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "\r\nacme,A-dm,1:1,,ann@acme.com;bob@acme.com,,bob@acme.com,2016-01-20T10:00:00.000Z,\"Café ☕ \"\"quoted\"\"\nsecond line\"\r\n",
            text,
            StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Import_of_a_csv_export_into_an_empty_store_exports_the_same_ndjson()
    {
        using var original = await FilledAsync();
        var csv = original.PathOf("acme.csv");
        Assert.Equal(0, (await original.RunAsync("export", "--format", "csv", "--output", csv)).ExitCode);
        using var copy = new CliStore();
        await copy.JsonAsync("account", "create", "acme");

        var imported = await copy.JsonAsync("import", csv, "--format", "csv");

        Assert.Equal("""{"stored":6,"duplicates":0,"rejected":0}""", imported.GetRawText());
        Assert.Equal(await NdjsonAsync(original), await NdjsonAsync(copy));
    }

    private static async Task<CliStore> FilledAsync()
    {
        var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var file = cli.WriteFile("history.ndjson", History);
        Assert.Equal(History.Length, (await cli.JsonAsync("import", file)).GetProperty("stored").GetInt32());
        return cli;
    }

    private static async Task<string> NdjsonAsync(CliStore cli)
    {
        var path = cli.PathOf("export.ndjson");
        var result = await cli.RunAsync("export", "--output", path);
        Assert.Equal((0, $"Exported {History.Length} messages.\n"), (result.ExitCode, result.Error));
        var text = await File.ReadAllTextAsync(path);
        Assert.Equal(History.Length, text.Count(c => c == '\n'));
        return text;
    }
}
