using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>What an import of report bodies leaves out is in its summary (docs/import-formats.md#zoom-report).</summary>
public sealed class ZoomReportSummaryTests
{
    private const string Body = """
        {
          "messages": [
            { "id": "m-1", "message": "first", "sender": "ann@acme.com", "date_time": "2024-03-01T10:00:00Z" },
            { "id": "m-2", "message": "tpyo", "sender": "bob@acme.com", "date_time": "2024-03-01T10:01:00Z" },
            { "id": "m-3", "message": "oops", "sender": "cid@acme.com", "date_time": "2024-03-01T10:02:00Z" }
          ],
          "edited_messages": [
            { "id": "m-2", "message": "typo", "date_time": "2024-03-01T10:01:00Z", "action_timestamp": 1709287500000 },
            { "id": "m-2", "message": "typo fixed", "date_time": "2024-03-01T10:01:00Z", "action_timestamp": 1709287600000 }
          ],
          "deleted_messages": [
            { "id": "m-3", "message": "oops", "sender": "cid@acme.com", "date_time": "2024-03-01T10:02:00Z" },
            { "id": "m-9", "message": "never listed", "sender": "cid@acme.com", "date_time": "2024-03-01T10:09:00Z" }
          ]
        }
        """;

    [StoreFact]
    public async Task The_summary_counts_the_deleted_messages_and_edits_left_out()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var body = cli.WriteFile("g7f3a9.json", Body);

        var json = await cli.JsonAsync("import", body, "--account", "acme");
        var text = await cli.RunAsync("import", body, "--account", "acme");

        Assert.Equal("""{"stored":2,"duplicates":0,"rejected":0,"deleted_messages":2,"edited_messages":2}""", json.GetRawText());
        Assert.Equal(
            "Stored 0, skipped 2 duplicates, rejected 0. Left out 2 deleted messages and 2 edits (a message keeps its latest text).\n",
            text.Output);
    }
}
