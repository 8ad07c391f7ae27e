using System.Text;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Support;
using static ZoomChat.Tests.Interchange.ArchiveLine;

namespace ZoomChat.Tests.Interchange;

/// <summary>The import rules of the interchange format (docs/import-formats.md#the-interchange-format), against a real SQLite store.</summary>
public sealed class ArchiveImporterTests
{
    [StoreFact]
    public async Task Importing_the_same_line_twice_stores_it_once()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var line = File(Of(id: "m-1"));

        var first = await archive.ImportAsync(line);
        var second = await archive.ImportAsync(line);

        Assert.Equal(new ImportSummary(1, 0, 0, 1, false), first);
        Assert.Equal(new ImportSummary(0, 1, 0, 1, false), second);
        Assert.Single(await archive.ExportLinesAsync());
        Assert.Empty(archive.Problems);
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(ArchiveImporter.DefaultBatchSize)]
    public async Task A_repeated_line_in_one_file_is_a_duplicate_within_a_batch_and_across_batches(int batchSize)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var withId = Of(id: "m-1", message: "with id");
        var withoutId = Of(message: "without id");

        var summary = await archive.ImportAsync(File(withId, withoutId, withId, withoutId), batchSize: batchSize);

        Assert.Equal(new ImportSummary(2, 2, 0, 4, false), summary);
        Assert.Equal(2, (await archive.ExportLinesAsync()).Length);
    }

    [StoreFact]
    public async Task A_line_that_another_import_stores_between_two_batches_of_an_import_is_a_duplicate_there()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await using var other = await archive.OpenAnotherAsync(chatListIndex: false);
        var x = Of(id: "m-x", message: "x");
        var y = Of(id: "m-y", message: "y");
        ImportSummary? between = null;

        // Batches of one line: the report after the first one's commit runs the other import, as another process would,
        // on the thread pool, so that no continuation of it waits for the test's own thread, which the report blocks.
        var progress = new SynchronousProgress(_ => between ??= Task.Run(() => ImportAsync(other, File(y), null)).GetAwaiter().GetResult());
        var summary = await ImportAsync(archive.Store, File(x, y), progress);

        Assert.Equal(new ImportSummary(1, 0, 0, 1, false), between);
        Assert.Equal(new ImportSummary(1, 1, 0, 2, false), summary);
        Assert.Equal(2, (await archive.ExportLinesAsync()).Length);
        Assert.Empty(archive.Problems);

        static async Task<ImportSummary> ImportAsync(IArchiveStore store, string ndjson, IProgress<ImportProgress>? progress)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ndjson));
            return await new ArchiveImporter(store, batchSize: 1).ImportAsync(
                stream, InterchangeStore.Account, progress, p => throw new InvalidOperationException($"line {p.LineNumber}: {p.Reason}"), CancellationToken.None);
        }
    }

    [StoreFact]
    public async Task A_line_without_message_id_is_a_duplicate_of_a_stored_message_with_the_same_session_instant_sender_and_text()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(id: "m-1", sender: "ann@acme.com")));

        // The same instant written with an offset, the sender in another case.
        var summary = await archive.ImportAsync(File(Of(dateTime: "2016-01-18T07:40:56+01:00", sender: "ANN@Acme.com")));

        Assert.Equal(new ImportSummary(0, 1, 0, 1, false), summary);
        Assert.Single(await archive.ExportLinesAsync());
    }

    [StoreFact]
    public async Task A_line_without_message_id_is_a_duplicate_of_a_message_with_an_id_stored_just_before_it_in_the_same_file()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(Of(id: "m-1", sender: "ann@acme.com"), Of(sender: "ann@acme.com")));

        Assert.Equal(new ImportSummary(1, 1, 0, 2, false), summary);
        Assert.Single(await archive.ExportLinesAsync());
    }

    [StoreTheory]
    [InlineData("s-2", Time, "ann@acme.com", "hello")]
    [InlineData("s-1", "2016-01-18T06:40:56.001Z", "ann@acme.com", "hello")]
    [InlineData("s-1", Time, "bob@acme.com", "hello")]
    [InlineData("s-1", Time, null, "hello")]
    [InlineData("s-1", Time, "ann@acme.com", "Hello")]
    public async Task A_line_without_message_id_differing_in_session_instant_sender_or_text_is_stored(
        string session, string dateTime, string? sender, string text)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of()));

        var summary = await archive.ImportAsync(File(Of(session: session, dateTime: dateTime, sender: sender, message: text)));

        Assert.Equal(new ImportSummary(1, 0, 0, 1, false), summary);
        Assert.Equal(2, (await archive.ExportLinesAsync()).Length);
    }

    [StoreFact]
    public async Task A_line_with_a_new_message_id_is_stored_even_when_an_equal_message_is_stored()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of()));

        var summary = await archive.ImportAsync(File(Of(id: "m-1")));

        Assert.Equal(new ImportSummary(1, 0, 0, 1, false), summary);
    }

    [StoreFact]
    public async Task A_duplicate_line_changes_nothing_not_even_participants_or_names()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(
            Of(id: "m-1", group: "Design", participants: ["ann@acme.com"]),
            Of(message: "no id", group: "Design")));
        var before = await archive.ExportAsync();

        var summary = await archive.ImportAsync(File(
            Of(id: "m-1", group: "Renamed", participants: ["carol@acme.com"]),
            Of(message: "no id", group: "Renamed again", participants: ["dave@acme.com"])));

        Assert.Equal(new ImportSummary(0, 2, 0, 2, false), summary);
        Assert.Equal(before, await archive.ExportAsync());
        var account = await archive.AccountIdAsync();
        Assert.Null(await archive.Store.FindUserAsync(account, "carol@acme.com", CancellationToken.None));
        Assert.Null(await archive.Store.FindUserAsync(account, "dave@acme.com", CancellationToken.None));
    }

    [StoreTheory]
    [InlineData("s-2", Time, "ann@acme.com", "hello", "session")]
    [InlineData("s-1", "2016-01-18T06:40:57.000Z", "ann@acme.com", "hello", "date_time")]
    [InlineData("s-1", Time, "bob@acme.com", "hello", "sender")]
    [InlineData("s-1", Time, null, "hello", "sender")]
    [InlineData("s-1", Time, "ann@acme.com", "hello!", "message")]
    public async Task A_stored_message_id_with_another_session_instant_sender_or_text_is_rejected_as_a_conflict(
        string session, string dateTime, string? sender, string text, string difference)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var original = Of(id: "m-1");
        var conflicting = Of(id: "m-1", session: session, dateTime: dateTime, sender: sender, message: text, participants: ["carol@acme.com"]);

        var summary = await archive.ImportAsync(File(original, conflicting));

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        var problem = Assert.Single(archive.Problems);
        Assert.Equal(new ImportProblem(2, $"message_id 'm-1' is already stored with a different {difference}"), problem);
        Assert.Equal(File(await ExportOfAsync(original)), await archive.ExportAsync());
        var account = await archive.AccountIdAsync();
        Assert.Null(await archive.Store.FindUserAsync(account, "bob@acme.com", CancellationToken.None));
        Assert.Null(await archive.Store.FindUserAsync(account, "carol@acme.com", CancellationToken.None));
        Assert.Null(await archive.Store.FindSessionAsync(account, "s-2", CancellationToken.None));
    }

    [StoreFact]
    public async Task A_line_from_a_sender_never_seen_is_no_duplicate_of_a_message_without_sender()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(sender: null, id: "m-1"), Of(sender: null, message: "no id")));

        var summary = await archive.ImportAsync(File(Of(sender: "new@acme.com", id: "m-1"), Of(sender: "new@acme.com", message: "no id")));

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        Assert.Equal(new ImportProblem(1, "message_id 'm-1' is already stored with a different sender"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task A_repeated_message_id_is_a_duplicate_whatever_its_type_group_name_or_participants()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(id: "m-1", type: "Group", group: "Design")));

        var summary = await archive.ImportAsync(File(
            Of(id: "m-1", type: "1:1", group: "Other", participants: ["ann@acme.com", "bob@acme.com", "carol@acme.com"], sender: "Ann@ACME.com")));

        Assert.Equal(new ImportSummary(0, 1, 0, 1, false), summary);
    }

    // Lines whose message_id is already stored, in sessions and from senders already stored: the
    // duplicate or conflict is the answer, before any other check, and such a line changes nothing.
    [StoreTheory]
    [InlineData(1)]
    [InlineData(ArchiveImporter.DefaultBatchSize)]
    public async Task Importing_a_file_again_gives_only_duplicates_and_changes_nothing(int batchSize)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var file = File(
            Of(id: "m-1", group: "Design", participants: ["bob@acme.com"], message: "one"),
            Of(id: "m-2", sender: "bob@acme.com", group: "Renamed", message: "two"),
            Of(id: "m-3", session: "s-2", type: "1:1", participants: ["ann@acme.com", "carol@acme.com"], message: "three"),
            Of(id: "m-4", session: "s-2", sender: "carol@acme.com", message: "four"),
            Of(id: "m-5", sender: null, participants: ["dave@acme.com"], message: "five"));
        Assert.Equal(new ImportSummary(5, 0, 0, 5, false), await archive.ImportAsync(file, batchSize: batchSize));
        var before = await archive.ExportAsync();

        var summary = await archive.ImportAsync(file, batchSize: batchSize);

        Assert.Equal(new ImportSummary(0, 5, 0, 5, false), summary);
        Assert.Equal(before, await archive.ExportAsync());
        Assert.Empty(archive.Problems);
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(ArchiveImporter.DefaultBatchSize)]
    public async Task A_stored_message_id_with_another_text_is_a_conflict_and_changes_nothing(int batchSize)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(id: "m-1", group: "Design", participants: ["bob@acme.com"]), Of(id: "m-2", message: "two")));
        var before = await archive.ExportAsync();

        var summary = await archive.ImportAsync(
            File(
                Of(id: "m-2", message: "two, edited", group: "Renamed", participants: ["carol@acme.com"]),
                Of(id: "m-1", message: "hello", group: "Renamed")),
            batchSize: batchSize);

        Assert.Equal(new ImportSummary(0, 1, 1, 2, false), summary);
        Assert.Equal(new ImportProblem(1, "message_id 'm-2' is already stored with a different message"), Assert.Single(archive.Problems));
        Assert.Equal(before, await archive.ExportAsync());
        var account = await archive.AccountIdAsync();
        Assert.Equal("Design", (await archive.Store.FindSessionAsync(account, "s-1", CancellationToken.None))!.GroupName);
        Assert.Null(await archive.Store.FindUserAsync(account, "carol@acme.com", CancellationToken.None));
    }

    // A file imported again meets its stored messages in the order they were stored, which a store may follow
    // (SQLite steps along the table from the last one found): every difference on the way must still be seen.
    [StoreFact]
    public async Task A_file_imported_again_in_its_own_order_tells_each_changed_line_from_the_duplicates_around_it()
    {
        await using var archive = await InterchangeStore.CreateAsync("acme", "globex");
        await archive.ImportAsync(File(
            Of(id: "m-1", message: "one"),
            Of(id: "m-2", message: "two"),
            Of(id: "m-3", message: "Ångström"),
            Of(id: "m-4", message: "four ✓"),
            Of(id: "m-5", message: "five"),
            Of(id: "m-6", message: "six", account: "globex", sender: "ann@globex.com"),
            Of(message: "no id"),
            Of(id: "m-7", message: "seven")));
        var before = await archive.ExportLinesAsync();

        var summary = await archive.ImportAsync(File(
            Of(id: "m-1", message: "one"),
            Of(id: "m-2", message: "two"),
            Of(id: "m-3", message: "Ångstrøm"),
            Of(id: "m-4", message: "four ✓"),
            Of(id: "m-5", message: "five", dateTime: "2016-01-18T06:40:57.000Z"),
            Of(id: "m-6", message: "six"),
            Of(message: "no id"),
            Of(id: "m-new", message: "new"),
            Of(id: "m-7", message: "seven")));

        Assert.Equal(new ImportSummary(2, 5, 2, 9, false), summary);
        Assert.Equal(
            [
                new ImportProblem(3, "message_id 'm-3' is already stored with a different message"),
                new ImportProblem(5, "message_id 'm-5' is already stored with a different date_time"),
            ],
            archive.Problems);
        var after = await archive.ExportLinesAsync();
        Assert.Equal(before.Length + 2, after.Length);
        Assert.Subset(after.ToHashSet(), before.ToHashSet());
    }

    // The store is asked about m-1 with the first line's text only; the second line's text must be compared too.
    [StoreTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stored_message_id_given_twice_in_one_chunk_with_two_texts_is_a_duplicate_once_and_a_conflict_once(bool storedTextFirst)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(id: "m-1", message: "stored")));
        var (same, other) = (Of(id: "m-1", message: "stored"), Of(id: "m-1", message: "edited"));

        var summary = await archive.ImportAsync(storedTextFirst ? File(same, other) : File(other, same));

        Assert.Equal(new ImportSummary(0, 1, 1, 2, false), summary);
        Assert.Equal(
            new ImportProblem(storedTextFirst ? 2 : 1, "message_id 'm-1' is already stored with a different message"), Assert.Single(archive.Problems));
    }

    [StoreTheory]
    [InlineData("m-1", "Group", null, "hello", null)]
    [InlineData("m-1", null, "carol@acme.com", "hello", null)]
    [InlineData("m-1", "Group", "carol@acme.com", "hello!", "message_id 'm-1' is already stored with a different message")]
    [InlineData("m-2", "Group", null, "hello", "session 's-1' is 1:1, this line says Group")]
    [InlineData("m-2", null, "carol@acme.com", "hello", "session 's-1' is 1:1 and 'carol@acme.com' would be a third participant")]
    public async Task A_stored_message_id_is_reported_before_a_type_or_participant_check_fails(
        string id, string? type, string? participant, string text, string? problem)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(id: "m-1", type: "1:1", participants: ["bob@acme.com"])));
        var before = await archive.ExportAsync();

        var summary = await archive.ImportAsync(File(Of(id: id, type: type, group: "Renamed", participants: participant is null ? null : [participant], message: text)));

        Assert.Equal(problem is null ? new ImportSummary(0, 1, 0, 1, false) : new ImportSummary(0, 0, 1, 1, false), summary);
        Assert.Equal(problem is null ? [] : [new ImportProblem(1, problem)], archive.Problems);
        Assert.Equal(before, await archive.ExportAsync());
        Assert.Null(await archive.Store.FindUserAsync(await archive.AccountIdAsync(), "carol@acme.com", CancellationToken.None));
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(ArchiveImporter.DefaultBatchSize)]
    public async Task New_and_stored_lines_mixed_are_stored_and_skipped_as_when_imported_apart(int batchSize)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(id: "m-1", group: "Design", message: "one"), Of(id: "m-2", message: "two"), Of(id: "m-3", message: "three")));

        var summary = await archive.ImportAsync(
            File(
                Of(id: "m-4", message: "four"),
                Of(id: "m-1", group: "Renamed", participants: ["carol@acme.com"], message: "one"),
                Of(id: "m-2", message: "two, edited"),
                Of(id: "m-5", message: "five"),
                Of(id: "m-6", message: "six"),
                Of(id: "m-3", group: "Renamed", message: "three"),
                Of(id: "m-7", message: "seven")),
            batchSize: batchSize);

        Assert.Equal(new ImportSummary(4, 2, 1, 7, false), summary);
        Assert.Equal(new ImportProblem(3, "message_id 'm-2' is already stored with a different message"), Assert.Single(archive.Problems));
        var lines = await archive.ExportLinesAsync();
        Assert.Equal(["one", "two", "three", "four", "five", "six", "seven"], lines.Select(line => line[(line.LastIndexOf("\"message\":\"", StringComparison.Ordinal) + 11)..^2]));
        Assert.All(lines, line => Assert.Contains("\"group_name\":\"Design\",\"participants\":[\"ann@acme.com\"]", line, StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task Message_ids_identify_a_message_within_its_account_only()
    {
        await using var archive = await InterchangeStore.CreateAsync("acme", "beta");

        var summary = await archive.ImportAsync(File(Of(id: "m-1"), Of(id: "m-1", account: "beta", message: "other text")));

        Assert.Equal(new ImportSummary(2, 0, 0, 2, false), summary);
    }

    [StoreFact]
    public async Task The_first_stored_line_fixes_the_session_type()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(
            Of(type: "1:1", participants: ["ann@acme.com", "bob@acme.com"], message: "one"),
            Of(type: "Group", message: "two"),
            Of(message: "three", sender: "bob@acme.com")));

        Assert.Equal(new ImportSummary(2, 0, 1, 3, false), summary);
        Assert.Equal(new ImportProblem(2, "session 's-1' is 1:1, this line says Group"), Assert.Single(archive.Problems));
        Assert.All(await archive.ExportLinesAsync(), line => Assert.Contains("\"type\":\"1:1\"", line, StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task A_session_whose_first_line_states_no_type_is_a_group()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(
            Of(message: "one"),
            Of(type: "1:1", message: "two"),
            Of(type: "Group", message: "three")));

        Assert.Equal(new ImportSummary(2, 0, 1, 3, false), summary);
        Assert.Equal(new ImportProblem(2, "session 's-1' is Group, this line says 1:1"), Assert.Single(archive.Problems));
        var session = await archive.Store.FindSessionAsync(await archive.AccountIdAsync(), "s-1", CancellationToken.None);
        Assert.Equal("Group", session!.Type);
    }

    [StoreFact]
    public async Task A_rejected_first_line_does_not_fix_the_type()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(
            Of(type: "1:1", participants: ["ann@acme.com", "bob@acme.com", "carol@acme.com"], message: "one"),
            Of(type: "Group", message: "two")));

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        var session = await archive.Store.FindSessionAsync(await archive.AccountIdAsync(), "s-1", CancellationToken.None);
        Assert.Equal("Group", session!.Type);
    }

    [StoreFact]
    public async Task A_line_that_would_give_a_1_1_session_a_third_participant_is_rejected()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(
            Of(type: "1:1", participants: ["ann@acme.com", "bob@acme.com"], message: "one"),
            Of(sender: "carol@acme.com", message: "two"),
            Of(participants: ["dave@acme.com"], message: "three"),
            Of(sender: "BOB@acme.com", participants: ["ann@acme.com"], message: "four")));

        Assert.Equal(new ImportSummary(2, 0, 2, 4, false), summary);
        Assert.Equal(
            [
                new ImportProblem(2, "session 's-1' is 1:1 and 'carol@acme.com' would be a third participant"),
                new ImportProblem(3, "session 's-1' is 1:1 and 'dave@acme.com' would be a third participant"),
            ],
            archive.Problems);
        Assert.All(
            await archive.ExportLinesAsync(),
            line => Assert.Contains("\"participants\":[\"ann@acme.com\",\"bob@acme.com\"]", line, StringComparison.Ordinal));
        Assert.Null(await archive.Store.FindUserAsync(await archive.AccountIdAsync(), "carol@acme.com", CancellationToken.None));
    }

    [StoreFact]
    public async Task A_1_1_session_may_fill_its_two_places_over_several_lines()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(
            Of(type: "1:1", message: "one"),
            Of(sender: "bob@acme.com", message: "two"),
            Of(sender: null, participants: ["carol@acme.com", "ann@acme.com"], message: "three")));

        Assert.Equal(new ImportSummary(2, 0, 1, 3, false), summary);
        Assert.Equal(3, Assert.Single(archive.Problems).LineNumber);
    }

    [StoreFact]
    public async Task Participants_are_merged_lower_cased_and_include_the_sender()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportAsync(File(
            Of(participants: ["Ann@Acme.com"], sender: "BOB@acme.com", message: "one"),
            Of(participants: ["carol@acme.com", "ann@acme.com", "CAROL@acme.com"], message: "two"),
            Of(sender: "Dave@acme.com", message: "three")));

        var lines = await archive.ExportLinesAsync();
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.Contains(
            "\"participants\":[\"ann@acme.com\",\"bob@acme.com\",\"carol@acme.com\",\"dave@acme.com\"]", line, StringComparison.Ordinal));
        Assert.Contains("\"sender\":\"bob@acme.com\"", lines[0], StringComparison.Ordinal);
        Assert.Empty(archive.Problems);
    }

    [StoreFact]
    public async Task The_latest_group_name_wins()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportAsync(File(
            Of(group: "Design", message: "one"),
            Of(message: "two"),
            Of(group: "Design team", dateTime: "2016-01-17T00:00:00Z", message: "three")));
        await archive.ImportAsync(File(Of(message: "four", dateTime: "2016-01-16T00:00:00Z")));

        var lines = await archive.ExportLinesAsync();
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.Contains("\"group_name\":\"Design team\"", line, StringComparison.Ordinal));
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(ArchiveImporter.DefaultBatchSize)]
    public async Task A_group_name_given_again_after_a_rename_wins_again(int batchSize)
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportAsync(File(Of(group: "Design", message: "one"), Of(group: "Renamed", message: "two"), Of(group: "Design", message: "three")), batchSize: batchSize);

        var session = await archive.Store.FindSessionAsync(await archive.AccountIdAsync(), "s-1", CancellationToken.None);
        Assert.Equal("Design", session!.GroupName);
    }

    [StoreFact]
    public async Task A_1_1_session_keeps_no_group_name()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportAsync(File(Of(type: "1:1", group: "Ignored", message: "one"), Of(group: "Also ignored", message: "two")));

        var session = await archive.Store.FindSessionAsync(await archive.AccountIdAsync(), "s-1", CancellationToken.None);
        Assert.Equal(string.Empty, session!.GroupName);
        Assert.All(await archive.ExportLinesAsync(), line => Assert.DoesNotContain("group_name", line, StringComparison.Ordinal));
    }

    [StoreFact]
    public async Task A_line_naming_an_unknown_account_is_rejected_and_the_account_is_not_created()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(Of(account: "ghost"), Of(message: "kept")));

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        Assert.Equal(new ImportProblem(1, "account 'ghost' does not exist"), Assert.Single(archive.Problems));
        Assert.Null(await archive.Store.FindAccountAsync("ghost", CancellationToken.None));
    }

    [StoreFact]
    public async Task An_unknown_default_account_rejects_the_lines_that_name_none()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(Of(), Of(account: "acme", message: "kept")), defaultAccount: "ghost");

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        Assert.Equal(new ImportProblem(1, "account 'ghost' does not exist"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task A_line_naming_its_account_overrides_the_default()
    {
        await using var archive = await InterchangeStore.CreateAsync("acme", "beta");

        await archive.ImportAsync(File(Of(account: "beta"), Of(message: "default")), defaultAccount: "acme");

        var lines = await archive.ExportLinesAsync();
        Assert.StartsWith("{\"account\":\"acme\"", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"account\":\"beta\"", lines[1], StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_line_without_account_is_rejected_when_the_import_names_none()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var summary = await archive.ImportAsync(File(Of(), Of(account: "acme", message: "kept")), defaultAccount: null);

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        Assert.Equal(new ImportProblem(1, "account is missing and the import names no account"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task Bad_lines_are_reported_with_their_line_numbers_and_the_rest_is_stored()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string T = "\"date_time\":\"2016-01-18T06:40:56Z\"";
        string[] lines =
        [
            Of(message: "first"),
            "{not json",
            string.Empty,
            "{\"session_id\":\"s-1\",\"message\":\"x\"}",
            $"{{\"session_id\":\"s-1\",{T},\"message\":42}}",
            "{\"session_id\":\"s-1\",\"date_time\":\"2016-01-18 06:40:56\",\"message\":\"x\"}",
            " \t ",
            Of(message: "second"),
            "[1,2]",
            "{\"session_id\":\"s-1\",\"date_time\":\"2016-01-18\",\"message\":\"x\"}",
            $"{{\"session_id\":\"\",{T},\"message\":\"x\"}}",
            $"{{\"session_id\":\"s-1\",\"type\":\"group\",{T},\"message\":\"x\"}}",
            $"{{\"session_id\":\"s-1\",\"session_id\":\"s-2\",{T},\"message\":\"x\"}}",
            $"{{\"session_id\":\"s-1\",{T},\"message\":\"x\"}} {{}}",
            $"{{\"session_id\":\"s-1\",{T},\"message\":\"x\",\"participants\":\"ann@acme.com\"}}",
            $"{{\"session_id\":\"s-1\",{T},\"message\":\"x\",\"participants\":[\"\"]}}",
            $"{{\"session_id\":\"s-1\",{T},\"message\":\"x\",\"participants\":[1]}}",
            $"{{{T},\"message\":\"x\"}}",
            $"{{\"session_id\":\"s-1\",{T}}}",
            $"{{\"session_id\":\"s-1\",{T},\"message\":\"x\",\"account\":\"\"}}",
            $"{{\"session_id\":\"s-1\",\"date_time\":null,\"message\":\"x\"}}",
            $"{{\"session_id\":7,{T},\"message\":\"x\"}}",
            "\"just a string\"",
            Of(message: "third"),
        ];

        // The last line has no line break.
        var summary = await archive.ImportAsync(string.Join("\n", lines));

        Assert.Equal(new ImportSummary(3, 0, 19, 24, false), summary);
        Assert.Equal(
            [
                new ImportProblem(2, "line is not valid JSON (at byte 2)"),
                new ImportProblem(4, "date_time is required"),
                new ImportProblem(5, "message must be a string"),
                new ImportProblem(6, "date_time is not an ISO 8601 date-time: '2016-01-18 06:40:56'"),
                new ImportProblem(9, "line is not a JSON object"),
                new ImportProblem(10, "date_time has no time of day: '2016-01-18'"),
                new ImportProblem(11, "session_id must not be empty"),
                new ImportProblem(12, "type must be Group or 1:1, not 'group'"),
                new ImportProblem(13, "session_id is given more than once"),
                new ImportProblem(14, "line is not valid JSON (at byte 71)"),
                new ImportProblem(15, "participants must be an array of strings"),
                new ImportProblem(16, "participants must not hold an empty e-mail"),
                new ImportProblem(17, "participants must be an array of strings"),
                new ImportProblem(18, "session_id is required"),
                new ImportProblem(19, "message is required"),
                new ImportProblem(20, "account must not be empty"),
                new ImportProblem(21, "date_time is required"),
                new ImportProblem(22, "session_id must be a string"),
                new ImportProblem(23, "line is not a JSON object"),
            ],
            archive.Problems);
        var exported = await archive.ExportLinesAsync();
        Assert.Equal(["first", "second", "third"], exported.Select(line => line[(line.IndexOf("\"message\":\"", StringComparison.Ordinal) + 11)..^2]));
    }

    [StoreFact]
    public async Task A_byte_order_mark_and_CRLF_line_ends_are_accepted()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"{Of(message: "one")}\r\n\r\n{Of(message: "two")}\r\n")).ToArray();

        var summary = await archive.ImportAsync(bytes);

        Assert.Equal(new ImportSummary(2, 0, 0, 3, false), summary);
        Assert.DoesNotContain('\r', await archive.ExportAsync());
    }

    [StoreFact]
    public async Task Strings_that_are_not_valid_UTF8_or_UTF16_are_rejected()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var invalidUtf8 = Encoding.UTF8.GetBytes(Of(message: "XX")).Select(b => b == (byte)'X' ? (byte)0xFF : b);
        var loneSurrogate = Encoding.UTF8.GetBytes(Of(message: "\\ud800").Replace("\\\\", "\\", StringComparison.Ordinal));
        var bytes = invalidUtf8.Append((byte)'\n').Concat(loneSurrogate).Append((byte)'\n').Concat(Encoding.UTF8.GetBytes(Of(message: "kept"))).ToArray();

        var summary = await archive.ImportAsync(bytes);

        Assert.Equal(new ImportSummary(1, 0, 2, 3, false), summary);
        Assert.Equal([1L, 2L], archive.Problems.Select(problem => problem.LineNumber));
        Assert.All(archive.Problems, problem => Assert.Equal("line holds a string that is not valid UTF-8 or UTF-16", problem.Reason));
    }

    [StoreFact]
    public async Task A_line_longer_than_the_limit_is_rejected_and_the_next_line_is_read()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var file = File(Of(message: new string('x', 200)), Of(message: "kept"));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(file));

        var summary = await new ArchiveImporter(archive.Store, maxLineBytes: 128)
            .ImportAsync(stream, InterchangeStore.Account, null, archive.Problems.Add, CancellationToken.None);

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        Assert.Equal(new ImportProblem(1, "line is longer than 128 bytes"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task Echoed_values_are_cut_to_64_characters()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var longValue = new string('9', 100);

        await archive.ImportAsync(File(Of(dateTime: longValue), Of(account: longValue)));

        Assert.Equal(
            [
                new ImportProblem(1, $"date_time is not an ISO 8601 date-time: '{longValue[..64]}'"),
                new ImportProblem(2, $"account '{longValue[..64]}' does not exist"),
            ],
            archive.Problems);
    }

    [StoreFact]
    public async Task Unknown_keys_and_null_values_are_ignored()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string line = """
            {"session_id":"s-1","extra":{"nested":[1,{"a":null}]},"type":null,"group_name":null,"participants":null,"message_id":null,"sender":null,"account":null,"date_time":"2016-01-18T06:40:56Z","message":"hello"}
            """;

        var summary = await archive.ImportAsync(line);

        Assert.Equal(new ImportSummary(1, 0, 0, 1, false), summary);
        Assert.Equal(
            "{\"account\":\"acme\",\"session_id\":\"s-1\",\"type\":\"Group\",\"group_name\":\"\",\"participants\":[],\"date_time\":\"2016-01-18T06:40:56.000Z\",\"message\":\"hello\"}\n",
            await archive.ExportAsync());
    }

    [StoreFact]
    public async Task An_empty_sender_or_message_id_is_read_as_absent()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportAsync(File(Of(sender: string.Empty, id: string.Empty)));

        var line = Assert.Single(await archive.ExportLinesAsync());
        Assert.DoesNotContain("sender", line, StringComparison.Ordinal);
        Assert.DoesNotContain("message_id", line, StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData(1)]
    [InlineData(ArchiveImporter.DefaultBatchSize)]
    public async Task Messages_with_the_same_date_time_keep_their_arrival_order(int batchSize)
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportAsync(
            File(
                Of(message: "b"),
                Of(message: "a", sender: "bob@acme.com"),
                Of(message: "earlier", dateTime: "2016-01-18T06:40:55.999Z"),
                Of(message: "c")),
            batchSize: batchSize);

        var session = await archive.Store.FindSessionAsync(await archive.AccountIdAsync(), "s-1", CancellationToken.None);
        var mark = await archive.Store.GetHighWaterMarkAsync(CancellationToken.None);
        var messages = await archive.Store.GetMessagesAsync(new ChatGetQuery(session!.Id, 0, long.MaxValue, mark), null, 10, CancellationToken.None);
        Assert.Equal(["earlier", "b", "a", "c"], messages.Select(message => message.Text));
        var exported = await archive.ExportLinesAsync();
        Assert.Equal(["earlier", "b", "a", "c"], exported.Select(line => line[(line.IndexOf("\"message\":\"", StringComparison.Ordinal) + 11)..^2]));
    }

    [StoreFact]
    public async Task A_participant_joins_the_session_from_the_arrival_of_the_message_that_added_it()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(message: "one")));
        var beforeBob = await archive.Store.GetHighWaterMarkAsync(CancellationToken.None);
        await archive.ImportAsync(File(Of(message: "two", sender: "bob@acme.com")));
        var afterBob = await archive.Store.GetHighWaterMarkAsync(CancellationToken.None);

        var account = await archive.AccountIdAsync();
        var bob = await archive.Store.FindUserAsync(account, "bob@acme.com", CancellationToken.None);
        Assert.NotNull(bob);
        Assert.Equal(0, (await archive.Store.ListSessionsAsync(new ChatListQuery(account, 0, long.MaxValue / 2, bob.Value.Id, beforeBob), null, 30, CancellationToken.None)).WindowSessions);
        Assert.Equal(1, (await archive.Store.ListSessionsAsync(new ChatListQuery(account, 0, long.MaxValue / 2, bob.Value.Id, afterBob), null, 30, CancellationToken.None)).WindowSessions);
    }

    [StoreFact]
    public async Task Users_met_by_an_import_are_created_without_privileges()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportAsync(File(Of(sender: "Ann@Acme.com", participants: ["bob@acme.com"])));

        var account = await archive.AccountIdAsync();
        foreach (var email in new[] { "ann@acme.com", "bob@acme.com" })
        {
            var user = await archive.Store.FindUserAsync(account, email, CancellationToken.None);
            Assert.NotNull(user);
            Assert.False(user.Value.ArchiveViewer);
        }
    }

    [StoreFact]
    public async Task A_batch_sees_what_another_import_committed_after_the_previous_batch()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(File(
            Of(type: "1:1", message: "one"), Of(sender: "carol@acme.com", message: "two"))));

        // Progress is reported once a batch is committed, before the next one is written: the other
        // import commits in between (the next batch was already read ahead, so this is the moment).
        var interleaved = false;
        var summary = await new ArchiveImporter(archive.Store, batchSize: 1).ImportAsync(
            stream,
            InterchangeStore.Account,
            new SynchronousProgress(_ =>
            {
                if (!interleaved)
                {
                    interleaved = true;
                    archive.ImportAsync(File(Of(sender: "bob@acme.com", message: "from elsewhere"))).GetAwaiter().GetResult();
                }
            }),
            archive.Problems.Add,
            CancellationToken.None);

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        Assert.Equal(2, Assert.Single(archive.Problems).LineNumber);
    }

    [StoreFact]
    public async Task Progress_is_reported_after_each_batch()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var reports = new List<ImportProgress>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(File(
            Of(message: "1"), Of(message: "1"), Of(message: "bad", dateTime: "x"), Of(message: "2"), Of(message: "3"))));

        await new ArchiveImporter(archive.Store, batchSize: 2)
            .ImportAsync(stream, InterchangeStore.Account, new SynchronousProgress(reports.Add), archive.Problems.Add, CancellationToken.None);

        Assert.Equal([new ImportProgress(2, 1, 1, 0), new ImportProgress(4, 2, 1, 1), new ImportProgress(5, 3, 1, 1)], reports);
    }

    [StoreFact]
    public async Task Cancelling_begins_no_batch_and_commits_the_one_read_ahead()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        using var cancellation = new CancellationTokenSource();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(File(
            Of(message: "1"), Of(message: "2"), Of(message: "3"), Of(message: "4"), Of(message: "5"))));

        var summary = await new ArchiveImporter(archive.Store, batchSize: 2)
            .ImportAsync(stream, InterchangeStore.Account, new SynchronousProgress(_ => cancellation.Cancel()), archive.Problems.Add, cancellation.Token);

        // Cancelled once the first batch is written: the second was read while it was, and is written
        // too; the fifth line is never read.
        Assert.Equal(new ImportSummary(4, 0, 0, 4, true), summary);
        Assert.Equal(4, (await archive.ExportLinesAsync()).Length);
    }

    [StoreFact]
    public async Task A_cancelled_read_keeps_the_lines_read_before_it()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        using var cancellation = new CancellationTokenSource();
        var first = Encoding.UTF8.GetBytes(File(Of(message: "1")));
        using var stream = new StallingStream(first, cancellation);

        var summary = await new ArchiveImporter(archive.Store)
            .ImportAsync(stream, InterchangeStore.Account, null, archive.Problems.Add, cancellation.Token);

        Assert.Equal(new ImportSummary(1, 0, 0, 1, true), summary);
        Assert.Single(await archive.ExportLinesAsync());
    }

    [StoreTheory]
    [InlineData(3)]
    [InlineData(2_500)]
    [InlineData(10_000)]
    public async Task What_was_read_is_committed_before_waiting_for_more_input(int count)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        using var cancellation = new CancellationTokenSource();
        var sent = File([.. Enumerable.Range(0, count).Select(i => Of(message: $"m{i}"))]);
        using var stream = new WaitingStream(Encoding.UTF8.GetBytes(sent));

        // Records are read a chunk at a time: the default batch of 200,000 would hold the write lock across
        // the wait for more input, and it must not; nor may a chunk begun hold what came before the wait.
        var import = new ArchiveImporter(archive.Store)
            .ImportAsync(stream, InterchangeStore.Account, null, archive.Problems.Add, cancellation.Token);
        var visible = 0;
        for (var waited = 0; waited < 600 && visible < count; waited++)
        {
            await Task.Delay(50);
            visible = (await archive.ExportLinesAsync()).Length;
        }

        Assert.False(import.IsCompleted);
        Assert.Equal(count, visible);
        await cancellation.CancelAsync();
        Assert.Equal(new ImportSummary(count, 0, 0, count, true), await import);
    }

    private static async Task<string> ExportOfAsync(string line)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(line));
        return Assert.Single(await archive.ExportLinesAsync());
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so that tests see every report in order.</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>Gives its bytes, then waits for input that never comes, as a quiet pipe does, until the read is cancelled.</summary>
    private sealed class WaitingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return read;
        }
    }

    private sealed class StallingStream(byte[] bytes, CancellationTokenSource cancellation) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}
