using System.Net;
using System.Net.Http.Headers;

namespace ZoomChat.Tests.Support;

/// <summary>An HTTP answer read whole, so that tests can compare status, content type and body exactly.</summary>
internal sealed record ApiReply(HttpStatusCode Status, string? ContentType, string Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public const string XmlDeclaration = """<?xml version="1.0" encoding="UTF-8"?>""";

    public static async Task<ApiReply> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            return new ApiReply(response.StatusCode, response.Content.Headers.ContentType?.ToString(), body, response.Headers, response.Content.Headers);
        }
    }

    /// <summary>The JSON error envelope (docs/api.md#errors), for messages that JSON needs not escape.</summary>
    public static string JsonError(int code, string message) => $$$"""{"error":{"code":{{{code}}},"message":"{{{message}}}"}}""";

    /// <summary>The XML error envelope (docs/api.md#errors), for messages that XML needs not escape.</summary>
    public static string XmlError(int code, string message) => $"{XmlDeclaration}<error><code>{code}</code><message>{message}</message></error>";

    /// <summary>Asserts a JSON error envelope with exactly this status, code and message.</summary>
    public void AssertError(HttpStatusCode status, int code, string message) => AssertJson(status, JsonError(code, message));

    /// <summary>Asserts an XML error envelope with exactly this status, code and message.</summary>
    public void AssertXmlError(HttpStatusCode status, int code, string message) => AssertXml(status, XmlError(code, message));

    public void AssertJson(HttpStatusCode status, string body)
    {
        Assert.Equal(body, Body);
        Assert.Equal(status, Status);
        Assert.Equal("application/json", ContentType);
    }

    public void AssertXml(HttpStatusCode status, string body)
    {
        Assert.Equal(body, Body);
        Assert.Equal(status, Status);
        Assert.Equal("application/xml", ContentType);
    }

    /// <summary>The one value of a response header, or null.</summary>
    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) || ContentHeaders.TryGetValues(name, out values) ? string.Join(",", values) : null;
}
