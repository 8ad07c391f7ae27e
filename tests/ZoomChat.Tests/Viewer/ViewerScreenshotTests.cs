using System.Drawing;
using OpenQA.Selenium;
using Xunit.Abstractions;
using ZoomChat.Server.Demo;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Viewer;

/// <summary>
/// Each page of the viewer on the demo archive at desktop and phone widths, nothing wider than the
/// window. The PNGs go to a temporary folder, or to ZOOMCHAT_SCREENSHOTS when it is set:
/// bench/screenshots.sh refreshes docs/viewer/ that way (docs/viewer.md#screenshots).
/// </summary>
public sealed class ViewerScreenshotTests(ITestOutputHelper output)
{
    private static readonly (string Name, int Width, int Height)[] Sizes = [("desktop", 1280, 800), ("phone", 390, 844)];
    private static readonly string[] Pages = ["search", "session", "sessions", "signin"];

    [Fact]
    public async Task Every_page_fits_desktop_and_phone_widths_and_is_captured()
    {
        await using var archive = await TestArchive.StartOnKestrelAsync();
        await DemoArchive.FillAsync(archive.Store, archive.Time, CancellationToken.None);
        using var temp = new TempFolder();
        var folder = Environment.GetEnvironmentVariable("ZOOMCHAT_SCREENSHOTS") is { Length: > 0 } wanted ? wanted : temp.Path;
        Directory.CreateDirectory(folder);
        using var browser = HeadlessChromium.Start(output);
        if (browser is null)
        {
            return;
        }

        browser.Navigate().GoToUrl(new Uri(archive.Address!, "/signin").AbsoluteUri);
        Capture(browser, folder, "signin");
        browser.Navigate().GoToUrl(new Uri(archive.Address!, await ViewerVisitor.LinkAsync(archive, DemoArchive.Account, DemoArchive.AdminEmail)).AbsoluteUri);
        Capture(browser, folder, "sessions");
        browser.Follow(browser.FindElement(By.CssSelector("tbody td:first-child a")));
        Capture(browser, folder, "session");
        browser.Navigate().GoToUrl(new Uri(archive.Address!, "/search?q=deploy").AbsoluteUri);
        Assert.NotEmpty(browser.FindElements(By.CssSelector(".hits mark")));
        Capture(browser, folder, "search");

        Assert.Equal(
            Sizes.SelectMany(s => Pages.Select(p => $"{p}-{s.Name}.png")).Order(StringComparer.Ordinal),
            Directory.GetFiles(folder, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static void Capture(OpenQA.Selenium.Chrome.ChromeDriver browser, string folder, string page)
    {
        foreach (var (name, width, height) in Sizes)
        {
            browser.Manage().Window.Size = new Size(width, height);
            var scrollWidth = Convert.ToInt64(browser.ExecuteScript("return document.documentElement.scrollWidth;"), System.Globalization.CultureInfo.InvariantCulture);
            var innerWidth = Convert.ToInt64(browser.ExecuteScript("return window.innerWidth;"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(scrollWidth <= innerWidth, $"{page} at {width} px is {scrollWidth} px wide");
            browser.GetScreenshot().SaveAsFile(Path.Combine(folder, $"{page}-{name}.png"));
        }
    }
}
