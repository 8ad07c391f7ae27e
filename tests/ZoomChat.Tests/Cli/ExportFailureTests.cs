using System.IO.Compression;
using System.Text;
using ZoomChat.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// <c>zoomchat export</c> fails where the API does (codes 300, 1001, 3001), ends with a count, writes
/// gzip for a <c>.gz</c> name, and never leaves a partial file (docs/operations.md#import-and-export).
/// </summary>
public sealed class ExportFailureTests
{
    [StoreTheory]
    [InlineData("--from|2022-01-01|--to|2021-01-01", "--to 2021-01-01 is earlier than --from 2022-01-01")]
    [InlineData("--session|nosuch", "There is no session 'nosuch' (--session)")]
    [InlineData("--account|acme|--session|nosuch", "There is no session 'nosuch' in account 'acme' (--session)")]
    [InlineData("--account|globex|--session|s-1", "There is no session 's-1' in account 'globex' (--session)")]
    [InlineData("--email|nobody@x.com", "There is no user 'nobody@x.com' (--email)")]
    [InlineData("--account|globex|--email|Ann@Acme.com", "There is no user 'ann@acme.com' in account 'globex' (--email)")]
    public async Task A_filter_that_matches_nothing_the_archive_holds_is_one_error_line_and_no_file(string filters, string error)
    {
        using var cli = await FilledAsync();
        var output = cli.PathOf("out.ndjson");

        var result = await cli.RunAsync(["export", .. filters.Split('|'), "--output", output]);

        Assert.Equal($"zoomchat: {error}.", result.OneLineError());
        Assert.False(File.Exists(output));
    }

    [StoreFact]
    public async Task A_user_in_no_session_of_the_window_is_an_empty_export_not_an_error()
    {
        using var cli = await FilledAsync();
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "quiet@acme.com");

        var result = await cli.RunAsync("export", "--email", "quiet@acme.com", "--json", "--output", cli.PathOf("out.ndjson"));

        Assert.Equal((0, string.Empty, """{"exported":0}""" + "\n"), (result.ExitCode, result.Output, result.Error));
    }

    [StoreFact]
    public async Task Export_with_json_ends_with_the_count_on_standard_error()
    {
        using var cli = await FilledAsync();

        var result = await cli.RunAsync("export", "--account", "acme", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("""{"exported":2}""" + "\n", result.Error);
    }

    [StoreFact]
    public async Task An_output_name_ending_in_gz_is_written_as_gzip_that_import_reads_back()
    {
        using var cli = await FilledAsync();
        var plain = cli.PathOf("all.ndjson");
        var zipped = cli.PathOf("all.ndjson.gz");
        await cli.RunAsync("export", "--output", plain);

        var result = await cli.RunAsync("export", "--output", zipped);

        Assert.Equal(0, result.ExitCode);
        await using (var gzip = new GZipStream(File.OpenRead(zipped), CompressionMode.Decompress))
        using (var text = new MemoryStream())
        {
            await gzip.CopyToAsync(text);
            Assert.Equal(await File.ReadAllBytesAsync(plain), text.ToArray());
        }

        using var copy = new CliStore();
        await copy.JsonAsync("account", "create", "acme");
        await copy.JsonAsync("account", "create", "globex");
        Assert.Equal("""{"stored":3,"duplicates":0,"rejected":0}""", (await copy.JsonAsync("import", zipped)).GetRawText());
    }

    [StoreFact]
    public async Task An_output_in_a_missing_folder_is_an_error_naming_the_file_as_given()
    {
        using var cli = await FilledAsync();
        var output = Path.Combine(cli.Folder.Path, "missing", "out.ndjson");

        var result = await cli.RunAsync("export", "--output", output);

        var line = result.OneLineError();
        Assert.Contains($"Cannot write {output}:", line, StringComparison.Ordinal);
        Assert.DoesNotContain(".partial", line, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task An_export_stopped_part_way_leaves_neither_its_file_nor_the_partial_one()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var history = cli.WriteFile("history.ndjson", [.. Enumerable.Range(0, 3000).Select(i => Lines.Message(
            $"s-{i % 5}", $"2016-01-18T06:{i / 60 % 60:00}:{i % 60:00}Z", $"message {i}", "ann@acme.com", messageId: $"m-{i}", account: "acme"))]);
        await cli.JsonAsync("import", history);
        var output = cli.PathOf("out.ndjson");
        using var stop = new CancellationTokenSource();
        // Ctrl+C as the first progress line is written: a thousand messages into the export.
        using var error = new StoppingWriter(stop);

        var exitCode = await ZoomChatCommandLine.RunAsync(
            ["export", "--output", output, "--store", cli.StorePath], TextReader.Null, TextWriter.Null, () => Stream.Null, error, TimeSpan.Zero, stop.Token);

        Assert.True(stop.IsCancellationRequested);
        Assert.Equal(130, exitCode);
        Assert.Equal(["history.ndjson"], Directory.GetFiles(cli.Folder.Path, "*.ndjson*").Select(Path.GetFileName));
    }

    /// <summary>acme's two messages in s-1 and globex's one.</summary>
    private static async Task<CliStore> FilledAsync()
    {
        var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("account", "create", "globex");
        var file = cli.WriteFile(
            "source.ndjson",
            Lines.Message("s-1", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", account: "acme"),
            Lines.Message("s-1", "2016-01-18T06:41:56Z", "again", "bob@acme.com", account: "acme"),
            Lines.Message("g-1", "2016-01-19T00:00:00Z", "globex", "gil@globex.com", account: "globex"));
        await cli.JsonAsync("import", file);
        return cli;
    }

    /// <summary>Standard error that cancels the command when its first progress line is written.</summary>
    private sealed class StoppingWriter(CancellationTokenSource stop) : StringWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            if (value?.StartsWith("zoomchat: export:", StringComparison.Ordinal) == true)
            {
                stop.Cancel();
            }

            base.WriteLine(value);
        }
    }
}
