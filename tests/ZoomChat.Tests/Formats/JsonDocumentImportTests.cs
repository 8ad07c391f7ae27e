using System.IO.Compression;
using System.Text;
using Xunit.Abstractions;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>
/// Inputs told by their content, not their names: gzip by its magic bytes, a pretty-printed saved
/// v1 response read as one document, and what a folder's import leaves out said (docs/import-formats.md).
/// </summary>
public sealed class JsonDocumentImportTests(ITestOutputHelper output)
{
    [StoreFact]
    public async Task A_gzip_file_without_a_gz_name_is_read_as_gzip()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var path = cli.PathOf("history.ndjson");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Lines.Message("s-1", "2016-01-18T10:00:00Z", "zipped", "ann@acme.com") + "\n"));
        }

        var json = await cli.JsonAsync("import", path, "--account", "acme");

        Assert.Equal("""{"stored":1,"duplicates":0,"rejected":0}""", json.GetRawText());
    }

    [StoreFact]
    public async Task A_saved_pretty_printed_chat_get_response_is_imported_as_its_sessions_messages()
    {
        if (SharedData.Find("zoom-fixtures/zoom_rb/chat/get.json", output) is not { } get)
        {
            return;
        }

        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var json = await cli.JsonAsync("import", get, "--account", "acme");
        var again = await cli.JsonAsync("import", get, "--account", "acme");

        Assert.Equal("""{"stored":1,"duplicates":0,"rejected":0}""", json.GetRawText());
        Assert.Equal("""{"stored":0,"duplicates":1,"rejected":0}""", again.GetRawText());
        var exported = cli.PathOf("out.ndjson");
        await cli.RunAsync("export", "--output", exported);
        Assert.Equal(
            """{"account":"acme","session_id":"123456","type":"Group","group_name":"zoom","participants":[],"date_time":"2016-01-18T06:40:56.000Z","message":"test1"}""" + "\n",
            await File.ReadAllTextAsync(exported));
    }

    [StoreFact]
    public async Task A_saved_chat_list_response_is_one_error_line_saying_it_holds_no_messages()
    {
        if (SharedData.Find("zoom-fixtures/zoom_rb/chat/list.json", output) is not { } list)
        {
            return;
        }

        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var result = await cli.RunAsync("import", list, "--account", "acme");

        Assert.Contains("is a saved chat/list response: it lists sessions, not their messages", result.OneLineError(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_pretty_printed_document_of_no_known_kind_is_one_error_line_not_one_per_line()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var path = cli.WriteFile("settings.json", "{", "  \"name\": \"not a chat\",", "  \"items\": [", "    1,", "    2", "  ]", "}");

        var result = await cli.RunAsync("import", path, "--account", "acme");

        Assert.Contains($"cannot tell the format of {path}", result.OneLineError(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_folders_files_that_are_not_report_bodies_are_named_as_skipped()
    {
        if (SharedData.Find("zoom-fixtures/zoomnet/Endpoints/report-chat-sessions_GET.json", output) is not { } sessions)
        {
            return;
        }

        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var folder = Path.Combine(cli.Folder.Path, "pull");
        Directory.CreateDirectory(folder);
        File.Copy(sessions, Path.Combine(folder, "sessions.json"));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "what I pulled");

        var result = await cli.RunAsync("import", folder, "--account", "acme", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [$"{Path.Combine(folder, "notes.txt")}: skipped, not a .json or .json.gz file (a folder is read for Zoom report bodies)"],
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
