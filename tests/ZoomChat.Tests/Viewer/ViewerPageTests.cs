using System.Net;
using System.Text.Json;
using ZoomChat.Server.Viewer;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Viewer;

/// <summary>The web viewer's pages over HTTP: what they show, to whom, and with which headers (docs/viewer.md#pages).</summary>
public sealed class ViewerPageTests
{
    [StoreFact]
    public async Task Every_page_has_the_content_security_policy_and_no_inline_script()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s1", "2026-02-01T10:00:00Z", "hello", sender: "ana@example.com"));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        foreach (var path in new[] { "/signin", "/sessions", "/sessions/s1", "/sessions/nope", ViewerApi.CssPath, ViewerApi.ScriptPath })
        {
            using var response = await visitor.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(ViewerApi.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
            Assert.DoesNotContain("style=", body, StringComparison.Ordinal);
        }

        Assert.Contains("default-src 'none'", ViewerApi.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", ViewerApi.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Message_text_and_names_are_shown_as_text()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s1", "2026-02-01T10:00:00Z", "<script>alert(1)</script>", sender: "ana@example.com", type: "Group", groupName: "<b>team</b>"),
            Lines.Message("s1", "2026-02-01T10:01:00Z", "<img src=x onerror=alert(1)>", sender: "ana@example.com", type: "Group", groupName: "<b>team</b>"));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var list = await visitor.PageAsync("/sessions");
        var session = await visitor.PageAsync("/sessions/s1");

        Assert.Contains("&lt;b&gt;team&lt;/b&gt;", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>team", list, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", session, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", session, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", session, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", session, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Sessions_are_the_accounts_own_newest_activity_first_in_the_window_ending_on_its_latest_day()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");
        await archive.ImportAsync(
            "acme",
            Lines.Message("old", "2026-01-01T10:00:00Z", "too old for the default window", sender: "ana@example.com"),
            Lines.Message("quiet", "2026-02-10T09:00:00Z", "earlier", sender: "ana@example.com", type: "Group", groupName: "Quiet room"),
            Lines.Message("busy", "2026-02-11T09:00:00Z", "later", sender: "ben@example.com", type: "Group", groupName: "Busy room"));
        await archive.ImportAsync("globex", Lines.Message("secret", "2026-02-11T09:00:00Z", "globex only", sender: "boss@globex.com", type: "Group", groupName: "Globex room"));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var page = await visitor.PageAsync("/sessions");
        var wide = await visitor.PageAsync("/sessions?from=2025-12-01&to=2026-02-28");

        Assert.Contains("value=\"2026-01-13\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-02-11\"", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("Busy room", StringComparison.Ordinal) < page.IndexOf("Quiet room", StringComparison.Ordinal));
        Assert.DoesNotContain("/sessions/old", page, StringComparison.Ordinal);
        Assert.Contains("/sessions/old", wide, StringComparison.Ordinal);
        Assert.Contains("2026-02-11 09:00:00 UTC", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Globex", wide, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Sessions_are_filtered_by_participant()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("with-ana", "2026-02-10T09:00:00Z", "hi", sender: "ana@example.com", participants: ["ana@example.com", "ben@example.com"]),
            Lines.Message("without-ana", "2026-02-10T10:00:00Z", "hi", sender: "ben@example.com", participants: ["ben@example.com", "cy@example.com"]));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var page = await visitor.PageAsync("/sessions?from=2026-02-01&to=2026-02-28&participant=ANA@example.com");
        var unknown = await visitor.PageAsync("/sessions?from=2026-02-01&to=2026-02-28&participant=zed@example.com");

