using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>
/// Hand-made Zoom chat files, one trait of each variant of docs/import-formats.md#zoom-txt (A to E) per
/// test, and the rules of docs/import-formats.md: time placement, names to e-mails, sessions, ids.
/// </summary>
public sealed class ZoomTxtVariantTests
{
    private static readonly ImportOptions Paris = new(Date: "2024-03-01", TimeZone: "Europe/Paris", EmailDomain: "acme.com");

    [StoreFact]
    public async Task Variant_A_reads_the_sender_after_a_tab_and_one_or_two_spaces_and_keeps_colons_in_the_text()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, _) = await archive.ImportZoomTxtAsync(
            "10:00:01\t From  Ann Lee : see: this : that\n10:00:02\t From Bob : hi\n", Paris);

        Assert.Equal(new ImportSummary(2, 0, 0, 2, false), summary);
        var messages = await archive.ExportedAsync();
        Assert.Equal(
            [("ann.lee@acme.com", "2024-03-01T09:00:01.000Z", "see: this : that"), ("bob@acme.com", "2024-03-01T09:00:02.000Z", "hi")],
            messages.Select(m => (m.Sender, m.DateTime, m.Message)));
        Assert.All(messages, m => Assert.Equal(("Group", "meeting_saved_chat"), (m.Type, m.GroupName)));
    }

    [StoreFact]
    public async Task Variant_A_private_messages_both_ways_go_to_one_1_1_session_of_the_two_people()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync(
            "10:00:01\t From  Ann Lee  to  Bob Stone(Privately) : psst\n"
            + "10:00:02\t From  Everyone Else : to all\n"
            + "10:00:03\t From Bob Stone to Ann Lee(Privately) : ok\n",
            Paris);

        var sessions = (await archive.ExportedAsync()).GroupBy(m => (m.SessionId, m.Type)).ToList();
        Assert.Equal(2, sessions.Count);
        var group = Assert.Single(sessions, s => s.Key.Type == "Group");
        Assert.Equal(["everyone.else@acme.com"], Assert.Single(group).Participants);
        var pair = Assert.Single(sessions, s => s.Key.Type == "1:1");
        Assert.StartsWith(group.Key.SessionId + "-dm-", pair.Key.SessionId, StringComparison.Ordinal);
        Assert.Equal(["psst", "ok"], pair.Select(m => m.Message));
        Assert.All(pair, m => Assert.Equal(["ann.lee@acme.com", "bob.stone@acme.com"], m.Participants));
    }

    [StoreFact]
    public async Task A_bare_CR_inside_a_variant_A_message_becomes_a_line_break()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync("10:00:01\t From Ann : one\rtwo\r\n10:00:02\t From Ann : three\n", Paris);

        Assert.Equal(["one\ntwo", "three"], (await archive.ExportedAsync()).Select(m => m.Message));
    }

    [StoreFact]
    public async Task Variant_B_with_CRLF_reads_messages_to_everyone_and_direct_messages()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, _) = await archive.ImportZoomTxtAsync(
            "09:00:00 From  Ann Lee  to  Everyone : hello all\r\n09:00:05 From  Ann Lee  to  Bob(Direct Message) : hi Bob\r\n", Paris);

        Assert.Equal(new ImportSummary(2, 0, 0, 2, false), summary);
        var messages = await archive.ExportedAsync();
        Assert.Equal(
            [("Group", "hello all", "ann.lee@acme.com"), ("1:1", "hi Bob", "ann.lee@acme.com bob@acme.com")],
            messages.OrderBy(m => m.DateTime, StringComparer.Ordinal).Select(m => (m.Type, m.Message, string.Join(' ', m.Participants))));
    }

    [StoreFact]
    public async Task A_private_message_between_names_holding_to_splits_where_a_name_is_known()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        // "Back to Basics" is known as a sender by then; nothing tells the first "to" from the second otherwise.
        await archive.ImportZoomTxtAsync(
            "09:00:00 From Back to Basics to Everyone : welcome\n09:00:05 From Back to Basics to Ann(Direct Message) : psst\n", Paris);

        var direct = Assert.Single(await archive.ExportedAsync(), m => m.Type == "1:1");
        Assert.Equal(("back.to.basics@acme.com", "ann@acme.com back.to.basics@acme.com"), (direct.Sender, string.Join(' ', direct.Participants)));
    }

    [StoreFact]
    public async Task A_private_message_naming_no_recipient_is_reported_not_put_in_the_meeting()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, _) = await archive.ImportZoomTxtAsync("09:00:00 From Ann(Privately) : psst\n", Paris);

        Assert.Equal(new ImportSummary(0, 0, 1, 1, false), summary);
        Assert.Equal(new ImportProblem(1, "private message names no recipient: 'Ann(Privately)'"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task Variant_C_replies_keep_their_own_text_and_reactions_are_counted_not_stored()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string File =
            "11:00:00 From Ann Lee To Everyone:\n\tWho has the agenda?\n    \n"
            + "11:00:10 From Bob to Everyone:\n\tReplying to \"Who has the agenda?\"\n\tI do\n\n"
            + "11:00:20 From Cid To Everyone:\n\tReacted to \"Who has the agen...\" with 👍\n\n"
            + "11:00:30 From Cid To Everyone:\n\tRemoved a 👍 reaction from \"Who has the agen...\"\n\n"
            + "11:00:40 From Cid To Everyone:\n\tReacted to a message, as I said\n\tsomething else\n";

        var (summary, reactions) = await archive.ImportZoomTxtAsync(File, Paris);

        Assert.Equal((3, 0, 0, 2), (summary.Stored, summary.Duplicates, summary.Rejected, reactions));
        Assert.Equal(
            ["Who has the agenda?", "I do", "Reacted to a message, as I said\nsomething else"],
            (await archive.ExportedAsync()).Select(m => m.Message));
    }

    [StoreFact]
    public async Task A_reply_keeps_its_own_text_without_the_blank_line_after_the_quote()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync("11:00:00 From Ann To Everyone:\n\tReplying to \"hi...\"\n\t\n\tmy reply\n", Paris);

        Assert.Equal(["my reply"], (await archive.ExportedAsync()).Select(m => m.Message));
    }

    [StoreTheory]
    [InlineData("9999-12-31", "America/New_York", "10:00:00", "23:00:00")]
    [InlineData("0001-01-01", "Asia/Tokyo", "00:10:00", "10:00:00")]
    public async Task A_time_placed_outside_the_years_1_to_9999_is_reported_and_the_others_imported(string date, string zone, string first, string second)
    {
        await using var archive = await InterchangeStore.CreateAsync();
        // New York: the second message is 23:00 on 9999-12-31, already the year 10000 in UTC. Tokyo: the
        // first is ten past midnight on 0001-01-01, still the year 0 in UTC; the second is later that day.
        var file = $"{first} From Ann To Everyone:\n\tfirst\n{second} From Ann To Everyone:\n\tsecond\n";

        var (summary, _) = await archive.ImportZoomTxtAsync(file, new ImportOptions(Date: date, TimeZone: zone, EmailDomain: "acme.com"));

        Assert.Equal((1, 1), (summary.Stored, summary.Rejected));
        Assert.Contains("outside the years 1 to 9999", Assert.Single(archive.Problems).Reason, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Variant_C_keeps_line_breaks_and_blank_lines_inside_a_message_and_drops_the_separators()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync(
            "11:00:00 From Ann To Everyone:\n\tline one\n\t\n\tline three\nunindented four\n    \n\n11:00:05 From Ann To Everyone:\n\tnext\n", Paris);

        Assert.Equal(["line one\n\nline three\nunindented four", "next"], (await archive.ExportedAsync()).Select(m => m.Message));
    }

    [StoreFact]
    public async Task Variant_D_times_are_elapsed_since_start_and_a_bare_LF_continues_the_message()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, _) = await archive.ImportZoomTxtAsync(
            "00:00:05\tAnn Lee:\thello\r\n00:01:10\tBob:\tfirst\nsecond\r\n25:00:00\tAnn Lee:\tmuch later\r\n",
            new ImportOptions(Start: "2024-03-01T10:00:00+01:00", EmailDomain: "acme.com"),
            "chat.txt");

        Assert.Equal(new ImportSummary(3, 0, 0, 4, false), summary);
        Assert.Equal(
            [("2024-03-01T09:00:05.000Z", "hello"), ("2024-03-01T09:01:10.000Z", "first\nsecond"), ("2024-03-02T10:00:00.000Z", "much later")],
            (await archive.ExportedAsync()).Select(m => (m.DateTime, m.Message)));
    }

    [StoreFact]
    public async Task Variant_D_start_without_an_offset_is_placed_in_the_time_zone()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync(
            "00:00:05\tAnn:\thello\r\n", new ImportOptions(Start: "2024-07-01T10:00:00", TimeZone: "America/New_York", EmailDomain: "acme.com"), "chat.txt");

        Assert.Equal("2024-07-01T14:00:05.000Z", Assert.Single(await archive.ExportedAsync()).DateTime);
    }

    [StoreFact]
    public async Task Variant_E_stamps_name_their_day_and_each_person_on_a_reaction_line_is_a_reaction()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        const string File =
            "2024-03-01 23:59:50 From Ann Lee to Everyone:\n\tgood night\n\tAnn Lee, Bob Stone:👍\n\t\n"
            + "2024-03-02 00:00:10 From Bob Stone to Everyone:\n\tmorning\n\tthe ratio is 2:1\n\tCid:❤️\n\t\n"
            + "2024-03-02 00:01:00 From Cid to Bob Stone(Direct Message):\n\tpsst\n";

        var (summary, reactions) = await archive.ImportZoomTxtAsync(File, new ImportOptions(TimeZone: "Europe/Paris", EmailDomain: "acme.com"));

        Assert.Equal((3, 0, 3), (summary.Stored, summary.Rejected, reactions));
        var messages = (await archive.ExportedAsync()).OrderBy(m => m.DateTime, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [("Group", "2024-03-01T22:59:50.000Z", "good night"), ("Group", "2024-03-01T23:00:10.000Z", "morning\nthe ratio is 2:1"), ("1:1", "2024-03-01T23:01:00.000Z", "psst")],
            messages.Select(m => (m.Type, m.DateTime, m.Message)));
    }

    [StoreFact]
    public async Task A_time_of_day_running_backwards_moves_to_the_next_day()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync(
            "23:59:58\t From Ann : late\n00:00:03\t From Bob : past midnight\n00:10:00\t From Ann : still the next day\n23:00:00\t From Ann : the day after that\n",
            new ImportOptions(Date: "2024-12-31", TimeZone: "UTC", EmailDomain: "acme.com"));

        Assert.Equal(
            ["2024-12-31T23:59:58.000Z", "2025-01-01T00:00:03.000Z", "2025-01-01T00:10:00.000Z", "2025-01-01T23:00:00.000Z"],
            (await archive.ExportedAsync()).Select(m => m.DateTime));
    }

    [StoreFact]
    public async Task In_the_hour_repeated_in_autumn_a_time_that_runs_back_is_its_second_pass_not_the_next_day()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        // Paris, 29 October 2023: 02:00 to 03:00 is lived twice, at UTC+2 and then at UTC+1.
        await archive.ImportZoomTxtAsync(
            "02:50:00\t From Ann : summer time\n02:10:00\t From Ann : winter time\n03:30:00\t From Ann : after\n",
            new ImportOptions(Date: "2023-10-29", TimeZone: "Europe/Paris", EmailDomain: "acme.com"));

        Assert.Equal(
            ["2023-10-29T00:50:00.000Z", "2023-10-29T01:10:00.000Z", "2023-10-29T02:30:00.000Z"],
            (await archive.ExportedAsync()).Select(m => m.DateTime));
    }

    [StoreFact]
    public async Task A_time_skipped_in_spring_is_read_as_the_moment_of_the_change()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        // Paris, 31 March 2024: 02:00 to 03:00 does not exist; the clocks changed at 01:00Z.
        await archive.ImportZoomTxtAsync(
            "01:59:00\t From Ann : before\n02:30:00\t From Ann : in the gap\n03:10:00\t From Ann : after\n",
            new ImportOptions(Date: "2024-03-31", TimeZone: "Europe/Paris", EmailDomain: "acme.com"));

        Assert.Equal(
            ["2024-03-31T00:59:00.000Z", "2024-03-31T01:00:00.000Z", "2024-03-31T01:10:00.000Z"],
            (await archive.ExportedAsync()).Select(m => m.DateTime));
    }

    [StoreFact]
    public async Task Display_names_take_the_people_file_first_then_the_email_domain()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        using var folder = new Support.TempFolder();
        var people = Path.Combine(folder.Path, "people.csv");
        await File.WriteAllTextAsync(people, "name,email\nAnn Lee,Ann@Corp.com\n\"Stone, Bob\",bob@corp.com\n");

        await archive.ImportZoomTxtAsync(
            "10:00:00\t From ann  LEE : one\n10:00:01\t From Stone, Bob : two\n10:00:02\t From Cid : three\n",
            new ImportOptions(Date: "2024-03-01", TimeZone: "UTC", People: people, EmailDomain: "acme.com"));

        Assert.Equal(["ann@corp.com", "bob@corp.com", "cid@acme.com"], (await archive.ExportedAsync()).Select(m => m.Sender));
    }

    [StoreFact]
    public async Task A_name_missing_from_the_people_file_without_a_domain_is_reported_and_the_rest_imported()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        using var folder = new Support.TempFolder();
        var people = Path.Combine(folder.Path, "people.csv");
        await File.WriteAllTextAsync(people, "Ann Lee,ann@corp.com\n");

        var (summary, _) = await archive.ImportZoomTxtAsync(
            "10:00:00\t From Ann Lee : one\n10:00:01\t From Cid : two\n", new ImportOptions(Date: "2024-03-01", TimeZone: "UTC", People: people));

        Assert.Equal(new ImportSummary(1, 0, 1, 2, false), summary);
        Assert.Equal(
            new ImportProblem(2, "no e-mail for 'Cid': the people file does not name them (add them, or give --email-domain)"),
            Assert.Single(archive.Problems));
    }

    [StoreTheory]
    [InlineData("Ann Lee", "ann.lee")]
    [InlineData("  Ann   Lee ", "ann.lee")]
    [InlineData("O'Brien, Pat (she/her)", "o.brien.pat.she.her")]
    [InlineData("Jérémy Lemée", "jérémy.lemée")]
    [InlineData("Zoltan Kis - Intel", "zoltan.kis.intel")]
    [InlineData("🙂", "user-d06f1525")]
    public void An_email_is_made_from_a_display_name_by_a_fixed_rule(string displayName, string localPart)
    {
        Assert.Equal(localPart, DisplayNameEmails.LocalPartOf(DisplayNameEmails.Normalize(displayName)));
    }

    [StoreFact]
    public async Task The_session_id_and_group_name_flags_name_the_meeting_and_its_private_sessions()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync(
            "10:00:00 From  Ann  to  Everyone : hi\n10:00:01 From  Ann  to  Bob(Direct Message) : psst\n",
            Paris with { SessionId = "standup-42", GroupName = "Daily standup" });

        var messages = await archive.ExportedAsync();
        Assert.Equal(("standup-42", "Daily standup"), (messages[0].SessionId, messages[0].GroupName));
        Assert.StartsWith("standup-42-dm-", messages[1].SessionId, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Text_before_the_first_message_is_reported_line_by_line_and_the_rest_imported()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, _) = await archive.ImportZoomTxtAsync("Chat of the meeting\n\n10:00:00\t From Ann : hi\n", Paris);

        Assert.Equal(new ImportSummary(1, 0, 1, 3, false), summary);
        Assert.Equal(1, Assert.Single(archive.Problems).LineNumber);
    }

    [StoreFact]
    public async Task A_stamp_that_is_no_time_of_day_is_reported_with_its_line()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, _) = await archive.ImportZoomTxtAsync("10:00:00\t From Ann : a\n25:00:00\t From Ann : b\n10:00:02\t From Ann : c\n", Paris);

        Assert.Equal(new ImportSummary(2, 0, 1, 3, false), summary);
        Assert.Equal(new ImportProblem(2, "'25:00:00' is not a time of day"), Assert.Single(archive.Problems));
    }

    [StoreFact]
    public async Task Ids_come_from_the_file_so_that_another_file_with_the_same_lines_is_another_session()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        await archive.ImportZoomTxtAsync("10:00:00\t From Ann : hi\n", Paris);
        var (other, _) = await archive.ImportZoomTxtAsync("10:00:00\t From Ann : hi\n10:00:01\t From Ann : more\n", Paris);

        Assert.Equal((2, 0), (other.Stored, other.Duplicates));
        Assert.Equal(2, (await archive.ExportedAsync()).Select(m => m.SessionId).Distinct().Count());
    }

    [StoreFact]
    public async Task Display_names_need_a_people_file_or_a_domain_before_anything_is_read()
    {
        var refused = await Assert.ThrowsAsync<ImportFormatException>(() => ZoomTxtSettings.CreateAsync(new ImportOptions(Date: "2024-03-01"), CancellationToken.None));

        Assert.Contains("--people", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--email-domain", refused.Message, StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("Inline", "--date")]
    [InlineData("Indented", "--timezone")]
    [InlineData("Recording", "--start")]
    [InlineData("Dated", "--timezone")]
    public async Task Each_variant_asks_for_the_flags_it_cannot_do_without(string variant, string flag)
    {
        var settings = await ZoomTxtSettings.CreateAsync(new ImportOptions(EmailDomain: "acme.com"), CancellationToken.None);

        var refused = Assert.Throws<ImportFormatException>(() => settings.CheckFor(Enum.Parse<ZoomTxtVariant>(variant)));

        Assert.Contains(flag, refused.Message, StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("--date", "2024-3-1")]
    [InlineData("--timezone", "Mars/Olympus_Mons")]
    [InlineData("--start", "yesterday")]
    [InlineData("--start", "2024-03-01T10:00:00")]
    [InlineData("--email-domain", "not a domain")]
    [InlineData("--session-id", " ")]
    public async Task A_malformed_flag_is_refused_with_its_name(string flag, string value)
    {
        var options = flag switch
        {
            "--date" => new ImportOptions(Date: value, EmailDomain: "acme.com"),
            "--timezone" => new ImportOptions(TimeZone: value, EmailDomain: "acme.com"),
            "--start" => new ImportOptions(Start: value, EmailDomain: "acme.com"),
            "--session-id" => new ImportOptions(SessionId: value, EmailDomain: "acme.com"),
            _ => new ImportOptions(EmailDomain: value),
        };

        var refused = await Assert.ThrowsAsync<ImportFormatException>(() => ZoomTxtSettings.CreateAsync(options, CancellationToken.None));

        Assert.Contains(flag, refused.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task IANA_time_zones_are_found_although_globalization_is_invariant()
    {
        var settings = await ZoomTxtSettings.CreateAsync(new ImportOptions(TimeZone: "Asia/Kolkata", EmailDomain: "acme.com"), CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(330), settings.TimeZone!.BaseUtcOffset);
    }
}
