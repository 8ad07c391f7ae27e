using System.Text;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary><c>zoomchat import</c> with the formats of docs/import-formats.md: detection, flags, the summary and the problems it prints.</summary>
public sealed class ImportCommandFormatTests
{
    private const string ZoomTxt =
        "11:00:00 From Ann Lee To Everyone:\n\tWho has the agenda?\n\n"
        + "11:00:10 From Bob to Everyone:\n\tReacted to \"Who has the agen...\" with 👍\n\n"
        + "11:00:20 From Bob To Ann Lee(Direct Message):\n\tI do\n";

    private const string Sessions = """{"sessions":[{"id":"g7f3a9","name":"Design","type":"Group","member_emails":["ann@acme.com","bob@acme.com"]}]}""";

    private const string Messages = """{"messages":[{"id":"m-1","message":"from the report","sender":"ann@acme.com","date_time":"2024-03-01T10:00:00Z"}]}""";

    [StoreFact]
    public async Task Import_tells_each_input_format_from_its_content_and_reports_the_reactions_of_Zoom_chat_files()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var ndjson = cli.WriteFile("a.ndjson", Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", "ann@acme.com", messageId: "n-1"));
        var csv = cli.WriteFile("b.csv", "session_id,message_id,date_time,message", "s-2,c-1,2016-01-18T10:00:00Z,\"two, quoted\"");
        var chat = cli.PathOf("meeting_saved_chat.txt");
        await File.WriteAllTextAsync(chat, ZoomTxt);
        var report = Directory.CreateDirectory(cli.PathOf("report")).FullName;
        await File.WriteAllTextAsync(Path.Combine(report, "sessions.json"), Sessions);
        await File.WriteAllTextAsync(Path.Combine(report, "g7f3a9.json"), Messages);
        string[] args = ["import", ndjson, csv, chat, report, "--account", "acme", "--date", "2024-03-01", "--timezone", "Europe/Paris", "--email-domain", "acme.com"];

        var first = await cli.JsonAsync(args);
        var again = await cli.JsonAsync(args);

        Assert.Equal("""{"stored":5,"duplicates":0,"rejected":0,"reactions":1,"deleted_messages":0,"edited_messages":0}""", first.GetRawText());
        Assert.Equal("""{"stored":0,"duplicates":5,"rejected":0,"reactions":1,"deleted_messages":0,"edited_messages":0}""", again.GetRawText());
    }

    [StoreFact]
    public async Task Without_a_Zoom_chat_file_the_summary_keeps_exactly_stored_duplicates_rejected()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var csv = cli.WriteFile("b.csv", "session_id,date_time,message", "s-2,2016-01-18T10:00:00Z,two");

        var json = await cli.JsonAsync("import", csv, "--account", "acme", "--format", "csv");

