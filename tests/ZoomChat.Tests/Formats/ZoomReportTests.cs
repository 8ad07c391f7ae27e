using System.Text;
using Xunit.Abstractions;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>
/// Bodies of Zoom's report API (<c>GET /report/chat/sessions</c>, <c>GET /report/chat/sessions/{sessionId}</c>):
/// the real ones of ../shared/data/zoom-fixtures and hand-made pulls (docs/import-formats.md).
/// </summary>
public sealed class ZoomReportTests(ITestOutputHelper output)
{
    private const string FixtureSession = "c38230acb7f009282c1b0d367a08102d65d12629bbcca58dfe2168bd335f5849";

    private const string SessionsBody = """
        {
          "from": "2024-03-01",
          "to": "2024-03-31",
          "page_size": 30,
          "next_page_token": "",
          "sessions": [
            { "id": "g7f3a9", "name": "Design", "type": "Group", "member_emails": ["ann@acme.com", "bob@acme.com", "cid@acme.com"] },
            { "id": "p1e2d3", "name": "Ann Lee", "type": "1:1", "member_emails": ["ann@acme.com", "bob@acme.com"] }
          ]
        }
        """;

    private const string DesignBody = """
        {
          "from": "2024-03-01",
          "to": "2024-03-31",
          "messages": [
            { "id": "m-1", "message": "first", "sender": "ann@acme.com", "date_time": "2024-03-01T10:00:00Z", "timestamp": 1709287200000 },
            { "id": "m-2", "message": "tpyo", "sender": "bob@acme.com", "date_time": "2024-03-01T10:01:00Z", "timestamp": 1709287260000 },
            { "id": "m-3", "message": "oops", "sender": "cid@acme.com", "date_time": "2024-03-01T10:02:00Z", "timestamp": 1709287320000 }
          ],
          "edited_messages": [
            { "id": "m-2", "message": "typo", "date_time": "2024-03-01T10:01:00Z", "timestamp": 1709287260000, "action_timestamp": 1709287500000 },
            { "id": "m-2", "message": "typo fixed", "date_time": "2024-03-01T10:01:00Z", "timestamp": 1709287260000, "action_timestamp": 1709287600000 }
          ],
          "deleted_messages": [
            { "id": "m-3", "message": "oops", "sender": "cid@acme.com", "date_time": "2024-03-01T10:02:00Z" }
          ]
        }
        """;

    private const string PairBody = """
        {"messages":[{"id":"d-1","message":"psst","sender":"bob@acme.com","receiver":"ann@acme.com","date_time":"2024-03-02T09:00:00.0000000+00:00"}]}
        """;

    [StoreFact]
    public async Task The_real_fixtures_import_nothing_since_their_one_message_is_deleted()
    {
        if (SharedData.Find("zoom-fixtures/zoomnet/Endpoints", output) is not { } folder)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportZoomReportAsync(
            FixtureSession,
            ("sessions", await File.ReadAllTextAsync(Path.Combine(folder, "report-chat-sessions_GET.json"))),
            ("messages", await File.ReadAllTextAsync(Path.Combine(folder, "report-chat-sessions-{sessionId}_GET.json"))));

        Assert.Equal((0, 0, 0), (summary.Stored, summary.Duplicates, summary.Rejected));
        Assert.Empty(await archive.ExportedAsync());
    }

    [StoreFact]
    public async Task The_real_fixture_message_keeps_its_id_sender_time_and_text_once_not_deleted()
    {
        if (SharedData.Find("zoom-fixtures/zoomnet/Endpoints/report-chat-sessions-{sessionId}_GET.json", output) is not { } path)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync();
        var body = (await File.ReadAllTextAsync(path)).Replace("\"deleted_messages\"", "\"not_deleted\"", StringComparison.Ordinal);

        var summary = await archive.ImportZoomReportAsync("s-1", ("messages", body));

        Assert.Equal((1, 0), (summary.Stored, summary.Rejected));
        var message = Assert.Single(await archive.ExportedAsync());
        Assert.Equal(
            ("s-1", "Group", "7ba4d98b-0a6a-4fb4-a71b-dd13fd689dc8", "jchill@example.com", "2022-03-17T08:27:57.000Z", "How are you"),
            (message.SessionId, message.Type, message.MessageId, message.Sender, message.DateTime, message.Message));
    }

