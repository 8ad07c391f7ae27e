using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

/// <summary>
/// How parameters arrive (docs/api.md#transport): body or query string, URL-encoded or multipart,
/// given twice, empty, undefined; the paths and methods; the body limit; page_size (docs/api.md#dates);
/// echoed values (docs/api.md#errors).
/// </summary>
public sealed class ParameterTests
{
    private const string List = "/v1/chat/list";
    private const string Get = "/v1/chat/get";

    private const string DesignList =
        """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_list":[{"session_id":"design","type":"Group","participants":"","group_name":"Design","last_message_send_time":"2016-01-18T06:40:56.000Z"}]}""";

    private const string DesignGet =
        """{"session_id":"design","group_name":"Design","from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[{"message":"hello","sender":"ann@acme.com","date_time":"2016-01-18T06:40:56.000Z"}]}""";

    // --- Where parameters come from ---

    [StoreFact]
    public async Task Parameters_in_the_query_string_only_are_served()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.SendAsync(HttpMethod.Post, List + "?" + acme.Fill("{auth}&from=2016-01-16&to=2016-01-22"));

        reply.AssertJson(HttpStatusCode.OK, DesignList);
    }

    [StoreFact]
    public async Task Parameters_in_the_query_string_with_an_empty_form_body_are_served()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(Get + "?" + acme.Fill("{auth}&session_id=design&from=2016-01-16&to=2016-01-22"), string.Empty);

        reply.AssertJson(HttpStatusCode.OK, DesignGet);
    }

    [StoreFact]
    public async Task Parameters_split_between_query_string_and_body_are_served()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(List + "?" + acme.Fill("{auth}"), "from=2016-01-16&to=2016-01-22");

        reply.AssertJson(HttpStatusCode.OK, DesignList);
    }

    [StoreFact]
    public async Task Parameters_as_multipart_form_data_are_served()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in acme.With(("session_id", "design"), ("from", "2016-01-16"), ("to", "2016-01-22")))
        {
            content.Add(new StringContent(value), name);
        }

        var reply = await archive.SendAsync(HttpMethod.Post, Get, content);

        reply.AssertJson(HttpStatusCode.OK, DesignGet);
    }

    [StoreFact]
    public async Task Multipart_parameter_also_in_the_query_string_is_given_twice()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in acme.With(("from", "2016-01-16"), ("to", "2016-01-22")))
        {
            content.Add(new StringContent(value), name);
        }

        var reply = await archive.SendAsync(HttpMethod.Post, List + "?from=2016-01-16", content);

        reply.AssertError(HttpStatusCode.OK, 300, "from is given more than once.");
    }

    [StoreFact]
    public async Task Body_that_is_not_a_form_is_not_read_for_parameters()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.SendAsync(
            HttpMethod.Post, List + "?" + acme.Fill("{auth}&to=2016-01-22"), new StringContent("from=2016-01-16", Encoding.UTF8, "text/plain"));

        reply.AssertError(HttpStatusCode.OK, 300, "from is required.");
    }

    // --- Given twice ---

    [StoreTheory]
    [InlineData("{auth}&from=2016-01-16&to=2016-01-22&from=2016-01-16", "")]
    [InlineData("{auth}&to=2016-01-22", "from=2016-01-16&from=2016-01-16")]
    [InlineData("{auth}&from=2016-01-16&to=2016-01-22", "from=2016-01-17")]
    [InlineData("{auth}&to=2016-01-22", "from=2016-01-16&from=2016-01-17")]
    public async Task Parameter_given_twice_in_body_query_or_both_is_an_error_even_with_equal_values(string body, string query)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(List + (query.Length == 0 ? string.Empty : "?" + query), acme.Fill(body));

        reply.AssertError(HttpStatusCode.OK, 300, "from is given more than once.");
    }

    [StoreTheory]
    [InlineData(List, "api_key")]
    [InlineData(List, "api_secret")]
    [InlineData(List, "access_token")]
    [InlineData(List, "email")]
    [InlineData(List, "from")]
    [InlineData(List, "to")]
    [InlineData(List, "page_size")]
    [InlineData(List, "next_page_token")]
    [InlineData(List, "data_type")]
    [InlineData(Get, "session_id")]
    [InlineData(Get, "next_page_token")]
    [InlineData(Get, "data_type")]
    public async Task Each_defined_parameter_given_twice_is_named(string path, string name)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        var form = acme.With(("session_id", "design"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("email", "ann@acme.com"), ("page_size", "5"), ("data_type", "JSON"))
            .Where(f => f.Key != name)
            .Append(new(name, "1"))
            .Append(new(name, "1"));

        var reply = await archive.PostFormAsync(path, form);

        reply.AssertError(HttpStatusCode.OK, 300, $"{name} is given more than once.");
    }

    [StoreFact]
    public async Task Empty_occurrences_are_dropped_before_the_given_twice_rule()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(
            List + "?from=&to=2016-01-22&email=&page_size=",
            acme.Fill("{auth}&from=&from=2016-01-16&to=&email=&page_size=&next_page_token=&data_type=&data_type=JSON&api_key="));

        reply.AssertJson(HttpStatusCode.OK, DesignList);
    }

    [StoreFact]
    public async Task Empty_next_page_token_asks_for_the_first_page()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(Get, acme.Fill("{auth}&session_id=design&from=2016-01-16&to=2016-01-22&next_page_token="));

        reply.AssertJson(HttpStatusCode.OK, DesignGet);
    }

    [StoreFact]
    public async Task Empty_email_filters_nothing()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-16&to=2016-01-22&email="));

        reply.AssertJson(HttpStatusCode.OK, DesignList);
    }

    [StoreFact]
    public async Task Empty_required_parameter_counts_as_missing()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(Get, acme.Fill("{auth}&session_id=&from=2016-01-16&to=2016-01-22"));

        reply.AssertError(HttpStatusCode.OK, 300, "session_id is required.");
    }

    [StoreTheory]
    [InlineData(List, "{auth}&from=2016-01-16&to=2016-01-22&foo=1&foo=2&session_id=a&session_id=b", DesignList)]
    [InlineData(Get, "{auth}&session_id=design&from=2016-01-16&to=2016-01-22&email=a%40b.c&email=d%40e.f&userId=1&userId=2", DesignGet)]
    public async Task Undefined_parameters_are_ignored_even_when_doubled(string path, string form, string expected)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(path + "?foo=3&bar=", acme.Fill(form));

        reply.AssertJson(HttpStatusCode.OK, expected);
    }

    // --- data_type ---

    [StoreTheory]
    [InlineData("JSON")]
    [InlineData("json")]
    [InlineData("Json")]
    [InlineData("jSoN")]
    public async Task Data_type_json_in_any_case_answers_json(string dataType)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-16&to=2016-01-22&data_type=" + dataType));

        reply.AssertJson(HttpStatusCode.OK, DesignList);
    }

    [StoreTheory]
    [InlineData("XML")]
    [InlineData("xml")]
    [InlineData("Xml")]
    [InlineData("xMl")]
    public async Task Data_type_xml_in_any_case_answers_xml(string dataType)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-16&to=2016-01-22&data_type=" + dataType));

        reply.AssertXml(
            HttpStatusCode.OK,
            ApiReply.XmlDeclaration
            + "<chat_list_response><from>2016-01-16T00:00:00.000Z</from><to>2016-01-22T00:00:00.000Z</to><page_size>30</page_size><page_count>1</page_count><next_page_token />"
            + "<chat_list><session><session_id>design</session_id><type>Group</type><participants /><group_name>Design</group_name><last_message_send_time>2016-01-18T06:40:56.000Z</last_message_send_time></session></chat_list>"
            + "</chat_list_response>");
    }

    [StoreTheory]
    [InlineData("HTML")]
    [InlineData("text/xml")]
    [InlineData("application/json")]
    [InlineData("+XML")]
    [InlineData("%20XML")]
    [InlineData("XML%20")]
    [InlineData("JSONP")]
    [InlineData("X%C4%B0ML")]
    public async Task Data_type_other_than_json_or_xml_is_refused(string dataType)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-16&to=2016-01-22&data_type=" + dataType));

        reply.AssertError(HttpStatusCode.OK, 300, "data_type must be JSON or XML.");
    }

    // --- Paths and methods ---

    [StoreTheory]
    [InlineData("/v1/chat/list/", DesignList)]
    [InlineData("/v1/chat/get/", DesignGet)]
    public async Task Trailing_slash_is_accepted(string path, string expected)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(path, acme.Fill("{auth}&session_id=design&from=2016-01-16&to=2016-01-22"));

        reply.AssertJson(HttpStatusCode.OK, expected);
    }

    [StoreTheory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_with_valid_parameters_are_not_served(string method)
    {
        await using var archive = await TestArchive.StartAsync(o => o.ErrorStatus = ErrorStatusMode.Http);
        var acme = await SeedDesignAsync(archive);
        var form = acme.Fill("{auth}&session_id=design&from=2016-01-16&to=2016-01-22");

        var reply = await archive.SendAsync(new HttpMethod(method), Get + "?" + form, new StringContent(form, Encoding.UTF8, ApiCalls.FormContentType));

        reply.AssertError(HttpStatusCode.MethodNotAllowed, 405, "Method not allowed. Use POST.");
        Assert.Equal("POST", reply.Header("Allow"));
    }

    // --- Body size ---

    [StoreFact]
    public async Task Body_of_exactly_one_mebibyte_is_served()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        var form = acme.Fill("{auth}&from=2016-01-16&to=2016-01-22&padding=");
        form += new string('x', (1024 * 1024) - form.Length);

        var reply = await archive.PostBodyAsync(List, form);

        reply.AssertJson(HttpStatusCode.OK, DesignList);
    }

    [StoreFact]
    public async Task Multipart_body_above_one_mebibyte_returns_413()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("padding", new string('x', 1024 * 1024))))
        {
            content.Add(new StringContent(value), name);
        }

        var reply = await archive.SendAsync(HttpMethod.Post, List, content);

        reply.AssertError(HttpStatusCode.RequestEntityTooLarge, 300, "Request body too large.");
    }

    [StoreFact]
    public async Task Body_above_one_mebibyte_without_a_content_length_returns_413_on_kestrel()
    {
        // On Kestrel, which `zoomchat serve` runs, a body of no declared length is counted as it arrives.
        using var folder = new TempFolder();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = await ZoomChatServer.BuildAsync(builder, o => o.Store = TestStores.Create(folder));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        var form = "api_key=k&api_secret=s&from=2016-01-16&to=2016-01-22&padding=" + new string('x', 1024 * 1024);
        var content = new StreamContent(new UnsizedStream(Encoding.UTF8.GetBytes(form)));
        content.Headers.ContentType = new(ApiCalls.FormContentType);

        var reply = await ApiReply.ReadAsync(await http.PostAsync(List, content));

        Assert.Null(content.Headers.ContentLength);
        reply.AssertError(HttpStatusCode.RequestEntityTooLarge, 300, "Request body too large.");
        await app.StopAsync();
    }

    // --- page_size (docs/api.md#dates) ---

    [StoreTheory]
    [InlineData("0")]
    [InlineData("00")]
    [InlineData("000000000000000000000000")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("%205")]
    [InlineData("5%20")]
    [InlineData("5.0")]
    [InlineData("5,0")]
    [InlineData("1e1")]
    [InlineData("0x10")]
    [InlineData("five")]
    [InlineData("%D9%A5")]
    [InlineData("%EF%BC%95")]
    public async Task Page_size_that_is_not_ascii_digits_or_is_zero_is_refused(string pageSize)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-16&to=2016-01-22&page_size=" + pageSize));

        reply.AssertError(HttpStatusCode.OK, 300, "page_size must be an integer from 1 to 30.");
    }

    [StoreTheory]
    [InlineData("1", 1, 3)]
    [InlineData("2", 2, 2)]
    [InlineData("007", 7, 1)]
    [InlineData("0000000000000000000000001", 1, 3)]
    [InlineData("30", 30, 1)]
    [InlineData("31", 30, 1)]
    [InlineData("2147483648", 30, 1)]
    [InlineData("99999999999999999999", 30, 1)]
    public async Task Page_size_is_served_as_at_most_30_and_echoed_as_served(string pageSize, int served, int pageCount)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("a", "2016-01-18T01:00:00Z", "1", "ann@acme.com"),
            Lines.Message("b", "2016-01-18T02:00:00Z", "2", "ann@acme.com"),
            Lines.Message("c", "2016-01-18T03:00:00Z", "3", "ann@acme.com"));

        var body = await archive.PostJsonAsync(List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", pageSize)));

        Assert.Equal(served, body.GetProperty("page_size").GetInt32());
        Assert.Equal(pageCount, body.GetProperty("page_count").GetInt32());
        Assert.Equal(Math.Min(served, 3), body.GetProperty("chat_list").GetArrayLength());
        Assert.Equal(pageCount > 1, body.GetProperty("next_page_token").GetString()!.Length > 0);
    }

    [StoreFact]
    public async Task Page_size_over_30_serves_pages_of_30()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Enumerable.Range(0, 31).Select(i => Lines.Message("s", $"2016-01-18T01:00:{i:00}Z", $"m{i}", "ann@acme.com")).ToArray());

        var body = await archive.PostJsonAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1000")));

        Assert.Equal(30, body.GetProperty("page_size").GetInt32());
        Assert.Equal(2, body.GetProperty("page_count").GetInt32());
        Assert.Equal(30, body.GetProperty("chat_messages").GetArrayLength());
    }

    [StoreFact]
    public async Task Page_token_from_page_size_31_continues_with_page_size_30()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Enumerable.Range(0, 31).Select(i => Lines.Message("s", $"2016-01-18T01:00:{i:00}Z", $"m{i}", "ann@acme.com")).ToArray());
        var first = await archive.PostJsonAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "31")));
        var token = first.GetProperty("next_page_token").GetString()!;

        // The token is bound to the served page size (docs/api.md#paging-and-page-tokens), whichever way it was asked for.
        var second = await archive.PostJsonAsync(
            Get, acme.With(("session_id", "s"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "30"), ("next_page_token", token)));

        Assert.Equal("m30", second.GetProperty("chat_messages")[0].GetProperty("message").GetString());
    }

    // --- Echoed values are cut to 64 characters (docs/api.md#errors) ---

    [StoreFact]
    public async Task Long_date_is_echoed_cut_to_64_characters()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        var value = string.Concat(Enumerable.Repeat("0123456789", 10));

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&from={value}&to=2016-01-22"));

        reply.AssertError(HttpStatusCode.OK, 300, $"Invalid from: '{value[..64]}'. Use yyyy-MM-dd or an ISO 8601 date-time.");
    }

    [StoreFact]
    public async Task Date_of_exactly_64_characters_is_echoed_whole()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        var value = "2016-01-22T00:00:00." + new string('1', 42) + "+0";
        Assert.Equal(64, value.Length);

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&from=2016-01-16&to={Uri.EscapeDataString(value)}"));

        reply.AssertError(HttpStatusCode.OK, 300, $"Invalid to: '{value}'. Use yyyy-MM-dd or an ISO 8601 date-time.");
    }

    [StoreFact]
    public async Task Long_email_is_echoed_cut_to_64_characters()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        var email = new string('a', 70) + "@acme.com";

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&from=2016-01-16&to=2016-01-22&email={Uri.EscapeDataString(email)}"));

        reply.AssertError(HttpStatusCode.OK, 1001, $"User {new string('a', 64)} not exist or not belong to this account.");
    }

    [StoreFact]
    public async Task Long_session_id_is_echoed_cut_to_64_characters()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        var sessionId = string.Concat(Enumerable.Repeat("abcdefghij", 7));

        var reply = await archive.PostBodyAsync(Get, acme.Fill($"{{auth}}&from=2016-01-16&to=2016-01-22&session_id={sessionId}"));

        reply.AssertError(HttpStatusCode.OK, 3001, $"Chat session not found: {sessionId[..64]}.");
    }

    [StoreFact]
    public async Task Echo_cut_never_splits_a_surrogate_pair()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await SeedDesignAsync(archive);
        var sessionId = new string('s', 63) + "\U0001F600" + "tail";

        var reply = await archive.PostFormAsync(Get, acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("session_id", sessionId)));

        // 63 characters: the 64th is the first half of the emoji, which is not text on its own.
        reply.AssertError(HttpStatusCode.OK, 3001, $"Chat session not found: {new string('s', 63)}.");
    }

    /// <summary>Account acme with one group session, "design", and one message in the seed's window.</summary>
    private static async Task<TestCredentials> SeedDesignAsync(TestArchive archive)
    {
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("design", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", groupName: "Design"));
        return acme;
    }

    /// <summary>A read-only stream that does not know its length, so that the body goes without a Content-Length.</summary>
    private sealed class UnsizedStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}
