using System.IO.Compression;
using System.Text;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary><c>zoomchat import</c> (docs/import-formats.md#the-interchange-format, docs/operations.md#import-and-export).</summary>
public sealed class ImportCommandTests
{
    [StoreFact]
    public async Task Import_of_several_files_prints_one_summary_and_reports_each_bad_line_with_its_file_and_number()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var first = cli.WriteFile(
            "first.ndjson",
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", "ann@acme.com", messageId: "m-1"),
            Lines.Message("s-1", "2016-01-18T10:01:00Z", "two", "ann@acme.com", messageId: "m-2"),
            string.Empty,
            "{not json",
            Lines.Message("s-2", "2016-01-18T10:02:00Z", "three", "bob@acme.com"));
        var second = cli.WriteFile(
            "second.ndjson",
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", "ann@acme.com", messageId: "m-1"),
            Lines.Message("s-3", "2016-01-18T10:03:00Z", "four", "cy@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:09:00Z", "conflicting text", "ann@acme.com", messageId: "m-2"));

        var result = await cli.RunAsync("import", first, second, "--account", "acme", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"stored":4,"duplicates":1,"rejected":2}""" + "\n", result.Output);
        var problems = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, problems.Length);
        Assert.StartsWith($"{first}:4: ", problems[0], StringComparison.Ordinal);
        Assert.StartsWith($"{second}:3: ", problems[1], StringComparison.Ordinal);
        Assert.Contains("m-2", problems[1], StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Import_summary_has_exactly_the_keys_stored_duplicates_rejected()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var file = cli.WriteFile("a.ndjson", Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", account: "acme"));

        var json = await cli.JsonAsync("import", file);

        Assert.Equal(["stored", "duplicates", "rejected"], JsonKeys.Of(json));
        Assert.Equal((1, 0, 0), (json.GetProperty("stored").GetInt64(), json.GetProperty("duplicates").GetInt64(), json.GetProperty("rejected").GetInt64()));
    }

    [StoreFact]
    public async Task Importing_the_same_file_again_stores_nothing_and_counts_duplicates()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var file = cli.WriteFile(
            "a.ndjson",
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "with id", "ann@acme.com", messageId: "m-1"),
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "without id", "ann@acme.com"),
            Lines.Message("s-2", "2016-01-18T10:00:00Z", "no sender either"));

        var once = await cli.JsonAsync("import", file, "--account", "acme");
        var twice = await cli.JsonAsync("import", file, "--account", "acme");

        Assert.Equal("""{"stored":3,"duplicates":0,"rejected":0}""", once.GetRawText());
        Assert.Equal("""{"stored":0,"duplicates":3,"rejected":0}""", twice.GetRawText());
    }

    [StoreFact]
    public async Task Lines_name_their_account_or_take_the_one_the_import_names_and_never_create_one()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("account", "create", "globex");
        var file = cli.WriteFile(
            "a.ndjson",
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "acme by default"),
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "globex by name", account: "globex"),
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "nobody", account: "initech"));

        var withAccount = await cli.RunAsync("import", file, "--account", "acme", "--json");
        var withoutAccount = await cli.RunAsync("import", file, "--json");
        var initech = await cli.RunAsync("key", "create", "--account", "initech");

        Assert.Equal("""{"stored":2,"duplicates":0,"rejected":1}""" + "\n", withAccount.Output);
        Assert.Equal([$"{file}:3: account 'initech' does not exist"], withAccount.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("""{"stored":0,"duplicates":1,"rejected":2}""" + "\n", withoutAccount.Output);
        Assert.StartsWith($"{file}:1: ", withoutAccount.Error, StringComparison.Ordinal);
        initech.OneLineError();
    }

    [StoreFact]
    public async Task Import_reads_gzip_files()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var path = cli.PathOf("a.ndjson.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Lines.Message("s-1", "2016-01-18T10:00:00Z", "zipped", "ann@acme.com") + "\n"));
        }

        var json = await cli.JsonAsync("import", path, "--account", "acme");

        Assert.Equal("""{"stored":1,"duplicates":0,"rejected":0}""", json.GetRawText());
    }

    [StoreFact]
    public async Task A_gzip_file_cut_short_or_not_gzip_at_all_is_one_error_line_naming_it()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var whole = new MemoryStream();
        await using (var gzip = new GZipStream(whole, CompressionLevel.Optimal, leaveOpen: true))
        {
            // Random texts, so that the compressed file is long enough to cut.
            var random = new Random(3);
            for (var i = 0; i < 500; i++)
            {
                var text = Convert.ToHexString(Enumerable.Range(0, 40).Select(_ => (byte)random.Next(256)).ToArray());
                gzip.Write(Encoding.UTF8.GetBytes(Lines.Message("s-1", "2016-01-18T10:00:00Z", text, "ann@acme.com", messageId: $"m-{i}") + "\n"));
            }
        }

        var bytes = whole.ToArray();
        var complete = cli.PathOf("complete.ndjson.gz");
        await File.WriteAllBytesAsync(complete, bytes);
        var cut = cli.PathOf("cut.ndjson.gz");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length * 2 / 3)]);
        var notGzip = cli.PathOf("plain.ndjson.gz");
        await File.WriteAllTextAsync(notGzip, "not gzip at all");

        var cutResult = await cli.RunAsync("import", cut, "--account", "acme", "--json");
        var notGzipResult = await cli.RunAsync("import", notGzip, "--account", "acme", "--json");
        var completeResult = await cli.JsonAsync("import", complete, "--account", "acme");

        Assert.Equal(1, cutResult.ExitCode);
        Assert.Contains("cut.ndjson.gz is cut short", cutResult.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        Assert.Contains("plain.ndjson.gz is not readable gzip data", notGzipResult.OneLineError(), StringComparison.Ordinal);
        Assert.Equal("""{"stored":500,"duplicates":0,"rejected":0}""", completeResult.GetRawText());
    }

    [StoreFact]
    public async Task A_named_pipe_is_read_once_as_standard_input_is()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var pipe = cli.PathOf("history.ndjson");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
        {
            await mkfifo.WaitForExitAsync();
        }

        var lines = string.Join('\n', Enumerable.Range(0, 3).Select(i => Lines.Message("s-1", $"2016-01-18T10:0{i}:00Z", $"m{i}", "ann@acme.com")));
        // Opening a pipe for writing waits for its reader: the import.
        var writer = Task.Run(async () => await File.WriteAllTextAsync(pipe, lines + "\n"));

        var json = await cli.JsonAsync("import", pipe, "--account", "acme");
        await writer;

        Assert.Equal("""{"stored":3,"duplicates":0,"rejected":0}""", json.GetRawText());
    }

    [StoreFact]
    public async Task A_missing_file_stops_the_import_before_any_file_is_read()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var file = cli.WriteFile("a.ndjson", Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", "ann@acme.com"));

        var result = await cli.RunAsync("import", file, cli.PathOf("missing.ndjson"), "--account", "acme", "--json");
        var again = await cli.JsonAsync("import", file, "--account", "acme");

        Assert.Contains("missing.ndjson", result.OneLineError(), StringComparison.Ordinal);
        Assert.Equal("""{"stored":1,"duplicates":0,"rejected":0}""", again.GetRawText());
    }

    [StoreFact]
    public async Task Import_of_dash_reads_standard_input()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var input = Encoding.UTF8.GetBytes(string.Join('\n',
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "Café ☕ from a pipe", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:01:00Z", "two", "bob@acme.com"),
            """{"session_id":"s-1"}""") + "\n");

        var result = await ZoomchatProcess.RunAsync(cli.Folder.Path, input, "import", "-", "--account", "acme", "--json", "--store", cli.StorePath);

        Assert.Equal((0, """{"stored":2,"duplicates":0,"rejected":1}""" + "\n"), (result.ExitCode, result.Output));
        Assert.Equal(["-:3: date_time is required"], result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var exported = cli.PathOf("out.ndjson");
        Assert.Equal(0, (await cli.RunAsync("export", "--output", exported)).ExitCode);
        Assert.Equal(
            """{"account":"acme","session_id":"s-1","type":"Group","group_name":"","participants":["ann@acme.com","bob@acme.com"],"sender":"ann@acme.com","date_time":"2016-01-18T10:00:00.000Z","message":"Café ☕ from a pipe"}""" + "\n" +
            """{"account":"acme","session_id":"s-1","type":"Group","group_name":"","participants":["ann@acme.com","bob@acme.com"],"sender":"bob@acme.com","date_time":"2016-01-18T10:01:00.000Z","message":"two"}""" + "\n",
            await File.ReadAllTextAsync(exported));
    }
}