    [StoreFact]
    public async Task The_real_fixture_message_is_refused_as_a_third_person_in_the_fixture_1_1_session()
    {
        if (SharedData.Find("zoom-fixtures/zoomnet/Endpoints", output) is not { } folder)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync();
        var messages = (await File.ReadAllTextAsync(Path.Combine(folder, "report-chat-sessions-{sessionId}_GET.json")))
            .Replace("\"deleted_messages\"", "\"not_deleted\"", StringComparison.Ordinal);

        // The fixture's session lists two other members; its message's sender would be a third.
        var summary = await archive.ImportZoomReportAsync(
            null,
            ("report-chat-sessions_GET.json", await File.ReadAllTextAsync(Path.Combine(folder, "report-chat-sessions_GET.json"))),
            ($"{FixtureSession}.json", messages));

        Assert.Equal((0, 1), (summary.Stored, summary.Rejected));
        var problem = Assert.Single(archive.Problems);
        Assert.Equal($"{FixtureSession}.json", problem.File);
        Assert.Equal(105, problem.LineNumber);
        Assert.Contains("would be a third participant", problem.Reason, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Sessions_keep_their_ids_names_types_and_members_and_a_deleted_message_is_left_out()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportZoomReportAsync(null, ("pull/sessions.json", SessionsBody), ("pull/g7f3a9.json", DesignBody), ("pull/p1e2d3/page-1.json", PairBody));

        Assert.Empty(archive.Problems);
        Assert.Equal((3, 0, 0), (summary.Stored, summary.Duplicates, summary.Rejected));
        var messages = await archive.ExportedAsync();
        Assert.Equal(
            [
                ("g7f3a9", "Group", "Design", "m-1", "first"),
                ("g7f3a9", "Group", "Design", "m-2", "typo fixed"),
                ("p1e2d3", "1:1", null, "d-1", "psst"),
            ],
            messages.Select(m => (m.SessionId, m.Type, m.GroupName, m.MessageId, m.Message)));
        Assert.Equal(["ann@acme.com", "bob@acme.com", "cid@acme.com"], messages[0].Participants);
        Assert.Equal(["ann@acme.com", "bob@acme.com"], messages[2].Participants);
        Assert.Equal("2024-03-02T09:00:00.000Z", messages[2].DateTime);
    }

    [StoreFact]
    public async Task An_edit_or_deletion_in_another_body_than_its_message_still_applies()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string Page2 = """
            {"messages":[],"edited_messages":[{"id":"m-1","message":"first, edited","action_timestamp":1709290000000}],"deleted_messages":[{"id":"m-2"}]}
            """;

        await archive.ImportZoomReportAsync("g7f3a9", ("page-1.json", DesignBody), ("page-2.json", Page2));

        Assert.Equal(["first, edited"], (await archive.ExportedAsync()).Select(m => m.Message));
    }

    [StoreFact]
    public async Task Importing_a_newer_pull_adds_only_the_new_messages()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string Later = """
            {"messages":[
              {"id":"m-1","message":"first","sender":"ann@acme.com","date_time":"2024-03-01T10:00:00Z"},
              {"id":"m-4","message":"new since","sender":"ann@acme.com","date_time":"2024-03-05T10:00:00Z"}
            ]}
            """;

        await archive.ImportZoomReportAsync(null, ("sessions.json", SessionsBody), ("g7f3a9.json", DesignBody));
        var again = await archive.ImportZoomReportAsync(null, ("sessions.json", SessionsBody), ("g7f3a9.json", DesignBody), ("g7f3a9-later.json", Later));

