using System.Net;
using System.Text.Json;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Viewer;

/// <summary>The viewer's search page and its export (docs/viewer.md#pages).</summary>
public sealed class ViewerSearchTests
{
    [StoreFact]
    public async Task Search_shows_the_accounts_hits_with_the_words_marked_and_a_link_into_the_session()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s1", "2026-02-01T10:00:00Z", "The Déploy <b>failed</b> again", sender: "ana@example.com", type: "Group", groupName: "Ops"),
            Lines.Message("s1", "2026-02-01T11:00:00Z", "nothing to see", sender: "ana@example.com", type: "Group", groupName: "Ops"));
        await archive.ImportAsync("globex", Lines.Message("g1", "2026-02-01T10:00:00Z", "deploy at globex", sender: "boss@globex.com"));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var page = await visitor.PageAsync("/search?q=deploy");

        Assert.Contains("The <mark>Déploy</mark> &lt;b&gt;failed&lt;/b&gt; again", page, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing to see", page, StringComparison.Ordinal);
        Assert.DoesNotContain("globex", page, StringComparison.Ordinal);
        var at = new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Contains($"href=\"/sessions/s1?at={at}\">Ops</a>", page, StringComparison.Ordinal);
        var opened = await visitor.PageAsync($"/sessions/s1?at={at}");
        Assert.Contains("The Déploy", opened, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_search_that_cannot_be_read_is_answered_with_400()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var page = await visitor.PageAsync("/search?q=" + Uri.EscapeDataString("-only"), HttpStatusCode.BadRequest);
        var form = await visitor.PageAsync("/search");

        Assert.Contains("Cannot read the search", page, StringComparison.Ordinal);
        Assert.Contains("type=\"search\" name=\"q\"", form, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_search_exports_every_hit_as_ndjson_and_csv()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s1", "2026-02-01T10:00:00Z", "deploy one, \"quoted\"", sender: "ana@example.com", messageId: "m1"),
            Lines.Message("s2", "2026-02-02T10:00:00Z", "deploy two", sender: "ben@example.com", messageId: "m2"),
            Lines.Message("s2", "2026-02-03T10:00:00Z", "other", sender: "ben@example.com", messageId: "m3"));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        using var ndjson = await visitor.GetAsync("/search/export?format=ndjson&q=deploy");
        using var csv = await visitor.GetAsync("/search/export?format=csv&q=deploy");
        var lines = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["m2", "m1"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message_id").GetString()));
        Assert.Equal("session_id,message_id,sender,date_time,message", rows[0]);
        Assert.Equal("s1,m1,ana@example.com,2026-02-01T10:00:00.000Z,\"deploy one, \"\"quoted\"\"\"", rows[2]);
        Assert.Equal("attachment; filename=\"search.csv\"", csv.Content.Headers.ContentDisposition?.ToString());
    }
}
