using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace ZoomChat.Tests.Support;

/// <summary>
/// Debian's chromium and chromium-driver (apt-get install chromium chromium-driver), headless, driven by
/// Selenium. Without them a browser test ends with a message on a developer's machine and fails in CI
/// (CI=true), as <see cref="SharedData"/> does for the shared data.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly string[] Browsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private static readonly string[] Drivers = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

    /// <summary>A new browser window of the given size, or null when chromium is not installed.</summary>
    public static ChromeDriver? Start(ITestOutputHelper output, int width = 1280, int height = 900, string? downloads = null)
    {
        var browser = Browsers.FirstOrDefault(File.Exists);
        var driver = Drivers.FirstOrDefault(File.Exists);
        if (browser is null || driver is null)
        {
            var message = "No chromium and chromedriver (apt-get install -y chromium chromium-driver): the browser test did not run.";
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), message);
            output.WriteLine(message);
            return null;
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        // --no-sandbox: CI containers run as root, where chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars", $"--window-size={width},{height}");
        if (downloads is not null)
        {
            options.AddUserProfilePreference("download.default_directory", downloads);
            options.AddUserProfilePreference("download.prompt_for_download", false);
        }

        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Follows a link: clicks it and waits for the page it names (<see cref="ClickAndWaitFor"/>).</summary>
    public static void Follow(this ChromeDriver browser, IWebElement link) =>
        browser.ClickAndWaitFor(link, new Uri(link.GetAttribute("href") ?? throw new InvalidOperationException("The link has no href.")));

    /// <summary>
    /// Clicks a link or a form's button and waits, 30 s at most, until the browser is at <paramref name="page"/>
    /// (path and query). chromedriver may return from a click before the navigation it starts has begun: on a
    /// loaded machine a test then read the page it was leaving.
    /// </summary>
    public static void ClickAndWaitFor(this ChromeDriver browser, IWebElement element, Uri page)
    {
        var wanted = page.GetLeftPart(UriPartial.Query);
        element.Click();
        new WebDriverWait(browser, TimeSpan.FromSeconds(30)).Until(_ => new Uri(browser.Url).GetLeftPart(UriPartial.Query) == wanted);
    }
}
