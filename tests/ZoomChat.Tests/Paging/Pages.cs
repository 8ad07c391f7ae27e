using System.Text.Json;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>Walks traversals of <c>chat/list</c> and <c>chat/get</c> and reads their rows, for the paging tests.</summary>
internal static class Pages
{
    public const string List = "/v1/chat/list";
    public const string Get = "/v1/chat/get";

    /// <summary>The error every bad next_page_token gets (docs/api.md#errors).</summary>
    public const string InvalidTokenError = """{"error":{"code":300,"message":"The next page token is invalid or expired."}}""";

    /// <summary>
    /// Requests the first page, then follows next_page_token until it is empty, repeating the same
    /// parameters as Zoom's clients do. <paramref name="beforeNextPage"/> runs between pages.
    /// </summary>
    public static async Task<List<JsonElement>> TraverseAsync(
        TestArchive archive,
        string path,
        TestCredentials credentials,
        (string Name, string Value)[] query,
        HttpClient? http = null,
        Func<Task>? beforeNextPage = null)
    {
        var pages = new List<JsonElement> { await FirstPageAsync(archive, path, credentials, query, http) };
        while (Token(pages[^1]) is { Length: > 0 } token)
        {
            Assert.True(pages.Count < 5_000, "the traversal does not end");
            if (beforeNextPage is not null)
            {
                await beforeNextPage();
            }

            pages.Add(await NextPageAsync(archive, path, credentials, query, token, http));
        }

        return pages;
    }

    public static async Task<JsonElement> FirstPageAsync(
        TestArchive archive, string path, TestCredentials credentials, (string Name, string Value)[] query, HttpClient? http = null)
    {
        var page = await archive.PostJsonAsync(path, credentials.With(query), http);
        AssertNoError(page);
        return page;
    }

    public static async Task<JsonElement> NextPageAsync(
        TestArchive archive, string path, TestCredentials credentials, (string Name, string Value)[] query, string token, HttpClient? http = null)
    {
        var page = await archive.PostJsonAsync(path, credentials.With([.. query, ("next_page_token", token)]), http);
        AssertNoError(page);
        return page;
    }

    /// <summary>The answer to a follow-up request, error or not.</summary>
    public static Task<JsonElement> FollowAsync(
        TestArchive archive, string path, TestCredentials credentials, (string Name, string Value)[] query, string token, HttpClient? http = null) =>
        archive.PostJsonAsync(path, credentials.With([.. query, ("next_page_token", token)]), http);

    public static string Token(JsonElement page) => page.GetProperty("next_page_token").GetString()!;

    public static int PageCount(JsonElement page) => page.GetProperty("page_count").GetInt32();

    /// <summary>A <c>chat/list</c> page's rows as "session_id last_message_send_time".</summary>
    public static List<string> Sessions(JsonElement page) =>
        page.GetProperty("chat_list").EnumerateArray()
            .Select(s => $"{s.GetProperty("session_id").GetString()} {s.GetProperty("last_message_send_time").GetString()}")
            .ToList();

    /// <summary>A <c>chat/get</c> page's rows as "date_time sender message".</summary>
    public static List<string> Messages(JsonElement page) =>
        page.GetProperty("chat_messages").EnumerateArray()
            .Select(m => $"{m.GetProperty("date_time").GetString()} {m.GetProperty("sender").GetString()} {m.GetProperty("message").GetString()}")
            .ToList();

    public static List<string> Sessions(IEnumerable<JsonElement> pages) => pages.SelectMany(Sessions).ToList();

    public static List<string> Messages(IEnumerable<JsonElement> pages) => pages.SelectMany(Messages).ToList();

    /// <summary>Asserts what every traversal owes (docs/api.md#paging-and-page-tokens): full pages, one page_count, a token on all but the last.</summary>
    public static void AssertWellFormed(IReadOnlyList<JsonElement> pages, int pageSize, int rows, string arrayName)
    {
        var expectedPages = (rows + pageSize - 1) / pageSize;
        Assert.Equal(Math.Max(expectedPages, 1), pages.Count);
        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            var last = i == pages.Count - 1;
            Assert.Equal(pageSize, page.GetProperty("page_size").GetInt32());
            Assert.Equal(expectedPages, PageCount(page));
            Assert.Equal(last ? rows - (pageSize * i) : pageSize, page.GetProperty(arrayName).GetArrayLength());
            Assert.Equal(last, Token(page).Length == 0);
        }
    }

    /// <summary>The time format of responses (docs/api.md#responses).</summary>
    public static string Wire(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertNoError(JsonElement page) =>
        Assert.False(page.TryGetProperty("error", out _), $"expected a page, got {page.GetRawText()}");
}