        Assert.Equal((1, 3, 0), (again.Stored, again.Duplicates, again.Rejected));
        Assert.Equal(["m-1", "m-2", "m-4"], (await archive.ExportedAsync()).Select(m => m.MessageId));
    }

    [StoreFact]
    public async Task A_messages_body_without_a_listed_session_in_its_name_belongs_to_the_session_its_file_is_named_after()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomReportAsync(null, ("bodies/x9y8z7.json", PairBody));

        var message = Assert.Single(await archive.ExportedAsync());
        Assert.Equal(("x9y8z7", "Group", "ann@acme.com bob@acme.com"), (message.SessionId, message.Type, string.Join(' ', message.Participants)));
    }

    [StoreFact]
    public async Task A_body_that_is_not_JSON_or_not_a_report_is_reported_with_its_file_and_line_and_the_others_imported()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportZoomReportAsync(
            "g7f3a9", ("broken.json", "{\n  \"messages\": [\n    {\"id\": \n"), ("other.json", """{"users":[]}"""), ("g7f3a9.json", DesignBody));

        Assert.Equal((2, 2), (summary.Stored, summary.Rejected));
        Assert.Equal([("broken.json", 4L), ("other.json", 1L)], archive.Problems.Select(p => (p.File!, p.LineNumber)));
        Assert.StartsWith("not valid JSON", archive.Problems[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("not a body of Zoom's report API", archive.Problems[1].Reason, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_bad_message_is_reported_with_its_id_and_line_and_a_message_without_date_time_takes_its_timestamp()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string Body = """
            {
              "messages": [
                { "id": "m-1", "message": "no time at all", "sender": "ann@acme.com" },
                { "id": "m-2", "message": "timestamp only", "sender": "ann@acme.com", "timestamp": 1709287200123 }
              ]
            }
            """;

        var summary = await archive.ImportZoomReportAsync("s-1", ("s-1.json", Body));

        Assert.Equal((1, 1), (summary.Stored, summary.Rejected));
        Assert.Equal(new ImportProblem(3, "message m-1: date_time is required", "s-1.json"), Assert.Single(archive.Problems));
        Assert.Equal("2024-03-01T10:00:00.123Z", Assert.Single(await archive.ExportedAsync()).DateTime);
    }

    [StoreFact]
    public async Task A_field_of_the_wrong_JSON_kind_or_a_timestamp_beyond_the_calendar_is_reported_not_read_as_missing()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string Body = """
            {"messages":[
            {"id":"t-1","sender":"ann@acme.com","timestamp":"1709287200000","message":"string timestamp"},
            {"id":"t-2","sender":"ann@acme.com","date_time":"2024-03-01T10:00:00Z","message":{"text":"an object"}},
            {"id":7,"sender":"ann@acme.com","date_time":"2024-03-01T10:00:01Z","message":"number id"},
            {"id":"t-4","sender":["ann@acme.com"],"date_time":"2024-03-01T10:00:02Z","message":"array sender"},
            {"id":"t-5","sender":"ann@acme.com","timestamp":253402300800000,"message":"the year 10000"},
            {"id":"t-6","sender":"ann@acme.com","timestamp":1709287200000,"message":null},
            {"id":"t-7","sender":"ann@acme.com","timestamp":1709287200000,"message":"fine"}
            ]}
            """;

        var summary = await archive.ImportZoomReportAsync("s-1", ("s-1.json", Body));

        Assert.Equal((2, 5), (summary.Stored, summary.Rejected));
        Assert.Equal(
            [
                new ImportProblem(2, "message t-1: timestamp must be a number", "s-1.json"),
                new ImportProblem(3, "message t-2: message must be a string", "s-1.json"),
                new ImportProblem(4, "id must be a string", "s-1.json"),
                new ImportProblem(5, "message t-4: sender must be a string", "s-1.json"),
                new ImportProblem(6, "message t-5: timestamp must be whole milliseconds since 1970, within the years 1 to 9999", "s-1.json"),
            ],
            archive.Problems);
        Assert.Equal(["", "fine"], (await archive.ExportedAsync()).Select(m => m.Message).Order(StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task A_string_that_is_not_UTF8_is_reported_and_the_other_messages_imported()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var body = Encoding.UTF8.GetBytes("""
            {"messages":[
            {"id":"m-1","message":"BAD","sender":"ann@acme.com","date_time":"2024-03-01T10:00:00Z"},
            {"id":"m-2","message":"fine","sender":"ann@acme.com","date_time":"2024-03-01T10:00:01Z"}
            ]}
            """);
        var at = body.AsSpan().IndexOf("BAD"u8);
        body[at] = 0xC3;
        body[at + 1] = 0x28;

        var summary = await archive.ImportRecordsAsync(
            new ZoomReportImport([new ZoomReportBody("s-1.json", _ => Task.FromResult(body))], null).ReadAsync(CancellationToken.None));

        Assert.Equal((1, 1), (summary.Stored, summary.Rejected));
        Assert.Equal(new ImportProblem(2, "message holds a string that is not valid UTF-8 or UTF-16", "s-1.json"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task Messages_read_from_standard_input_need_the_session_id_flag()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportZoomReportAsync(null, ("-", PairBody));

        Assert.Equal((0, 1), (summary.Stored, summary.Rejected));
        Assert.Contains("--session-id", Assert.Single(archive.Problems).Reason, StringComparison.Ordinal);
    }
}
