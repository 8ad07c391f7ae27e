using Xunit.Abstractions;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// What an import says about the records it rejects (docs/operations.md#import-and-export): the first
/// few of each reason, a count per reason, and a failure when nothing of the input is in the archive.
/// </summary>
public sealed class ImportRejectionReportTests(ITestOutputHelper output)
{
    [StoreFact]
    public async Task A_file_naming_a_missing_account_says_so_once_with_a_count_and_fails()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var file = cli.WriteFile("a.ndjson", [.. Enumerable.Range(0, 40).Select(i =>
            Lines.Message("s-1", $"2016-01-18T10:00:{i:00}Z", $"m{i}", "ann@initech.com", account: i % 4 == 0 ? "umbrella" : "initech"))]);

        var result = await cli.RunAsync("import", file, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""{"stored":0,"duplicates":0,"rejected":40}""" + "\n", result.Output);
        Assert.Equal(
            [
                $"{file}:1: account 'umbrella' does not exist",
                $"{file}:2: account 'initech' does not exist",
                "zoomchat: 10 records rejected: account 'umbrella' does not exist (the first is shown above)",
                "zoomchat: 30 records rejected: account 'initech' does not exist (the first is shown above)",
                "zoomchat: nothing was imported: all 40 records were rejected",
            ],
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [StoreFact]
    public async Task A_reason_repeated_many_times_shows_its_first_lines_then_a_count()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var first = cli.WriteFile("first.ndjson", [.. Enumerable.Range(0, 12).Select(i =>
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "text", "ann@acme.com", messageId: $"m-{i}"))]);
        var changed = cli.WriteFile("changed.ndjson", [
            .. Enumerable.Range(0, 12).Select(i => Lines.Message("s-1", "2016-01-19T10:00:00Z", "text", "ann@acme.com", messageId: $"m-{i}")),
            Lines.Message("s-1", "2016-01-19T10:00:00Z", "new", "ann@acme.com", messageId: "m-new"),
            "{broken",
        ]);
        await cli.JsonAsync("import", first, "--account", "acme");

        var result = await cli.RunAsync("import", changed, "--account", "acme", "--json");

        Assert.Equal((0, """{"stored":1,"duplicates":0,"rejected":13}""" + "\n"), (result.ExitCode, result.Output));
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [.. Enumerable.Range(0, 5).Select(i => $"{changed}:{i + 1}: message_id 'm-{i}' is already stored with a different date_time"),
             $"{changed}:14: line is not valid JSON (at byte 2)",
             "zoomchat: 12 records rejected: message_id '…' is already stored with a different date_time (the first 5 are shown above)"],
            lines);
    }

    [StoreFact]
    public async Task A_file_of_duplicates_and_rejected_records_is_no_failure()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var file = cli.WriteFile("a.ndjson", Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", account: "acme"), "{broken");
        await cli.RunAsync("import", file);

        var again = await cli.RunAsync("import", file, "--json");

        Assert.Equal((0, """{"stored":0,"duplicates":1,"rejected":1}""" + "\n"), (again.ExitCode, again.Output));
    }

    [StoreFact]
    public async Task The_irc_archive_into_a_store_without_its_account_is_one_line_a_count_and_a_failure()
    {
        if (SharedData.Find("irc/four-channels.ndjson", output) is not { } path)
        {
            return;
        }

        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var result = await cli.RunAsync("import", path, "--json");

        Assert.Equal((1, """{"stored":0,"duplicates":0,"rejected":14093}""" + "\n"), (result.ExitCode, result.Output));
        Assert.Equal(
            [
                $"{path}:1: account 'irc' does not exist",
                "zoomchat: 14093 records rejected: account 'irc' does not exist (the first is shown above)",
                "zoomchat: nothing was imported: all 14093 records were rejected",
            ],
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
