using System.Text;

namespace ZoomChat.Tests.Support;

/// <summary>Raw calls to the v1 API: bodies and query strings exactly as a test writes them.</summary>
internal static class ApiCalls
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    /// <summary>
    /// Fills a form template: <c>{auth}</c> becomes the three credentials, <c>{key}</c>, <c>{secret}</c>
    /// and <c>{token}</c> each one of them (their characters are URL-safe).
    /// </summary>
    public static string Fill(this TestCredentials credentials, string template) => template
        .Replace("{auth}", "api_key={key}&api_secret={secret}&access_token={token}", StringComparison.Ordinal)
        .Replace("{key}", credentials.ApiKey, StringComparison.Ordinal)
        .Replace("{secret}", credentials.ApiSecret, StringComparison.Ordinal)
        .Replace("{token}", credentials.AccessToken, StringComparison.Ordinal);

    /// <summary>POSTs a form body written by hand (URL-encoded) to a path that may carry a query string.</summary>
    public static Task<ApiReply> PostBodyAsync(this TestArchive archive, string pathAndQuery, string body, HttpClient? http = null) =>
        archive.SendAsync(HttpMethod.Post, pathAndQuery, new StringContent(body, Encoding.UTF8, FormContentType), http);

    /// <summary>POSTs form fields, URL-encoded.</summary>
    public static Task<ApiReply> PostFormAsync(
        this TestArchive archive, string path, IEnumerable<KeyValuePair<string, string>> form, HttpClient? http = null) =>
        archive.SendAsync(HttpMethod.Post, path, new FormUrlEncodedContent(form), http);

    public static async Task<ApiReply> SendAsync(
        this TestArchive archive, HttpMethod method, string pathAndQuery, HttpContent? content = null, HttpClient? http = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        return await ApiReply.ReadAsync(await (http ?? archive.Http).SendAsync(request));
    }

    /// <summary>Form fields as a URL-encoded string, for a query string or a hand-made body.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
}
