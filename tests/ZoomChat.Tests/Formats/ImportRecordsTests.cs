using ZoomChat.Server.Interchange;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>The importer fed records from any reader: the rules of the interchange format (docs/import-formats.md#the-interchange-format), whatever the format.</summary>
public sealed class ImportRecordsTests
{
    [StoreFact]
    public async Task Records_are_applied_as_lines_are_and_a_problem_keeps_its_file_and_line()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var hello = Line("m-1", "hello");

        var summary = await archive.ImportRecordsAsync(Records(
            ImportRecord.Blank(1),
            ImportRecord.Of(2, hello),
            ImportRecord.Rejected(3, "not a message", "bodies/b.json"),
            ImportRecord.Of(5, hello),
            ImportRecord.Of(6, Line("m-1", "changed")),
            ImportRecord.Blank(9)));

        Assert.Equal(new ImportSummary(1, 1, 2, 9, false), summary);
        Assert.Equal(
            [new ImportProblem(3, "not a message", "bodies/b.json"), new ImportProblem(6, "message_id 'm-1' is already stored with a different message")],
            archive.Problems);
    }

    [StoreFact]
    public async Task A_line_built_from_fields_is_checked_and_normalised_as_a_parsed_one()
    {
        Assert.True(InterchangeLine.TryCreate(
            null, "s-1", null, null, ["Ann@Acme.com", "ann@acme.com"], string.Empty, "BOB@acme.com", "2016-01-18T07:40:56+01:00", "hi", out var line, out _));
        Assert.Equal(("ann@acme.com", null, "bob@acme.com", 1453099256000L), (string.Join(' ', line.Participants), line.MessageId, line.Sender, line.DateTimeMs));

        Assert.False(InterchangeLine.TryCreate(null, "s-1", "group", null, [], null, null, "2016-01-18T06:40:56Z", "hi", out _, out var badType));
        Assert.Equal("type must be Group or 1:1, not 'group'", badType);
        Assert.False(InterchangeLine.TryCreate(null, "s-1", null, null, [string.Empty], null, null, "2016-01-18T06:40:56Z", "hi", out _, out var emptyEmail));
        Assert.Equal(ImportReasons.EmptyParticipant, emptyEmail);
    }

    private static InterchangeLine Line(string id, string text) =>
        InterchangeLine.TryCreate(null, "s-1", null, null, [], id, "ann@acme.com", "2016-01-18T06:40:56Z", text, out var line, out var problem)
            ? line
            : throw new InvalidOperationException(problem);

    private static async IAsyncEnumerable<ImportRecord> Records(params ImportRecord[] records)
    {
        foreach (var record in records)
        {
            await Task.Yield();
            yield return record;
        }
    }
}
