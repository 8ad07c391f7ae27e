using Xunit.Abstractions;
using ZoomChat.Server.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Interchange;

/// <summary>
/// Real chat from ../shared/data (see its README): IRC logs in the interchange format, with
/// shared timestamps, control bytes and times that run backwards. Absent data ends the test with a
/// message on a developer's machine, and fails it in CI (CI=true), so that CI never passes silently.
/// </summary>
public sealed class IrcArchiveTests(ITestOutputHelper output)
{
    private const int FourChannelsMessages = 14_093;

    [StoreFact]
    public async Task The_four_channels_archive_imports_whole_reimports_as_duplicates_and_round_trips_byte_identical()
    {
        var path = FindSharedData("irc/four-channels.ndjson");
        if (path is null)
        {
            return;
        }

        await using var archive = await InterchangeStore.CreateAsync("irc");
        var bytes = await File.ReadAllBytesAsync(path);

        var first = await archive.ImportAsync(bytes, defaultAccount: "irc");
        var again = await archive.ImportAsync(bytes, defaultAccount: "irc");

        Assert.Empty(archive.Problems);
        Assert.Equal(new ImportSummary(FourChannelsMessages, 0, 0, FourChannelsMessages, false), first);
        Assert.Equal(new ImportSummary(0, FourChannelsMessages, 0, FourChannelsMessages, false), again);

        var exported = await archive.ExportBytesAsync();
        await using var copy = await InterchangeStore.CreateAsync("irc");
        var copied = await copy.ImportAsync(exported, defaultAccount: null);
        Assert.Equal(new ImportSummary(FourChannelsMessages, 0, 0, FourChannelsMessages, false), copied);
        Assert.Equal(exported, await copy.ExportBytesAsync());
    }

    private string? FindSharedData(string relativePath) => SharedData.Find(relativePath, output);
}
