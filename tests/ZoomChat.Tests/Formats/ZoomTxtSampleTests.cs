using Xunit.Abstractions;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>
/// The genuine chat files of ../shared/data/zoom-saved-chat (variants A, B and C). The expected
/// counts, names and times were read off the files by hand (and a throw-away script), not from this
/// reader's output; a session id is <c>zoom-txt-</c> and the first 16 hex digits of the file's SHA-256.
/// </summary>
public sealed class ZoomTxtSampleTests(ITestOutputHelper output)
{
    private const string A = "zoom-saved-chat/A2_2020-12_agu-ossi-2020-agu-oss_meeting_saved_chat.txt";
    private const string B = "zoom-saved-chat/B_2021-09_places-research-bhtrans_meeting_saved_chat.txt";
    private const string C = "zoom-saved-chat/C_2023-09_w3c-cg-webagents_chat-extracted-from-minutes.txt";

    [StoreFact]
    public async Task The_variant_A_sample_is_one_group_of_121_messages_from_21_senders_on_the_given_day_in_Denver()
    {
        if (SharedData.Find(A, output) is not { } path)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, reactions) = await archive.ImportZoomTxtFileAsync(
            path, new ImportOptions(Date: "2020-12-10", TimeZone: "America/Denver", EmailDomain: "agu.example"));

        Assert.Empty(archive.Problems);
        Assert.Equal(new ImportSummary(121, 0, 0, 121, false), summary);
        Assert.Equal(0, reactions);
        var messages = await archive.ExportedAsync();
        Assert.All(messages, m => Assert.Equal(("zoom-txt-e28d1a05fc23c870", "Group", "A2_2020-12_agu-ossi-2020-agu-oss_meeting_saved_chat"), (m.SessionId, m.Type, m.GroupName)));
        Assert.Equal(21, messages.Select(m => m.Sender).Distinct().Count());
        Assert.Equal(21, messages[^1].Participants.Length);
        Assert.Equal(51, messages.Count(m => m.Sender == "leah.wasser.she.her.earth.lab.earthdatascience.org.pyopensci@agu.example"));
        Assert.Contains(messages, m => m.Sender == "cécile.coulon@agu.example" && m.Message == "is there a risk to overwrite files when making the modifications?");