        Assert.Contains("/sessions/with-ana", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/sessions/without-ana", page, StringComparison.Ordinal);
        Assert.Contains("has no user zed@example.com", unknown, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_bad_window_is_answered_with_400_and_says_why()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var notADate = await visitor.PageAsync("/sessions?from=yesterday&to=2026-02-01", HttpStatusCode.BadRequest);
        var backwards = await visitor.PageAsync("/sessions?from=2026-02-02&to=2026-02-01", HttpStatusCode.BadRequest);

        Assert.Contains("such as 2016-01-22", notADate, StringComparison.Ordinal);
        Assert.Contains("is before From", backwards, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_session_of_another_account_is_not_found_nor_exported()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");
        await archive.ImportAsync("globex", Lines.Message("secret", "2026-02-11T09:00:00Z", "globex only", sender: "boss@globex.com"));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var page = await visitor.PageAsync("/sessions/secret", HttpStatusCode.NotFound);
        var export = await visitor.PageAsync("/sessions/secret/export?format=ndjson", HttpStatusCode.NotFound);

        Assert.DoesNotContain("globex only", page + export, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_session_pages_its_messages_oldest_first_with_day_separators()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var start = new DateTimeOffset(2026, 2, 1, 23, 0, 0, TimeSpan.Zero);
        await archive.ImportAsync("acme", [.. Enumerable.Range(0, 150).Select(i =>
            Lines.Message("big", start.AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), $"message number {i:D3}", sender: "ana@example.com"))]);
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        var first = await visitor.PageAsync("/sessions/big");
        var next = System.Text.RegularExpressions.Regex.Match(first, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var second = await visitor.PageAsync(next);

        Assert.Contains("150 messages in the whole session", first, StringComparison.Ordinal);
        Assert.Contains("message number 000", first, StringComparison.Ordinal);
        Assert.Contains("message number 099", first, StringComparison.Ordinal);
        Assert.DoesNotContain("message number 100", first, StringComparison.Ordinal);
        Assert.True(first.IndexOf("number 000", StringComparison.Ordinal) < first.IndexOf("number 001", StringComparison.Ordinal));
        Assert.Contains("Sunday 1 February 2026 (UTC)", first, StringComparison.Ordinal);
        Assert.Contains("Monday 2 February 2026 (UTC)", first, StringComparison.Ordinal);
        Assert.Contains("message number 100", second, StringComparison.Ordinal);
        Assert.Contains("message number 149", second, StringComparison.Ordinal);
        Assert.DoesNotContain("message number 099", second, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", second, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_permanent_link_opens_the_session_at_its_message()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var start = new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);
        await archive.ImportAsync("acme", [.. Enumerable.Range(0, 150).Select(i =>
            Lines.Message("big", start.AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), $"message number {i:D3}", sender: "ana@example.com"))]);
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");
        var second = await visitor.PageAsync("/sessions/big?after=" + start.AddMinutes(99).ToUnixTimeMilliseconds() + ".100");
        var link = System.Text.RegularExpressions.Regex.Match(second, "href=\"(/sessions/big\\?at=[^\"]+)\"[^>]*><time datetime=\"2026-02-01T11:20").Groups[1].Value;

        var opened = await visitor.PageAsync(link);

        Assert.Matches("^/sessions/big\\?at=-?\\d+\\.\\d+#m\\d+$", link);
        var anchor = link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..];
        Assert.StartsWith("<li class=\"message\" id=\"" + anchor + "\">", opened[opened.IndexOf("<li class=\"message\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("message number 140", opened, StringComparison.Ordinal);
        Assert.DoesNotContain("message number 139", opened, StringComparison.Ordinal);
        Assert.Contains("From the first message", opened, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_session_over_a_window_exports_as_ndjson_and_csv()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s1", "2026-02-01T10:00:00Z", "before", sender: "ana@example.com"),
            Lines.Message("s1", "2026-02-02T10:00:00Z", "inside, \"quoted\"", sender: "ana@example.com"),
            Lines.Message("s1", "2026-02-03T10:00:00Z", "after", sender: "ana@example.com"));
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        using var ndjson = await visitor.GetAsync("/sessions/s1/export?format=ndjson&from=2026-02-02&to=2026-02-02");
        using var csv = await visitor.GetAsync("/sessions/s1/export?format=csv&from=2026-02-02&to=2026-02-02");
        var lines = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("attachment; filename=\"session-s1.ndjson\"", ndjson.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("inside, \"quoted\"", JsonDocument.Parse(Assert.Single(lines)).RootElement.GetProperty("message").GetString());
        Assert.Equal(2, rows.Length);
        Assert.EndsWith("\"inside, \"\"quoted\"\"\"", rows[1], StringComparison.Ordinal);
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType?.ToString());
    }

    [StoreFact]
    public async Task The_api_answers_as_before_beside_the_viewer()
    {
        await using var archive = await TestArchive.StartAsync();
        var credentials = await archive.CreateAccountAsync("acme");

        var list = await archive.PostJsonAsync("/v1/chat/list", credentials.With(("from", "2026-02-01"), ("to", "2026-02-02")));
        using var root = await archive.Http.GetAsync("/");

        Assert.Equal(0, list.GetProperty("chat_list").GetArrayLength());
        Assert.Equal((HttpStatusCode.Redirect, "/sessions"), (root.StatusCode, root.Headers.Location?.OriginalString));
    }
}
