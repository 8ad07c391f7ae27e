using System.Text;
using System.Text.Json;
using ZoomChat.Server.Demo;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// The archive behind <c>zoomchat demo</c>: deterministic data covering the seed's example window
/// (2016-01-16 to 2016-01-22), served with the demo's fixed credentials (docs/operations.md#the-demo-archive).
/// </summary>
public sealed class DemoArchiveTests
{
    private static readonly TestCredentials Demo = new(DemoArchive.Account, DemoArchive.ApiKey, DemoArchive.ApiSecret, DemoArchive.AccessToken);
    private static readonly (string Name, string Value)[] SeedWindow = [("from", "2016-01-16"), ("to", "2016-01-22")];
    private static readonly DateTimeOffset WindowStart = new(2016, 1, 16, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowEnd = new(2016, 1, 23, 0, 0, 0, TimeSpan.Zero);

    [StoreFact]
    public async Task The_demo_lists_sessions_of_both_types_in_the_seeds_window_with_its_fixed_credentials()
    {
        await using var archive = await TestArchive.StartAsync();
        await DemoArchive.FillAsync(archive.Store, archive.Time, CancellationToken.None);
        var expected = GeneratedLines()
            .Where(l => l.At >= WindowStart && l.At < WindowEnd)
            .GroupBy(l => l.Session)
            .Select(g => (Id: g.Key, g.First().Type, Last: g.Max(l => l.At)))
            .OrderByDescending(s => s.Last)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => $"{s.Id} {s.Type} {Wire(s.Last)}")
            .ToList();

        var page = await archive.PostJsonAsync("/v1/chat/list", Demo.With(SeedWindow));

        var listed = page.GetProperty("chat_list").EnumerateArray()
            .Select(s => $"{s.GetProperty("session_id").GetString()} {s.GetProperty("type").GetString()} {s.GetProperty("last_message_send_time").GetString()}")
            .ToList();
        Assert.Equal(expected, listed);
        Assert.Contains(listed, s => s.Contains(" Group ", StringComparison.Ordinal));
        Assert.Contains(listed, s => s.Contains(" 1:1 ", StringComparison.Ordinal));
        Assert.Equal(1, page.GetProperty("page_count").GetInt32());
        Assert.All(
            page.GetProperty("chat_list").EnumerateArray().Where(s => s.GetProperty("type").GetString() == "1:1"),
            s => Assert.Equal(2, s.GetProperty("participants").GetString()!.Split(',').Length));
    }

    [StoreTheory]
    [InlineData("Group")]
    [InlineData("1:1")]
    public async Task The_demo_gets_the_messages_of_a_listed_session_oldest_first(string type)
    {
        await using var archive = await TestArchive.StartAsync();
        await DemoArchive.FillAsync(archive.Store, archive.Time, CancellationToken.None);
        var list = await archive.PostJsonAsync("/v1/chat/list", Demo.With(SeedWindow));
        var sessionId = list.GetProperty("chat_list").EnumerateArray().First(s => s.GetProperty("type").GetString() == type).GetProperty("session_id").GetString()!;
        // In file order, which is arrival order: a stable sort keeps messages of one millisecond as they arrived.
        var expected = GeneratedLines()
            .Where(l => l.Session == sessionId && l.At >= WindowStart && l.At < WindowEnd)
            .OrderBy(l => l.At)
            .Select(l => $"{Wire(l.At)} {l.Sender} {l.Text}")
            .ToList();

        var messages = new List<string>();
        var token = string.Empty;
        do
        {
            (string, string)[] query = token.Length == 0
                ? [("session_id", sessionId), .. SeedWindow, ("page_size", "10")]
                : [("session_id", sessionId), .. SeedWindow, ("page_size", "10"), ("next_page_token", token)];
            var page = await archive.PostJsonAsync("/v1/chat/get", Demo.With(query));
            messages.AddRange(page.GetProperty("chat_messages").EnumerateArray().Select(m =>
                $"{m.GetProperty("date_time").GetString()} {m.GetProperty("sender").GetString()} {m.GetProperty("message").GetString()}"));
            token = page.GetProperty("next_page_token").GetString()!;
        }
        while (token.Length > 0);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, messages);
    }

    [StoreFact]
    public async Task Filling_the_demo_twice_changes_nothing()
    {
        await using var archive = await TestArchive.StartAsync();
        var first = await DemoArchive.FillAsync(archive.Store, archive.Time, CancellationToken.None);
        var once = await ExportAsync(archive.Store);
        var listOnce = await archive.PostJsonAsync("/v1/chat/list", Demo.With(SeedWindow));

        var second = await DemoArchive.FillAsync(archive.Store, archive.Time, CancellationToken.None);
        var twice = await ExportAsync(archive.Store);
        var listTwice = await archive.PostJsonAsync("/v1/chat/list", Demo.With(SeedWindow));

        Assert.Equal(first, second);
        Assert.Equal(GeneratedLines().Count, once.Count(b => b == (byte)'\n'));
        Assert.Equal(once, twice);
        Assert.Equal(listOnce.GetRawText(), listTwice.GetRawText());
    }

    [StoreFact]
    public async Task Filling_the_demo_into_a_store_with_other_accounts_leaves_them_alone()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s-1", "2016-01-18T10:00:00Z", "acme's own", "ann@acme.com"));

        await DemoArchive.FillAsync(archive.Store, archive.Time, CancellationToken.None);
        var acmeList = await archive.PostJsonAsync("/v1/chat/list", acme.With(SeedWindow));

        Assert.Equal(
            """[{"session_id":"s-1","type":"Group","participants":"","group_name":"","last_message_send_time":"2016-01-18T10:00:00.000Z"}]""",
            acmeList.GetProperty("chat_list").GetRawText());
    }

    private static async Task<byte[]> ExportAsync(IArchiveStore store)
    {
        using var output = new MemoryStream();
        await new ArchiveExporter(store).ExportAsync(new ExportQuery(null, null, null, null, null), output, CancellationToken.None);
        return output.ToArray();
    }

    /// <summary>The demo's own interchange lines, read independently of the store.</summary>
    private static List<(string Session, string Type, DateTimeOffset At, string Sender, string Text)> GeneratedLines()
    {
        var ndjson = DemoArchive.Generate(out _, out _);
        return Encoding.UTF8.GetString(ndjson)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(l => (
                l.GetProperty("session_id").GetString()!,
                l.GetProperty("type").GetString()!,
                DateTimeOffset.Parse(l.GetProperty("date_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                l.GetProperty("sender").GetString()!,
                l.GetProperty("message").GetString()!))
            .ToList();
    }

    private static string Wire(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
