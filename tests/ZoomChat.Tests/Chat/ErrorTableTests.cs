using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

/// <summary>
/// Every row of the error table (docs/api.md#errors), in both status modes, in JSON and (where the
/// contract says so) in XML, and the order in which errors win when several apply.
/// </summary>
public sealed class ErrorTableTests
{
    private const string List = "/v1/chat/list";
    private const string Get = "/v1/chat/get";
    private const string Range = "from=2016-01-16&to=2016-01-22";

    // --- One test per row, in both status modes ---

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, "access_token={token}&from=2016-01-16&to=2016-01-22")]
    [InlineData(ErrorStatusMode.Zoom, "api_key={key}&access_token={token}&from=2016-01-16&to=2016-01-22")]
    [InlineData(ErrorStatusMode.Zoom, "api_secret={secret}&access_token={token}&from=2016-01-16&to=2016-01-22")]
    [InlineData(ErrorStatusMode.Zoom, "api_key=&api_secret=&access_token={token}&from=2016-01-16&to=2016-01-22")]
    [InlineData(ErrorStatusMode.Http, "access_token={token}&from=2016-01-16&to=2016-01-22")]
    [InlineData(ErrorStatusMode.Http, "api_key={key}&access_token={token}&from=2016-01-16&to=2016-01-22")]
    [InlineData(ErrorStatusMode.Http, "api_secret={secret}&access_token={token}&from=2016-01-16&to=2016-01-22")]
    public async Task Missing_key_or_secret_returns_300(ErrorStatusMode mode, string form)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill(form));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "Api key and secret are required.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Unknown_key_returns_102(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill($"api_key=nokey&api_secret={{secret}}&access_token={{token}}&{Range}"));

        reply.AssertError(Status(mode, HttpStatusCode.Unauthorized), 102, "You app key and secret doesn't match.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, List, "{auth}&to=2016-01-22", "from is required.")]
    [InlineData(ErrorStatusMode.Zoom, List, "{auth}&from=2016-01-16", "to is required.")]
    [InlineData(ErrorStatusMode.Zoom, List, "api_key={key}&api_secret={secret}&from=2016-01-16&to=2016-01-22", "access_token is required.")]
    [InlineData(ErrorStatusMode.Zoom, Get, "{auth}&from=2016-01-16&to=2016-01-22", "session_id is required.")]
    [InlineData(ErrorStatusMode.Http, List, "{auth}&to=2016-01-22", "from is required.")]
    [InlineData(ErrorStatusMode.Http, Get, "{auth}&from=2016-01-16&to=2016-01-22", "session_id is required.")]
    public async Task Missing_required_parameter_returns_300_naming_it(ErrorStatusMode mode, string path, string form, string message)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(path, acme.Fill(form));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, message);
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Parameter_given_twice_returns_300(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-16&to=2016-01-22&to=2016-01-23"));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "to is given more than once.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Unknown_access_token_returns_124(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill($"api_key={{key}}&api_secret={{secret}}&access_token=not-a-token&{Range}"));

        reply.AssertError(Status(mode, HttpStatusCode.Unauthorized), 124, "Invalid access token.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, "from=yesterday&to=2016-01-22", "Invalid from: 'yesterday'. Use yyyy-MM-dd or an ISO 8601 date-time.")]
    [InlineData(ErrorStatusMode.Zoom, "from=2016-01-16&to=2016-01-32", "Invalid to: '2016-01-32'. Use yyyy-MM-dd or an ISO 8601 date-time.")]
    [InlineData(ErrorStatusMode.Http, "from=yesterday&to=2016-01-22", "Invalid from: 'yesterday'. Use yyyy-MM-dd or an ISO 8601 date-time.")]
    [InlineData(ErrorStatusMode.Http, "from=2016-01-16&to=2016-01-32", "Invalid to: '2016-01-32'. Use yyyy-MM-dd or an ISO 8601 date-time.")]
    public async Task Date_that_is_not_a_date_returns_300(ErrorStatusMode mode, string range, string message)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&" + range));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, message);
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task To_before_from_returns_300(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-22&to=2016-01-21"));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "The to date must not be earlier than the from date.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Range_longer_than_the_maximum_returns_300(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode, o => o.MaxRangeDays = 7);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill("{auth}&from=2016-01-01&to=2016-01-08"));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "The date range must not exceed 7 days.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Invalid_page_size_returns_300(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}&page_size=0"));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "page_size must be an integer from 1 to 30.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Invalid_data_type_returns_300(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}&data_type=HTML"));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "data_type must be JSON or XML.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, List)]
    [InlineData(ErrorStatusMode.Zoom, Get)]
    [InlineData(ErrorStatusMode.Http, List)]
    [InlineData(ErrorStatusMode.Http, Get)]
    public async Task Malformed_next_page_token_returns_300(ErrorStatusMode mode, string path)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("design", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", groupName: "Design"));

        var reply = await archive.PostBodyAsync(path, acme.Fill($"{{auth}}&{Range}&session_id=design&next_page_token=abc%2B%2F%3D"));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "The next page token is invalid or expired.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, "tampered")]
    [InlineData(ErrorStatusMode.Zoom, "expired")]
    [InlineData(ErrorStatusMode.Zoom, "another account")]
    [InlineData(ErrorStatusMode.Zoom, "another from")]
    [InlineData(ErrorStatusMode.Zoom, "another page size")]
    [InlineData(ErrorStatusMode.Zoom, "another email")]
    [InlineData(ErrorStatusMode.Zoom, "the other endpoint")]
    [InlineData(ErrorStatusMode.Http, "tampered")]
    [InlineData(ErrorStatusMode.Http, "expired")]
    [InlineData(ErrorStatusMode.Http, "another account")]
    [InlineData(ErrorStatusMode.Http, "another to")]
    public async Task Next_page_token_tampered_expired_or_of_another_account_or_query_returns_300(ErrorStatusMode mode, string variant)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");
        var globex = await archive.CreateAccountAsync("globex", viewer: "admin@example.com");
        string[] lines =
        [
            Lines.Message("a", "2016-01-18T01:00:00Z", "one", "admin@example.com"),
            Lines.Message("b", "2016-01-18T02:00:00Z", "two", "admin@example.com"),
        ];
        await archive.ImportAsync("acme", lines);
        await archive.ImportAsync("globex", lines);
        var query = new Dictionary<string, string> { ["from"] = "2016-01-16", ["to"] = "2016-01-22", ["page_size"] = "1", ["email"] = "admin@example.com" };
        var first = await archive.PostJsonAsync(List, acme.With([.. query.Select(p => (p.Key, p.Value))]));
        var token = first.GetProperty("next_page_token").GetString()!;
        var caller = acme;
        var path = List;
        switch (variant)
        {
            case "tampered":
                token = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
                break;
            case "expired":
                archive.Time.Advance(TimeSpan.FromMinutes(30));
                break;
            case "another account":
                caller = globex;
                break;
            case "another from":
                query["from"] = "2016-01-15";
                break;
            case "another to":
                query["to"] = "2016-01-22T23:59:59.998Z";
                break;
            case "another page size":
                query["page_size"] = "2";
                break;
            case "another email":
                query.Remove("email");
                break;
            case "the other endpoint":
                path = Get;
                query["session_id"] = "a";
                break;
        }

        query["next_page_token"] = token;
        var reply = await archive.PostFormAsync(path, caller.With([.. query.Select(p => (p.Key, p.Value))]));

        reply.AssertError(Status(mode, HttpStatusCode.BadRequest), 300, "The next page token is invalid or expired.");
    }

    [StoreFact]
    public async Task Next_page_token_is_valid_until_just_before_it_expires_and_with_the_same_query_in_another_form()
    {
        await using var archive = await StartAsync(ErrorStatusMode.Zoom);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("a", "2016-01-18T01:00:00Z", "one", "admin@example.com"),
            Lines.Message("b", "2016-01-18T02:00:00Z", "two", "admin@example.com"));
        var first = await archive.PostJsonAsync(List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1"), ("email", "admin@example.com")));
        var token = first.GetProperty("next_page_token").GetString()!;
        archive.Time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromMilliseconds(1));

        // The same query: expanded bounds, e-mail in another case, page size with leading zeros (docs/api.md#paging-and-page-tokens).
        var second = await archive.PostJsonAsync(
            List,
            acme.With(("from", "2016-01-16T00:00Z"), ("to", "2016-01-22T23:59:59.999Z"), ("page_size", "01"), ("email", "Admin@Example.com"), ("next_page_token", token)));

        Assert.Equal("a", second.GetProperty("chat_list")[0].GetProperty("session_id").GetString());
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Email_of_unknown_user_returns_1001(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}&email=Nobody%40Acme.com"));

        reply.AssertError(Status(mode, HttpStatusCode.NotFound), 1001, "User Nobody@Acme.com not exist or not belong to this account.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Email_of_a_user_of_another_account_returns_1001(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}&email=boss%40globex.com"));

        reply.AssertError(Status(mode, HttpStatusCode.NotFound), 1001, "User boss@globex.com not exist or not belong to this account.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Session_id_of_no_session_returns_3001(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(Get, acme.Fill($"{{auth}}&{Range}&session_id=nowhere"));

        reply.AssertError(Status(mode, HttpStatusCode.NotFound), 3001, "Chat session not found: nowhere.");
    }

    // PostgreSQL's text cannot hold U+0000; a key that holds one names nothing stored, on either store.
    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task A_key_session_id_or_email_holding_U0000_names_nothing_stored(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        // In the query string: a form body with U+0000 is refused before any look-up (docs/api.md#size-limits).
        var key = await archive.PostBodyAsync(List + "?api_key=no%00key", acme.Fill($"api_secret={{secret}}&access_token={{token}}&{Range}"));
        var session = await archive.PostBodyAsync(Get + "?session_id=a%00b", acme.Fill($"{{auth}}&{Range}"));
        var email = await archive.PostBodyAsync(List + "?email=a%00b%40acme.com", acme.Fill($"{{auth}}&{Range}"));

        key.AssertError(Status(mode, HttpStatusCode.Unauthorized), 102, "You app key and secret doesn't match.");
        session.AssertError(Status(mode, HttpStatusCode.NotFound), 3001, "Chat session not found: a\\u0000b.");
        email.AssertError(Status(mode, HttpStatusCode.NotFound), 1001, "User a\\u0000b@acme.com not exist or not belong to this account.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Session_id_of_another_account_returns_3001(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.CreateAccountAsync("globex", viewer: "boss@globex.com");
        await archive.ImportAsync("globex", Lines.Message("secret-plans", "2016-01-18T06:40:56Z", "hello", "boss@globex.com"));

        var reply = await archive.PostBodyAsync(Get, acme.Fill($"{{auth}}&{Range}&session_id=secret-plans"));

        reply.AssertError(Status(mode, HttpStatusCode.NotFound), 3001, "Chat session not found: secret-plans.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Rate_limit_exceeded_returns_403(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode, o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        var first = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}"));
        Assert.Equal(HttpStatusCode.OK, first.Status);

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}"));

        reply.AssertError(
            Status(mode, HttpStatusCode.TooManyRequests), 403, "Sorry, the maximum number of api requests are already reached. Please try later.");
        Assert.Equal("1", reply.Header("Retry-After"));
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, "GET", List)]
    [InlineData(ErrorStatusMode.Zoom, "PUT", List)]
    [InlineData(ErrorStatusMode.Zoom, "DELETE", List)]
    [InlineData(ErrorStatusMode.Zoom, "PATCH", Get)]
    [InlineData(ErrorStatusMode.Zoom, "GET", Get)]
    [InlineData(ErrorStatusMode.Http, "GET", List)]
    [InlineData(ErrorStatusMode.Http, "PUT", Get)]
    [InlineData(ErrorStatusMode.Http, "DELETE", Get)]
    public async Task Method_other_than_post_returns_405_with_allow_post_in_both_modes(ErrorStatusMode mode, string method, string path)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.SendAsync(new HttpMethod(method), $"{path}?{acme.Fill($"{{auth}}&{Range}&session_id=design")}");

        reply.AssertError(HttpStatusCode.MethodNotAllowed, 405, "Method not allowed. Use POST.");
        Assert.Equal("POST", reply.Header("Allow"));
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, "POST", "/v1/chat/lists")]
    [InlineData(ErrorStatusMode.Zoom, "POST", "/v1/chat")]
    [InlineData(ErrorStatusMode.Zoom, "POST", "/v1/chat/list/more")]
    [InlineData(ErrorStatusMode.Zoom, "POST", "/v2/chat/list")]
    [InlineData(ErrorStatusMode.Zoom, "GET", "/index.html")]
    [InlineData(ErrorStatusMode.Zoom, "DELETE", "/v1/users")]
    [InlineData(ErrorStatusMode.Http, "POST", "/v1/chat/history")]
    [InlineData(ErrorStatusMode.Http, "GET", "/v1/chat")]
    public async Task Unknown_path_returns_404_in_both_modes(ErrorStatusMode mode, string method, string path)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.SendAsync(
            new HttpMethod(method), path, method == "POST" ? new StringContent(acme.Fill($"{{auth}}&{Range}"), Encoding.UTF8, ApiCalls.FormContentType) : null);

        reply.AssertError(HttpStatusCode.NotFound, 404, "Not found.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom)]
    [InlineData(ErrorStatusMode.Http)]
    public async Task Body_above_one_mebibyte_returns_413_in_both_modes(ErrorStatusMode mode)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");
        var form = acme.Fill($"{{auth}}&{Range}&padding=");
        form += new string('x', (1024 * 1024) + 1 - form.Length);

        var reply = await archive.PostBodyAsync(List, form);

        reply.AssertError(HttpStatusCode.RequestEntityTooLarge, 300, "Request body too large.");
    }

    [StoreTheory]
    [InlineData(ErrorStatusMode.Zoom, "")]
    [InlineData(ErrorStatusMode.Http, "")]
    [InlineData(ErrorStatusMode.Zoom, "&data_type=XML")]
    public async Task Unexpected_fault_returns_500_with_a_request_id_in_both_modes(ErrorStatusMode mode, string dataType)
    {
        await using var archive = await StartAsync(mode);
        var acme = await archive.CreateAccountAsync("acme");
        await BreakStoreAsync(archive);

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}{dataType}"));

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        if (dataType.Length == 0)
        {
            Assert.Equal("application/json", reply.ContentType);
            Assert.Matches(new Regex("""^\{"error":\{"code":500,"message":"Internal error\. Request id [^"\s]+\."\}\}$"""), reply.Body);
        }
        else
        {
            // Not one of the JSON-only errors (docs/api.md#errors): in the format asked for.
            Assert.Equal("application/xml", reply.ContentType);
            Assert.Matches(
                new Regex("""^<\?xml version="1\.0" encoding="UTF-8"\?><error><code>500</code><message>Internal error\. Request id [^<\s]+\.</message></error>$"""),
                reply.Body);
        }
    }

    // --- Errors in the format asked for ---

    [StoreTheory]
    [InlineData(List, "api_key={key}&access_token={token}&from=2016-01-16&to=2016-01-22", 300, "Api key and secret are required.")]
    [InlineData(List, "api_key={key}&api_secret=wrong&access_token={token}&from=2016-01-16&to=2016-01-22", 102, "You app key and secret doesn't match.")]
    [InlineData(Get, "{auth}&from=2016-01-16&to=2016-01-22", 300, "session_id is required.")]
    [InlineData(List, "{auth}&from=2016-01-16&from=2016-01-17&to=2016-01-22", 300, "from is given more than once.")]
    [InlineData(List, "api_key={key}&api_secret={secret}&access_token=nope&from=2016-01-16&to=2016-01-22", 124, "Invalid access token.")]
    [InlineData(List, "{auth}&from=2016-01-16&to=tomorrow", 300, "Invalid to: 'tomorrow'. Use yyyy-MM-dd or an ISO 8601 date-time.")]
    [InlineData(List, "{auth}&from=2016-01-22&to=2016-01-16", 300, "The to date must not be earlier than the from date.")]
    [InlineData(List, "{auth}&from=2016-01-01&to=2016-02-01", 300, "The date range must not exceed 7 days.")]
    [InlineData(List, "{auth}&from=2016-01-16&to=2016-01-22&page_size=-1", 300, "page_size must be an integer from 1 to 30.")]
    [InlineData(List, "{auth}&from=2016-01-16&to=2016-01-22&next_page_token=bogus", 300, "The next page token is invalid or expired.")]
    [InlineData(List, "{auth}&from=2016-01-16&to=2016-01-22&email=nobody%40acme.com", 1001, "User nobody@acme.com not exist or not belong to this account.")]
    [InlineData(Get, "{auth}&from=2016-01-16&to=2016-01-22&session_id=nowhere", 3001, "Chat session not found: nowhere.")]
    public async Task Errors_come_in_xml_when_xml_is_asked_for(string path, string form, int code, string message)
    {
        await using var archive = await StartAsync(ErrorStatusMode.Zoom, o => o.MaxRangeDays = 7);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(path, acme.Fill(form + "&data_type=xml"));

        reply.AssertXmlError(HttpStatusCode.OK, code, message);
    }

    [StoreFact]
    public async Task Rate_limit_error_comes_in_xml_when_xml_is_asked_for()
    {
        await using var archive = await StartAsync(ErrorStatusMode.Http, o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}"));

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}&data_type=XML"));

        reply.AssertXmlError(HttpStatusCode.TooManyRequests, 403, "Sorry, the maximum number of api requests are already reached. Please try later.");
    }

    [StoreTheory]
    [InlineData("{auth}&from=2016-01-16&to=2016-01-22&data_type=XML&data_type=XML", 300, "data_type is given more than once.")]
    [InlineData("{auth}&from=2016-01-16&to=2016-01-22&data_type=XHTML", 300, "data_type must be JSON or XML.")]
    [InlineData("{auth}&from=2016-01-16&to=2016-01-22&data_type=XML&data_type=JSON", 300, "data_type is given more than once.")]
    public async Task Doubled_or_invalid_data_type_errors_are_in_json(string form, int code, string message)
    {
        await using var archive = await StartAsync(ErrorStatusMode.Http);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(List, acme.Fill(form));

        reply.AssertError(HttpStatusCode.BadRequest, code, message);
    }

    [StoreFact]
    public async Task Not_found_method_not_allowed_and_body_too_large_are_in_json_even_when_xml_is_asked_for()
    {
        await using var archive = await StartAsync(ErrorStatusMode.Zoom);
        var acme = await archive.CreateAccountAsync("acme");
        var query = acme.Fill($"{{auth}}&{Range}&data_type=XML");

        var notFound = await archive.PostBodyAsync("/v1/chat/unknown?" + query, query);
        var wrongMethod = await archive.SendAsync(HttpMethod.Get, List + "?" + query);
        var tooLarge = await archive.PostBodyAsync(List + "?data_type=XML", query + "&padding=" + new string('x', 1024 * 1024));

        notFound.AssertError(HttpStatusCode.NotFound, 404, "Not found.");
        wrongMethod.AssertError(HttpStatusCode.MethodNotAllowed, 405, "Method not allowed. Use POST.");
        tooLarge.AssertError(HttpStatusCode.RequestEntityTooLarge, 300, "Request body too large.");
    }

    // --- Precedence: when several errors apply, the first in the order of docs/api.md#errors wins ---

    [StoreTheory]
    // Given twice beats data_type, missing credentials, and everything after.
    [InlineData(List, "from=x&from=y&data_type=HTML", 300, "from is given more than once.")]
    [InlineData(List, "page_size=1&page_size=2", 300, "page_size is given more than once.")]
    [InlineData(Get, "api_key={key}&api_key={key}&api_secret=wrong", 300, "api_key is given more than once.")]
    // data_type beats missing and wrong credentials.
    [InlineData(List, "data_type=CSV", 300, "data_type must be JSON or XML.")]
    [InlineData(List, "api_key=nokey&api_secret=wrong&data_type=CSV", 300, "data_type must be JSON or XML.")]
    // Missing credentials beat wrong ones and everything after.
    [InlineData(List, "api_key=nokey&from=x", 300, "Api key and secret are required.")]
    [InlineData(List, "api_secret={secret}&access_token=nope&page_size=0", 300, "Api key and secret are required.")]
    // Wrong credentials beat missing parameters and a bad access token.
    [InlineData(List, "api_key={key}&api_secret=wrong", 102, "You app key and secret doesn't match.")]
    [InlineData(Get, "api_key={key}&api_secret=wrong&access_token=nope&from=x&to=y", 102, "You app key and secret doesn't match.")]
    // A missing parameter beats a bad access token and bad dates.
    [InlineData(List, "api_key={key}&api_secret={secret}&access_token=nope&from=x", 300, "to is required.")]
    [InlineData(Get, "{auth}&from=x&to=y", 300, "session_id is required.")]
    [InlineData(Get, "api_key={key}&api_secret={secret}", 300, "access_token is required.")]
    [InlineData(Get, "api_key={key}&api_secret={secret}&to=2016-01-22", 300, "access_token is required.")]
    [InlineData(Get, "{auth}&to=2016-01-22", 300, "session_id is required.")]
    [InlineData(List, "{auth}&to=2016-01-22", 300, "from is required.")]
    [InlineData(Get, "{auth}&session_id=nowhere", 300, "from is required.")]
    // A bad access token beats bad dates, page size and token, unknown user and session.
    [InlineData(List, "api_key={key}&api_secret={secret}&access_token=nope&from=x&to=y&page_size=0", 124, "Invalid access token.")]
    [InlineData(Get, "api_key={key}&api_secret={secret}&access_token=nope&from=2016-01-16&to=2016-01-22&session_id=nowhere", 124, "Invalid access token.")]
    // from's format beats to's, and both beat what follows.
    [InlineData(List, "{auth}&from=x&to=y", 300, "Invalid from: 'x'. Use yyyy-MM-dd or an ISO 8601 date-time.")]
    [InlineData(List, "{auth}&from=2016-01-22&to=y&page_size=0", 300, "Invalid to: 'y'. Use yyyy-MM-dd or an ISO 8601 date-time.")]
    // to before from beats page size, next page token and unknown user.
    [InlineData(List, "{auth}&from=2016-01-22&to=2016-01-21&page_size=0&next_page_token=bogus&email=nobody%40acme.com", 300, "The to date must not be earlier than the from date.")]
    // A range too long beats page size.
    [InlineData(List, "{auth}&from=2016-01-01&to=2016-03-01&page_size=0", 300, "The date range must not exceed 7 days.")]
    // page_size beats next_page_token and unknown session.
    [InlineData(Get, "{auth}&from=2016-01-16&to=2016-01-22&page_size=x&next_page_token=bogus&session_id=nowhere", 300, "page_size must be an integer from 1 to 30.")]
    // next_page_token beats unknown user and unknown session.
    [InlineData(List, "{auth}&from=2016-01-16&to=2016-01-22&next_page_token=bogus&email=nobody%40acme.com", 300, "The next page token is invalid or expired.")]
    [InlineData(Get, "{auth}&from=2016-01-16&to=2016-01-22&next_page_token=bogus&session_id=nowhere", 300, "The next page token is invalid or expired.")]
    public async Task First_applicable_error_in_contract_order_wins(string path, string form, int code, string message)
    {
        await using var archive = await StartAsync(ErrorStatusMode.Zoom, o => o.MaxRangeDays = 7);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostBodyAsync(path, acme.Fill(form));

        reply.AssertError(HttpStatusCode.OK, code, message);
    }

    [StoreFact]
    public async Task Data_type_error_beats_rate_limit()
    {
        await using var archive = await StartAsync(ErrorStatusMode.Http, o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}"));

        var reply = await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}&data_type=yaml"));

        reply.AssertError(HttpStatusCode.BadRequest, 300, "data_type must be JSON or XML.");
        Assert.Null(reply.Header("Retry-After"));
    }

    [StoreFact]
    public async Task Wrong_credentials_beat_rate_limit()
    {
        await using var archive = await StartAsync(ErrorStatusMode.Http, o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}"));

        var reply = await archive.PostBodyAsync(List, acme.Fill($"api_key={{key}}&api_secret=wrong&access_token={{token}}&{Range}"));

        reply.AssertError(HttpStatusCode.Unauthorized, 102, "You app key and secret doesn't match.");
    }

    [StoreTheory]
    [InlineData(List, "{auth}")]
    [InlineData(Get, "api_key={key}&api_secret={secret}&access_token=nope&from=x")]
    [InlineData(List, "{auth}&from=2016-01-22&to=2016-01-01&email=nobody%40acme.com")]
    public async Task Rate_limit_beats_missing_parameters_and_later_errors(string path, string form)
    {
        await using var archive = await StartAsync(ErrorStatusMode.Http, o => o.RateLimits = true);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.PostBodyAsync(List, acme.Fill($"{{auth}}&{Range}"));

        var reply = await archive.PostBodyAsync(path, acme.Fill(form));

        reply.AssertError(
            HttpStatusCode.TooManyRequests, 403, "Sorry, the maximum number of api requests are already reached. Please try later.");
    }

    [StoreFact]
    public async Task Wrong_method_beats_every_parameter_error()
    {
        await using var archive = await StartAsync(ErrorStatusMode.Http);

        var reply = await archive.SendAsync(HttpMethod.Put, List + "?data_type=CSV&from=x&from=y", new StringContent("api_key=a", Encoding.UTF8, ApiCalls.FormContentType));

        reply.AssertError(HttpStatusCode.MethodNotAllowed, 405, "Method not allowed. Use POST.");
    }

    [StoreFact]
    public async Task Body_too_large_beats_every_parameter_error()
    {
        await using var archive = await StartAsync(ErrorStatusMode.Http);

        var reply = await archive.PostBodyAsync(List + "?data_type=CSV&from=x&from=y", "padding=" + new string('x', 1024 * 1024));

        reply.AssertError(HttpStatusCode.RequestEntityTooLarge, 300, "Request body too large.");
    }

    private static HttpStatusCode Status(ErrorStatusMode mode, HttpStatusCode httpStatus) =>
        mode == ErrorStatusMode.Zoom ? HttpStatusCode.OK : httpStatus;

    private static Task<TestArchive> StartAsync(ErrorStatusMode mode, Action<ZoomChatOptions>? configure = null) =>
        TestArchive.StartAsync(o =>
        {
            o.ErrorStatus = mode;
            configure?.Invoke(o);
        });

    /// <summary>Drops a table under the running server, so that the next read fails as a fault of ours.</summary>
    private static async Task BreakStoreAsync(TestArchive archive)
    {
        await StoreSql.ExecuteAsync(archive.StorePath, "DROP TABLE messages;");
    }
}