        // December in Denver is UTC-7; the file runs 08:58:13 to 11:59:57.
        Assert.Equal(("2020-12-10T15:58:13.000Z", "zoom-txt-e28d1a05fc23c870-1", "Welcome  everyone!!"), (messages[0].DateTime, messages[0].MessageId, messages[0].Message));
        Assert.Equal(("2020-12-10T18:59:57.000Z", "zoom-txt-e28d1a05fc23c870-121"), (messages[^1].DateTime, messages[^1].MessageId));
    }

    [StoreFact]
    public async Task The_variant_B_sample_splits_into_the_meeting_and_three_private_conversations()
    {
        if (SharedData.Find(B, output) is not { } path)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, _) = await archive.ImportZoomTxtFileAsync(
            path, new ImportOptions(Date: "2021-09-23", TimeZone: "Europe/Paris", EmailDomain: "bhtrans.example"));

        Assert.Empty(archive.Problems);
        Assert.Equal(new ImportSummary(17, 0, 0, 17, false), summary);
        var sessions = (await archive.ExportedAsync()).GroupBy(m => m.SessionId).ToDictionary(g => g.Key, g => g.ToList());
        const string Group = "zoom-txt-eab2fb430dde3d79";
        Assert.Equal(
            [Group, $"{Group}-dm-04857f50931a", $"{Group}-dm-42dbc6ab961a", $"{Group}-dm-ea8d3e98a872"],
            sessions.Keys.Order(StringComparer.Ordinal));

        var meeting = sessions[Group];
        Assert.Equal(5, meeting.Count);
        Assert.Equal(
            ["laetitia.dablanc.univ.g.eiffel@bhtrans.example", "nora.mareï@bhtrans.example", "renata.oliveira@bhtrans.example"],
            meeting[^1].Participants);

        // Laetitia and Renata, Martin and Renata, aboulkaceme and Renata: both directions in one 1:1 session.
        var laetitia = sessions[$"{Group}-dm-ea8d3e98a872"];
        Assert.Equal(5, laetitia.Count);
        Assert.All(laetitia, m => Assert.Equal(("1:1", null), (m.Type, m.GroupName)));
        Assert.Equal(["laetitia.dablanc.univ.g.eiffel@bhtrans.example", "renata.oliveira@bhtrans.example"], laetitia[0].Participants);
        Assert.Equal(["renata.oliveira@bhtrans.example", "laetitia.dablanc.univ.g.eiffel@bhtrans.example"], laetitia.Take(2).Select(m => m.Sender!).Reverse());
        Assert.Equal(5, sessions[$"{Group}-dm-04857f50931a"].Count);
        var aboulkaceme = sessions[$"{Group}-dm-42dbc6ab961a"];
        Assert.Equal(2, aboulkaceme.Count);

        // A bare CR inside a message is a line break; September in Paris is UTC+2.
        Assert.Equal(
            ("2021-09-23T07:53:10.000Z", $"zoom-txt-eab2fb430dde3d79-8", "I'll be happy to read your report / paper\nI'm very intersted in the methodology you'll use to deal with causality"),
            (aboulkaceme[1].DateTime, aboulkaceme[1].MessageId, aboulkaceme[1].Message));
        Assert.Equal("2021-09-23T06:57:39.000Z", laetitia[0].DateTime);
        Assert.Equal("2021-09-23T08:20:57.000Z", sessions[$"{Group}-dm-04857f50931a"][^1].DateTime);
    }

    [StoreFact]
    public async Task The_variant_C_sample_has_59_messages_from_11_senders_and_11_reactions_that_are_not_messages()
    {
        if (SharedData.Find(C, output) is not { } path)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync();

        var (summary, reactions) = await archive.ImportZoomTxtFileAsync(
            path, new ImportOptions(Date: "2023-09-11", TimeZone: "Europe/Madrid", EmailDomain: "w3.example"));

        Assert.Empty(archive.Problems);
        Assert.Equal(new ImportSummary(59, 0, 0, 235, false), summary);
        Assert.Equal(11, reactions);
        var messages = await archive.ExportedAsync();
        Assert.Equal(11, messages.Select(m => m.Sender).Distinct().Count());
        Assert.Equal(32, messages.Count(m => m.Sender == "michael.mccool@w3.example"));
        Assert.Contains(messages, m => m.Sender == "simon.mayer.university.of.st.gallen@w3.example");
        Assert.Contains(messages, m => m.Sender == "zoltan.kis.intel@w3.example");
        Assert.Equal(("2023-09-11T09:36:50.000Z", "would be good to set the stage first with WebAgents?"), (messages[0].DateTime, messages[0].Message));
        Assert.Equal(("2023-09-11T11:04:08.000Z", "Thank you for the interesting meeting!"), (messages[^1].DateTime, messages[^1].Message));

        // A reply keeps its own text, not the quote of what it answers.
        var reply = Assert.Single(messages, m => m.MessageId == "zoom-txt-40aa3d8cfba52d75-25");
        Assert.Equal(
            ("jérémy.lemée@w3.example", "2023-09-11T09:49:43.000Z", "Many members (I don't want to speak for everyone though) of the webagents community group have experience with the Web of Things so I don't think this should be a problem."),
            (reply.Sender, reply.DateTime, reply.Message));

        // Lines that lost their tab when pasted into minutes still belong to the message.
        var fipa = Assert.Single(messages, m => m.MessageId == "zoom-txt-40aa3d8cfba52d75-128");
        Assert.Equal(
            "The FIPA standards I mentioned:\n- FIPA Abstract Architecture: http://fipa.org/specs/fipa00001/SC00001L.html\n"
            + "- FIPA Agent Management Specification (incl. the FIPA Agent Identifier Description): http://fipa.org/specs/fipa00023/SC00023K.html",
            fipa.Message);
    }

    [StoreTheory]
    [InlineData(A, 121, 0)]
    [InlineData(B, 17, 0)]
    [InlineData(C, 59, 11)]
    public async Task Importing_a_sample_again_stores_nothing_and_counts_every_message_a_duplicate(string sample, long messages, long reactions)
    {
        if (SharedData.Find(sample, output) is not { } path)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync();
        var options = new ImportOptions(Date: "2023-09-11", TimeZone: "UTC", EmailDomain: "example.com");

        await archive.ImportZoomTxtFileAsync(path, options);
        var (again, reactionsAgain) = await archive.ImportZoomTxtFileAsync(path, options);

        Assert.Equal((0, messages, 0L, reactions), (again.Stored, again.Duplicates, again.Rejected, reactionsAgain));
        Assert.Equal(messages, (await archive.ExportedAsync()).Count);
    }

    [StoreTheory]
    [InlineData(A, ImportFormats.ZoomTxt)]
    [InlineData(B, ImportFormats.ZoomTxt)]
    [InlineData(C, ImportFormats.ZoomTxt)]
    [InlineData("zoom-fixtures/zoomnet/Endpoints/report-chat-sessions_GET.json", ImportFormats.ZoomReport)]
    [InlineData("zoom-fixtures/zoomnet/Endpoints/report-chat-sessions-{sessionId}_GET.json", ImportFormats.ZoomReport)]
    [InlineData("irc/four-channels.ndjson", ImportFormats.Ndjson)]
    public async Task Each_sample_is_told_from_its_content(string sample, string format)
    {
        if (SharedData.Find(sample, output) is not { } path)
        {
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path);

        Assert.Equal(ImportFormats.Parse(format), ImportFormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, ImportFormatDetector.PrefixBytes))));
    }
}
