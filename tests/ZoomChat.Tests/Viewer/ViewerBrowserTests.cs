using System.Text.Json;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;
using ZoomChat.Tests.Cli;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Viewer;

/// <summary>The web viewer in a real browser (headless chromium) against the server on Kestrel (docs/viewer.md).</summary>
public sealed class ViewerBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_viewer_signs_in_browses_opens_a_session_follows_a_permalink_and_signs_out()
    {
        await using var archive = await StartAsync();
        using var browser = HeadlessChromium.Start(output);
        if (browser is null)
        {
            return;
        }

        browser.Navigate().GoToUrl(await LinkAsync(archive));
        Assert.Equal("/sessions", new Uri(browser.Url).AbsolutePath);
        Assert.Contains("admin@example.com", browser.FindElement(By.ClassName("who")).Text, StringComparison.Ordinal);
        Assert.Equal(["Busy room", "Quiet room"], browser.FindElements(By.CssSelector("tbody td:first-child a")).Select(a => a.Text));

        browser.Follow(browser.FindElement(By.LinkText("Busy room")));
        Assert.Equal("Busy room", browser.FindElement(By.TagName("h1")).Text);
        var times = browser.FindElements(By.CssSelector(".message time"));
        Assert.Equal("2026-02-11 09:00:00 UTC", times[0].Text);
        // viewer.js ran under the Content-Security-Policy: the browser's own zone is beside each UTC time.
        Assert.Equal(times.Count, browser.FindElements(By.CssSelector(".message .local")).Count);

        var permalink = browser.FindElements(By.CssSelector(".message .permalink"))[1];
        var target = permalink.GetAttribute("href")!;
        permalink.Click();
        Assert.Equal(target, browser.Url);
        var opened = browser.FindElement(By.CssSelector(".message:target"));
        Assert.Contains("second in the busy room", opened.Text, StringComparison.Ordinal);

        browser.ClickAndWaitFor(browser.FindElement(By.CssSelector(".who button")), new Uri(archive.Address!, "/signin?signed_out"));
        Assert.Empty(browser.Manage().Cookies.AllCookies);
        browser.Navigate().GoToUrl(new Uri(archive.Address!, "/sessions"));
        Assert.Equal("/signin", new Uri(browser.Url).AbsolutePath);
    }

    [Fact]
    public async Task A_used_link_and_an_expired_link_are_refused_in_the_browser()
    {
        await using var archive = await StartAsync();
        using var browser = HeadlessChromium.Start(output);
        if (browser is null)
        {
            return;
        }

        var used = await LinkAsync(archive);
        var expiring = await LinkAsync(archive);
        browser.Navigate().GoToUrl(used);
        browser.Manage().Cookies.DeleteAllCookies();

        browser.Navigate().GoToUrl(used);
        var usedAnswer = browser.FindElement(By.TagName("h1")).Text;
        archive.Time.Advance(TimeSpan.FromMinutes(15));
        browser.Navigate().GoToUrl(expiring);
        var expiredAnswer = browser.FindElement(By.TagName("h1")).Text;

        Assert.Equal("This sign-in link cannot be used", usedAnswer);
        Assert.Equal("This sign-in link cannot be used", expiredAnswer);
        Assert.Empty(browser.Manage().Cookies.AllCookies);
    }

    [Fact]
    public async Task Markup_in_a_message_is_shown_as_text_and_no_script_of_it_runs()
    {
        await using var archive = await StartAsync();
        await archive.ImportAsync(
            "acme",
            Lines.Message("xss", "2026-02-11T10:00:00Z", "<script>alert(1)</script>", sender: "eve@example.com"),
            Lines.Message("xss", "2026-02-11T10:01:00Z", "<img src=x onerror=alert(1)>", sender: "eve@example.com"));
        using var browser = HeadlessChromium.Start(output);
        if (browser is null)
        {
            return;
        }

        browser.Navigate().GoToUrl(await LinkAsync(archive));
        browser.Navigate().GoToUrl(new Uri(archive.Address!, "/sessions/xss"));

        Assert.Equal(
            ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
            browser.FindElements(By.CssSelector(".message .text")).Select(t => t.Text));
        Assert.Empty(browser.FindElements(By.CssSelector("main img, main script")));
        Assert.Throws<NoAlertPresentException>(() => browser.SwitchTo().Alert());
    }

    [Fact]
    public async Task A_session_exports_from_the_browser()
    {
        await using var archive = await StartAsync();
        using var downloads = new TempFolder();
        using var browser = HeadlessChromium.Start(output, downloads: downloads.Path);
        if (browser is null)
        {
            return;
        }

        browser.Navigate().GoToUrl(await LinkAsync(archive));
        browser.Follow(browser.FindElement(By.LinkText("Busy room")));
        browser.FindElement(By.LinkText("NDJSON")).Click();
        var file = Path.Combine(downloads.Path, "session-busy.ndjson");
        new WebDriverWait(browser, TimeSpan.FromSeconds(30)).Until(_ => File.Exists(file) && File.ReadAllLines(file).Length == 2);

        Assert.All(File.ReadAllLines(file), line => Assert.Contains("\"session_id\":\"busy\"", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_in_the_browser_and_zoomchat_search_find_every_message_of_a_real_archive_holding_the_word()
    {
        if (SharedData.Find("irc/four-channels.ndjson", output) is not { } path)
        {
            return;
        }

        await using var archive = await TestArchive.StartOnKestrelAsync();
        await archive.CreateAccountAsync("irc");
        var lines = await File.ReadAllLinesAsync(path);
        await archive.ImportAsync("irc", lines);

        // The test's own count: "bug" as a whole word in any case, where a word is a run of letters and
        // digits, as docs/search.md#the-query-language says (230 of the 14,093 messages).
        var word = new Regex(@"(?<![\p{L}\p{N}])bug(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var expected = lines.Count(line => word.IsMatch(JsonDocument.Parse(line).RootElement.GetProperty("message").GetString()!));
        Assert.InRange(expected, 101, 1000);

        using var browser = HeadlessChromium.Start(output);
        if (browser is null)
        {
            return;
        }

        browser.Navigate().GoToUrl(new Uri(archive.Address!, await ViewerVisitor.LinkAsync(archive, "irc", "admin@example.com")).AbsoluteUri);
        browser.Navigate().GoToUrl(new Uri(archive.Address!, "/search?q=bug").AbsoluteUri);
        var shown = 0;
        var pages = 0;
        while (true)
        {
            shown += browser.FindElements(By.CssSelector(".hits .message")).Count;
            pages++;
            var older = browser.FindElements(By.CssSelector("a[rel=next]"));
            if (older.Count == 0)
            {
                break;
            }

            browser.Follow(older[0]);
        }

        var cli = await CliStore.RunWithoutStoreAsync("search", "--account", "irc", "bug", "--json", "--store", archive.StorePath);

        Assert.Equal(expected, shown);
        Assert.Equal((expected + 49) / 50, pages);
        Assert.True(cli.ExitCode == 0, cli.Error);
        Assert.Equal(expected, cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static async Task<TestArchive> StartAsync()
    {
        var archive = await TestArchive.StartOnKestrelAsync();
        await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("quiet", "2026-02-10T09:00:00Z", "earlier", sender: "ana@example.com", type: "Group", groupName: "Quiet room"),
            Lines.Message("busy", "2026-02-11T09:00:00Z", "first in the busy room", sender: "ben@example.com", type: "Group", groupName: "Busy room"),
            Lines.Message("busy", "2026-02-11T09:05:00Z", "second in the busy room", sender: "ana@example.com", type: "Group", groupName: "Busy room"));
        return archive;
    }

    private static async Task<string> LinkAsync(TestArchive archive) =>
        new Uri(archive.Address!, await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com")).AbsoluteUri;
}
