using Xunit.Abstractions;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Formats;

/// <summary>
/// The day of a Zoom chat file of times of day: <c>--date</c> for one file, else the date of the folder
/// Zoom saved it in; never one <c>--date</c> for several meetings (docs/import-formats.md#zoom-txt).
/// </summary>
public sealed class ZoomTxtDateTests(ITestOutputHelper output)
{
    private const string A2 = "zoom-saved-chat/A2_2020-12_agu-ossi-2020-agu-oss_meeting_saved_chat.txt";
    private const string B = "zoom-saved-chat/B_2021-09_places-research-bhtrans_meeting_saved_chat.txt";

    [StoreFact]
    public async Task One_date_for_two_meetings_files_is_refused_and_nothing_is_stored()
    {
        if (SharedData.Find(A2, output) is not { } a2 || SharedData.Find(B, output) is not { } b)
        {
            return;
        }

        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var result = await cli.RunAsync("import", a2, b, "--date", "2021-09-15", "--timezone", "UTC", "--email-domain", "acme.com", "--account", "acme");

        Assert.Contains("--date gives one day to 2 chat files of times of day", result.OneLineError(), StringComparison.Ordinal);
        Assert.Empty(await ExportAsync(cli));
    }

    [StoreFact]
    public async Task Files_in_the_folders_zoom_saves_them_in_take_each_its_folders_date()
    {
        if (SharedData.Find(A2, output) is not { } a2 || SharedData.Find(B, output) is not { } b)
        {
            return;
        }

        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var december = Place(cli, a2, "2020-12-08 08.55.12 AGU OSS workshop");
        var september = Place(cli, b, "2021-09-15 10.00.05 BHTrans");

        var result = await cli.RunAsync("import", december, september, "--timezone", "UTC", "--email-domain", "acme.com", "--account", "acme", "--json");

        Assert.Equal(0, result.ExitCode);
        var lines = await ExportAsync(cli);
        Assert.NotEmpty(lines);
        // A file's meeting is zoom-txt-KEY; its private messages are in zoom-txt-KEY-dm-PAIR.
        var days = lines.Select(l => (Session: Field(l, "session_id")[.."zoom-txt-0123456789abcdef".Length], Day: Field(l, "date_time")[..10])).Distinct().ToList();
        Assert.Equal(2, days.Select(d => d.Session).Distinct().Count());
        Assert.Contains(days, d => d.Day == "2020-12-08");
        Assert.Contains(days, d => d.Day == "2021-09-15");
        Assert.All(days.GroupBy(d => d.Session), g => Assert.True(g.All(d => d.Day.StartsWith("2020-12", StringComparison.Ordinal)) || g.All(d => d.Day.StartsWith("2021-09", StringComparison.Ordinal))));
    }

    [StoreFact]
    public async Task A_date_that_contradicts_the_folders_is_refused()
    {
        if (SharedData.Find(A2, output) is not { } a2)
        {
            return;
        }

        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var placed = Place(cli, a2, "2020-12-08 08.55.12 AGU OSS workshop");

        var result = await cli.RunAsync("import", placed, "--date", "2021-09-15", "--timezone", "UTC", "--email-domain", "acme.com", "--account", "acme");

        Assert.Contains("--date 2021-09-15, but the folder it is in is dated 2020-12-08", result.OneLineError(), StringComparison.Ordinal);
    }

    /// <summary>A copy of a shared chat file as Zoom saves it: meeting_saved_chat.txt in the meeting's folder.</summary>
    private static string Place(CliStore cli, string file, string folder)
    {
        var path = Path.Combine(cli.Folder.Path, "Zoom", folder, "meeting_saved_chat.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(file, path);
        return path;
    }

    private static async Task<string[]> ExportAsync(CliStore cli)
    {
        var path = cli.PathOf("export.ndjson");
        await cli.RunAsync("export", "--output", path);
        return await File.ReadAllLinesAsync(path);
    }

    private static string Field(string line, string name) =>
        System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty(name).GetString()!;
}
