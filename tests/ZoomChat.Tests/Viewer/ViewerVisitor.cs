using System.Net;
using System.Text.RegularExpressions;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Viewer;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Viewer;

/// <summary>
/// A browser as the viewer's rules see it, over plain HTTP: it keeps the viewer cookie by hand and
/// follows no redirect, so that a test reads each status, header and cookie the server sends.
/// </summary>
internal sealed partial class ViewerVisitor(HttpClient http)
{
    public string? Cookie { get; set; }

    /// <summary>A sign-in link for a user of the archive, made as <c>zoomchat viewer link</c> makes it, on the test's clock.</summary>
    public static async Task<string> LinkAsync(TestArchive archive, string account, string email, TimeSpan? lifetime = null)
    {
        var links = new ViewerSignInLinks(archive.Store, (IViewerStore)archive.Store, archive.Time);
        var (url, _) = await links.CreateAsync(account, email, lifetime, archive.Address ?? new Uri("http://localhost/"), CancellationToken.None);
        return url.PathAndQuery;
    }

    /// <summary>Opens a new link for the user and keeps the cookie it sets.</summary>
    public static async Task<ViewerVisitor> SignedInAsync(TestArchive archive, string account, string email = "admin@example.com", HttpClient? http = null)
    {
        var visitor = new ViewerVisitor(http ?? archive.Http);
        using var response = await visitor.GetAsync(await LinkAsync(archive, account, email));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(visitor.Cookie);
        return visitor;
    }

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    public async Task<string> PageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {path}: {(int)response.StatusCode}\n{body}");
        return body;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        return await SendAsync(request);
    }

    /// <summary>The sign-out form's anti-forgery token on a page.</summary>
    public static string AntiForgeryToken(string page) => AntiForgeryPattern().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No sign-out form on the page.");

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", $"{ViewerSessions.CookieName}={Cookie}");
        }

        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies.Where(c => c.StartsWith(ViewerSessions.CookieName + "=", StringComparison.Ordinal)))
            {
                var value = cookie[(ViewerSessions.CookieName.Length + 1)..].Split(';')[0];
                Cookie = value.Length == 0 ? null : value;
            }
        }

        return response;
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryPattern();
}