        Assert.Equal(["stored", "duplicates", "rejected"], JsonKeys.Of(json));
    }

    [StoreFact]
    public async Task Each_bad_record_is_printed_with_its_file_and_line_and_the_rest_imported()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var csv = cli.WriteFile("b.csv", "session_id,date_time,message", "s-2,2016-01-18T10:00:00Z,\"two", "lines\"", "s-2,never,bad");
        var chat = cli.WriteFile("chat.txt", "Notes", "10:00:00\t From Ann : hi");
        var report = Directory.CreateDirectory(cli.PathOf("report")).FullName;
        await File.WriteAllTextAsync(Path.Combine(report, "s-9.json"), "{\n\"messages\": [\n{\"id\":\n");

        var result = await cli.RunAsync("import", csv, chat, report, "--account", "acme", "--json", "--date", "2024-03-01", "--timezone", "UTC", "--email-domain", "acme.com");

        Assert.Equal((0, """{"stored":2,"duplicates":0,"rejected":3,"reactions":0,"deleted_messages":0,"edited_messages":0}""" + "\n"), (result.ExitCode, result.Output));
        var problems = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, problems.Length);
        Assert.StartsWith($"{csv}:4: date_time is not an ISO 8601 date-time", problems[0], StringComparison.Ordinal);
        Assert.StartsWith($"{chat}:1: no message has started", problems[1], StringComparison.Ordinal);
        Assert.StartsWith($"{Path.Combine(report, "s-9.json")}:4: not valid JSON", problems[2], StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("chat|--date|2024-03-01|--timezone|UTC", "--email-domain")]
    [InlineData("chat|--email-domain|acme.com", "--date")]
    [InlineData("chat|--date|2024-03-01|--timezone|Mars/Olympus_Mons|--email-domain|acme.com", "--timezone")]
    [InlineData("ndjson|--date|2024-03-01", "--date")]
    [InlineData("ndjson|--session-id|s-1", "--session-id")]
    [InlineData("unknown", "unknown.txt")]
    [InlineData("folder|--format|csv", "folder")]
    [InlineData("ndjson|--format|csv", "is not CSV")]
    [InlineData("ndjson|--format|zoom-txt|--email-domain|acme.com", "Zoom chat message")]
    [InlineData("chat|--date|2024-03-01|--timezone|UTC|--email-domain|acme.com|--start|2024-03-01T10:00:00Z", "--start")]
    [InlineData("recording|--start|2024-03-01T10:00:00Z|--date|2024-03-01|--email-domain|acme.com", "--date")]
    [InlineData("recording|--start|2024-03-01T10:00:00Z|--timezone|UTC|--email-domain|acme.com", "--timezone")]
    [InlineData("chat|--date|2024-03-01|--timezone|UTC|--people|folder", "--people")]
    [InlineData("chat|--date|2024-03-01|--timezone|UTC|--people|missing.csv", "--people")]
    public async Task An_import_that_cannot_proceed_says_why_in_one_line_before_storing_anything(string args, string named)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var inputs = new Dictionary<string, string>
        {
            ["chat"] = cli.WriteFile("chat.txt", "10:00:00\t From Ann : hi"),
            ["recording"] = cli.WriteFile("recording.txt", "00:00:05\tAnn:\thi"),
            ["ndjson"] = cli.WriteFile("a.ndjson", Lines.Message("s-1", "2016-01-18T10:00:00Z", "one")),
            ["unknown"] = cli.WriteFile("unknown.txt", "Just some notes."),
            ["folder"] = Directory.CreateDirectory(cli.PathOf("folder")).FullName,
        };
        var first = cli.WriteFile("first.ndjson", Lines.Message("s-0", "2016-01-18T10:00:00Z", "before"));

        var result = await cli.RunAsync(["import", first, .. args.Split('|').Select(a => inputs.GetValueOrDefault(a, a)), "--account", "acme"]);

        Assert.Contains(named, result.OneLineError(), StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("export", "--output", cli.PathOf("out.ndjson"))).ExitCode);
        Assert.Equal(string.Empty, await File.ReadAllTextAsync(cli.PathOf("out.ndjson")));
    }

    [StoreFact]
    public async Task A_Zoom_chat_file_and_CSV_on_standard_input_are_told_and_imported()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var chat = await ZoomchatProcess.RunAsync(
            cli.Folder.Path, Encoding.UTF8.GetBytes(ZoomTxt), "import", "-", "--account", "acme", "--json", "--store", cli.StorePath,
            "--date", "2024-03-01", "--timezone", "Europe/Paris", "--email-domain", "acme.com");
        var csv = await ZoomchatProcess.RunAsync(
            cli.Folder.Path, Encoding.UTF8.GetBytes("session_id,date_time,message\r\ns-2,2016-01-18T10:00:00Z,piped\r\n"), "import", "-", "--account", "acme", "--json", "--store", cli.StorePath);

        Assert.Equal((0, """{"stored":2,"duplicates":0,"rejected":0,"reactions":1}""" + "\n", string.Empty), (chat.ExitCode, chat.Output, chat.Error));
        Assert.Equal((0, """{"stored":1,"duplicates":0,"rejected":0}""" + "\n", string.Empty), (csv.ExitCode, csv.Output, csv.Error));
    }
}
