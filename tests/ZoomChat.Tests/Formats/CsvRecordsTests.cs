using System.Text;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>CSV imports (docs/import-formats.md#csv): RFC 4180 with a header row of interchange field names.</summary>
public sealed class CsvRecordsTests
{
    private const string Header = "session_id,type,group_name,participants,message_id,sender,date_time,message";

    [StoreFact]
    public async Task A_CSV_file_imports_exactly_as_the_same_lines_in_NDJSON()
    {
        await using var fromCsv = await InterchangeStore.CreateAsync();
        await using var fromNdjson = await InterchangeStore.CreateAsync();
        var csv = string.Join("\r\n",
            "account," + Header,
            "acme,s-1,Group,Design,ann@acme.com;bob@acme.com,m-1,ann@acme.com,2016-01-18T06:40:56Z,hello",
            "acme,s-1,,Design team,,m-2,BOB@acme.com,2016-01-18T06:41:00.250+01:00,\"hi, Ann\"",
            "acme,p-1,1:1,,ann@acme.com;cid@acme.com,,cid@acme.com,2016-01-19T08:00:00Z,\"psst\"") + "\r\n";
        var ndjson = ArchiveLine.File(
            ArchiveLine.Of(account: "acme", session: "s-1", type: "Group", group: "Design", participants: ["ann@acme.com", "bob@acme.com"], id: "m-1", sender: "ann@acme.com", dateTime: "2016-01-18T06:40:56Z", message: "hello"),
            ArchiveLine.Of(account: "acme", session: "s-1", group: "Design team", id: "m-2", sender: "BOB@acme.com", dateTime: "2016-01-18T06:41:00.250+01:00", message: "hi, Ann"),
            ArchiveLine.Of(account: "acme", session: "p-1", type: "1:1", participants: ["ann@acme.com", "cid@acme.com"], sender: "cid@acme.com", dateTime: "2016-01-19T08:00:00Z", message: "psst"));

        var summary = await fromCsv.ImportCsvAsync(csv);
        await fromNdjson.ImportAsync(ndjson);

        Assert.Equal(new ImportSummary(3, 0, 0, 4, false), summary);
        Assert.Equal(await fromNdjson.ExportAsync(), await fromCsv.ExportAsync());
    }

    [StoreFact]
    public async Task Quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportCsvAsync($"{Header}\ns-1,,,,m-1,ann@acme.com,2016-01-18T06:40:56Z,\"one, \"\"two\"\"\nthree\r\nfour\"\n");

        Assert.Equal("one, \"two\"\nthree\r\nfour", Assert.Single(await archive.ExportedAsync()).Message);
    }

    [StoreFact]
    public async Task Rows_end_in_CRLF_LF_or_CR_and_problems_name_the_line_where_their_row_starts()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var csv = $"{Header}\r\n"
            + "s-1,,,,m-1,ann@acme.com,2016-01-18T06:40:56Z,\"two\nlines\"\n"
            + "s-1,,,,m-2,ann@acme.com,yesterday,bad date\r"
            + "s-1,,,,m-3,ann@acme.com,2016-01-18T06:41:56Z,after a CR\r\n"
            + "s-1,,,,m-4,ann@acme.com,,no date";

        var summary = await archive.ImportCsvAsync(csv);

        Assert.Equal(new ImportSummary(2, 0, 2, 6, false), summary);
        Assert.Equal(
            [new ImportProblem(4, "date_time is not an ISO 8601 date-time: 'yesterday'"), new ImportProblem(6, "date_time is required")],
            archive.Problems);
    }

    [StoreFact]
    public async Task Other_columns_are_ignored_and_names_match_without_regard_to_case_or_spaces()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportCsvAsync(" Message ,note,SESSION_ID,Date_Time\nhello,not imported,s-1,2016-01-18T06:40:56Z\n");

        var message = Assert.Single(await archive.ExportedAsync());
        Assert.Equal(("s-1", "hello", null), (message.SessionId, message.Message, message.Sender));
    }

    [StoreTheory]
    [InlineData("session_id,message\ns-1,hi\n", "date_time")]
    [InlineData("account,sender\nacme,ann@acme.com\n", "session_id, date_time, message")]
    [InlineData("session_id,date_time,message,Message\n", "message twice")]
    [InlineData("\n\n", "no header row")]
    public async Task A_header_that_cannot_serve_stops_the_import_before_any_row(string csv, string named)
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var refused = await Assert.ThrowsAsync<ImportFormatException>(() => archive.ImportCsvAsync(csv));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await archive.ExportedAsync());
    }

    [StoreFact]
    public async Task A_header_without_a_required_column_names_every_column_a_CSV_import_reads()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var refused = await Assert.ThrowsAsync<ImportFormatException>(() => archive.ImportCsvAsync("session_id,message\ns-1,hi\n"));

        Assert.Equal(
            "its header row (line 1) has no date_time column: a CSV import needs the columns session_id, date_time and message, "
            + "and may have account, type, group_name, participants, message_id and sender",
            refused.Message);
    }

    [StoreFact]
    public async Task Participants_are_separated_by_semicolons_with_spaces_and_empty_entries_left_out()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportCsvAsync("session_id,participants,sender,date_time,message\ns-1, ann@acme.com ; BOB@acme.com;;,cid@acme.com,2016-01-18T06:40:56Z,hi\n");

        Assert.Equal(["ann@acme.com", "bob@acme.com", "cid@acme.com"], Assert.Single(await archive.ExportedAsync()).Participants);
    }

    [StoreFact]
    public async Task An_empty_cell_leaves_its_field_out_but_an_empty_message_cell_is_an_empty_message()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportCsvAsync($"{Header}\ns-1,,,,,,2016-01-18T06:40:56Z,\n");

        var message = Assert.Single(await archive.ExportedAsync());
        Assert.Equal(("Group", "", null, null, ""), (message.Type, message.GroupName, message.MessageId, message.Sender, message.Message));
    }

    [StoreFact]
    public async Task A_row_with_more_or_fewer_fields_than_the_header_is_reported_and_the_rest_imported()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportCsvAsync(
            "session_id,date_time,message\ns-1,2016-01-18T06:40:56Z,one\ns-1,2016-01-18T06:40:57Z\ns-1,2016-01-18T06:40:58Z,two,extra\ns-1,2016-01-18T06:40:59Z,three\n");

        Assert.Equal(new ImportSummary(2, 0, 2, 5, false), summary);
        Assert.Equal(
            [new ImportProblem(3, "row has 2 fields, the header row has 3"), new ImportProblem(4, "row has 4 fields, the header row has 3")],
            archive.Problems);
    }

    [StoreFact]
    public async Task Text_after_a_closing_quote_is_reported_and_the_next_row_read()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportCsvAsync(
            "session_id,date_time,message\ns-1,2016-01-18T06:40:56Z,\"quoted\" then not\ns-1,2016-01-18T06:40:57Z,fine\n");

        Assert.Equal(new ImportSummary(1, 0, 1, 3, false), summary);
        Assert.Equal(new ImportProblem(2, "text follows the closing quote of field 3"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task A_quote_left_open_is_reported_where_it_opened()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportCsvAsync(
            "session_id,date_time,message\ns-1,2016-01-18T06:40:56Z,fine\ns-1,2016-01-18T06:40:57Z,\"never closed\ns-1,2016-01-18T06:40:58Z,swallowed\n");

        Assert.Equal(new ImportSummary(1, 0, 1, 3, false), summary);
        Assert.Equal(new ImportProblem(3, "the quoted field opened on line 3 is not closed at the end of the file"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task A_quote_inside_an_unquoted_field_is_taken_literally()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportCsvAsync("session_id,date_time,message\ns-1,2016-01-18T06:40:56Z,say \"hi\" twice\n");

        Assert.Equal("say \"hi\" twice", Assert.Single(await archive.ExportedAsync()).Message);
    }

    [StoreFact]
    public async Task A_byte_order_mark_and_blank_lines_are_skipped()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var csv = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("\nsession_id,date_time,message\n\ns-1,2016-01-18T06:40:56Z,hi\n\n")).ToArray();

        var summary = await archive.ImportCsvAsync(csv);

        Assert.Equal(new ImportSummary(1, 0, 0, 5, false), summary);
        Assert.Empty(archive.Problems);
    }

    [StoreFact]
    public async Task Importing_the_same_CSV_again_counts_every_row_a_duplicate()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var csv = $"{Header}\ns-1,,,,m-1,ann@acme.com,2016-01-18T06:40:56Z,one\ns-1,,,,,ann@acme.com,2016-01-18T06:40:57Z,no id\n";

        await archive.ImportCsvAsync(csv);
        var again = await archive.ImportCsvAsync(csv);

        Assert.Equal(new ImportSummary(0, 2, 0, 3, false), again);
    }

    [StoreFact]
    public async Task A_record_longer_than_the_limit_is_reported_and_the_next_read()
    {
        using var text = new StringReader("a,b\n\"" + new string('x', 100) + "\",b\nc,d\n");
        var reader = new CsvReader(text, maxRecordChars: 50);

        var records = new List<(long, string?, string)>();
        while (await reader.ReadRecordAsync(CancellationToken.None))
        {
            records.Add((reader.LineNumber, reader.Problem, reader.Problem is null ? string.Join('|', reader.Fields) : string.Empty));
        }

        Assert.Equal([(1L, null, "a|b"), (2L, "record is longer than 50 characters", string.Empty), (3L, null, "c|d")], records);
    }
}
