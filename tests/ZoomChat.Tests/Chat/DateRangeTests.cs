using System.Net;
using System.Text.Json;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

/// <summary>
/// The dates of docs/api.md#dates: every accepted form and its normalised echo, the forms that
/// are refused, inclusive bounds, the whole day of a date-only <c>to</c>, <c>to</c> before <c>from</c>
/// on expanded bounds, and the optional maximum range.
/// </summary>
public sealed class DateRangeTests
{
    private const string List = "/v1/chat/list";
    private const string Get = "/v1/chat/get";

    // --- Accepted forms, echoed in UTC as yyyy-MM-ddTHH:mm:ss.fffZ ---

    [StoreTheory]
    [InlineData("2016-01-22", "2016-01-22T00:00:00.000Z")]
    [InlineData("2016-02-29", "2016-02-29T00:00:00.000Z")]
    [InlineData("2016-01-22T10:20", "2016-01-22T10:20:00.000Z")]
    [InlineData("2016-01-22t10:20", "2016-01-22T10:20:00.000Z")]
    [InlineData("2016-01-22T10:20:30", "2016-01-22T10:20:30.000Z")]
    [InlineData("2016-01-22T10:20:30Z", "2016-01-22T10:20:30.000Z")]
    [InlineData("2016-01-22t10:20:30z", "2016-01-22T10:20:30.000Z")]
    [InlineData("2016-01-22T10:20Z", "2016-01-22T10:20:00.000Z")]
    [InlineData("2016-01-22T10:20:30.5Z", "2016-01-22T10:20:30.500Z")]
    [InlineData("2016-01-22T10:20:30.12Z", "2016-01-22T10:20:30.120Z")]
    [InlineData("2016-01-22T10:20:30.123Z", "2016-01-22T10:20:30.123Z")]
    [InlineData("2016-01-22T10:20:30.1239Z", "2016-01-22T10:20:30.123Z")]
    [InlineData("2016-01-22T10:20:30.999999999Z", "2016-01-22T10:20:30.999Z")]
    [InlineData("2016-01-22T10:20:30.123456789", "2016-01-22T10:20:30.123Z")]
    [InlineData("2016-01-22T10:20:30+02:00", "2016-01-22T08:20:30.000Z")]
    [InlineData("2016-01-22T10:20:30-05:30", "2016-01-22T15:50:30.000Z")]
    [InlineData("2016-01-22T10:20:30+0200", "2016-01-22T08:20:30.000Z")]
    [InlineData("2016-01-22T10:20:30-0530", "2016-01-22T15:50:30.000Z")]
    [InlineData("2016-01-22T10:20+01:00", "2016-01-22T09:20:00.000Z")]
    [InlineData("2016-01-22T10:20-0100", "2016-01-22T11:20:00.000Z")]
    [InlineData("2016-01-22T10:20:30.9876+00:00", "2016-01-22T10:20:30.987Z")]
    [InlineData("2016-01-22T10:20:30.5-00:00", "2016-01-22T10:20:30.500Z")]
    [InlineData("2016-01-22T01:00+02:00", "2016-01-21T23:00:00.000Z")]
    [InlineData("2016-01-22T23:30-01:00", "2016-01-23T00:30:00.000Z")]
    [InlineData("2016-01-22T00:00:00.000Z", "2016-01-22T00:00:00.000Z")]
    [InlineData("2016-01-22T23:59:59.999Z", "2016-01-22T23:59:59.999Z")]
    public async Task Accepted_from_is_echoed_normalised_to_utc(string from, string echoed)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var body = await archive.PostJsonAsync(List, acme.With(("from", from), ("to", "2016-12-31")));

        Assert.Equal(
            $$"""{"from":"{{echoed}}","to":"2016-12-31T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_list":[]}""",
            body.GetRawText());
    }

    [StoreTheory]
    [InlineData("2016-01-22", "2016-01-22T00:00:00.000Z")]
    [InlineData("2016-01-22T10:20:30.5Z", "2016-01-22T10:20:30.500Z")]
    [InlineData("2016-01-22T10:20:30.1239-0130", "2016-01-22T11:50:30.123Z")]
    [InlineData("2016-01-22T05:00+06:00", "2016-01-21T23:00:00.000Z")]
    public async Task Accepted_to_is_echoed_normalised_to_utc(string to, string echoed)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s", "2016-01-01T00:00:00Z", "first", "ann@acme.com"));

        var body = await archive.PostJsonAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-01"), ("to", to)));

        Assert.Equal(
            $$"""{"session_id":"s","group_name":"","from":"2016-01-01T00:00:00.000Z","to":"{{echoed}}","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[{"message":"first","sender":"ann@acme.com","date_time":"2016-01-01T00:00:00.000Z"}]}""",
            body.GetRawText());
    }

    // --- Refused forms ---

    [StoreTheory]
    [InlineData("2016-W03-5")]
    [InlineData("2016-W03")]
    [InlineData("2016W035")]
    [InlineData("2016-022")]
    [InlineData("2016022")]
    [InlineData("20160122")]
    [InlineData("20160122T102030Z")]
    [InlineData("2016-01-22 10:20")]
    [InlineData("2016-01-22 10:20:30Z")]
    [InlineData(" 2016-01-22")]
    [InlineData("2016-01-22 ")]
    [InlineData("2016-01-22T10:20:30 Z")]
    [InlineData("2016-01-22T10:20 +02:00")]
    [InlineData("2016-02-30")]
    [InlineData("2015-02-29")]
    [InlineData("2016-04-31")]
    [InlineData("2016-13-01")]
    [InlineData("2016-00-10")]
    [InlineData("2016-01-00")]
    [InlineData("2016-01-32")]
    [InlineData("0000-01-01")]
    [InlineData("16-01-22")]
    [InlineData("2016-1-22")]
    [InlineData("2016-01-2")]
    [InlineData("22-01-2016")]
    [InlineData("2016/01/22")]
    [InlineData("2016.01.22")]
    [InlineData("+2016-01-22")]
    [InlineData("12016-01-22")]
    [InlineData("2016-01")]
    [InlineData("2016")]
    [InlineData("2016-01-22T")]
    [InlineData("2016-01-22Z")]
    [InlineData("2016-01-22T24:00")]
    [InlineData("2016-01-22T24:00:00Z")]
    [InlineData("2016-01-22T10")]
    [InlineData("2016-01-22T10Z")]
    [InlineData("2016-01-22T10:")]
    [InlineData("2016-01-22T10:2")]
    [InlineData("2016-01-22T1:20")]
    [InlineData("2016-01-22T10:60")]
    [InlineData("2016-01-22T10:20:60")]
    [InlineData("2016-01-22T10:20:3")]
    [InlineData("2016-01-22T10:20:30.")]
    [InlineData("2016-01-22T10:20:30.Z")]
    [InlineData("2016-01-22T10:20:30,5Z")]
    [InlineData("2016-01-22T10:20.5")]
    [InlineData("2016-01-22T1020")]
    [InlineData("2016-01-22T102030")]
    [InlineData("2016-01-22T10:20:30ZZ")]
    [InlineData("2016-01-22T10:20:30+02")]
    [InlineData("2016-01-22T10:20:30+2:00")]
    [InlineData("2016-01-22T10:20:30+02:0")]
    [InlineData("2016-01-22T10:20:30+02:000")]
    [InlineData("2016-01-22T10:20:30+020")]
    [InlineData("2016-01-22T10:20:30+24:00")]
    [InlineData("2016-01-22T10:20:30+02:60")]
    [InlineData("2016-01-22T10:20:30 02:00")]
    [InlineData("2016-01-22T10:20:30UTC")]
    [InlineData("2016-01-22T10:20:30GMT")]
    [InlineData("2016-01-22T10:20:30.123Z[Europe/Paris]")]
    [InlineData("2016-01-22T10:20:30\u221202:00")]
    [InlineData("\uFF12016-01-22")]
    [InlineData("2016-01-22\u00A0")]
    [InlineData("1453458030")]
    [InlineData("yesterday")]
    [InlineData("Fri, 22 Jan 2016 10:20:30 GMT")]
    [InlineData("01/22/2016")]
    public async Task Malformed_date_is_refused_as_from_and_as_to(string value)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var asFrom = await archive.PostFormAsync(List, acme.With(("from", value), ("to", "2016-01-22")));
        var asTo = await archive.PostFormAsync(List, acme.With(("from", "2016-01-01"), ("to", value)));

        var echoed = JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        asFrom.AssertError(HttpStatusCode.OK, 300, $"Invalid from: '{echoed}'. Use yyyy-MM-dd or an ISO 8601 date-time.");
        asTo.AssertError(HttpStatusCode.OK, 300, $"Invalid to: '{echoed}'. Use yyyy-MM-dd or an ISO 8601 date-time.");
    }

    [StoreTheory]
    [InlineData("9999-12-31T23:59:59.999Z")]
    [InlineData("0001-01-01T00:00:00.000Z")]
    public async Task Extreme_dates_in_range_are_accepted(string value)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var body = await archive.PostJsonAsync(List, acme.With(("from", "0001-01-01"), ("to", value)));

        Assert.Equal(value, body.GetProperty("to").GetString());
    }

    [StoreTheory]
    [InlineData("0001-01-01T00:00:00+00:01")]
    [InlineData("9999-12-31T23:59:59.999-00:01")]
    public async Task Date_time_whose_offset_leaves_the_calendar_is_refused(string value)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", value), ("to", "2016-01-22")));

        reply.AssertError(HttpStatusCode.OK, 300, $"Invalid from: '{value}'. Use yyyy-MM-dd or an ISO 8601 date-time.");
    }

    // --- Bounds: inclusive, a date-only `to` is its whole day ---

    [StoreTheory]
    [InlineData("2016-01-22", "2016-01-22", "m2,m3")]
    [InlineData("2016-01-21", "2016-01-22", "m0,m1,m2,m3")]
    [InlineData("2016-01-22T00:00:00.000Z", "2016-01-22T23:59:59.999Z", "m2,m3")]
    [InlineData("2016-01-22T00:00:00.000Z", "2016-01-23T00:00:00.000Z", "m2,m3,m4")]
    [InlineData("2016-01-21T23:59:59.999Z", "2016-01-22T00:00:00.000Z", "m1,m2")]
    [InlineData("2016-01-22T00:00:00.001Z", "2016-01-22T23:59:59.998Z", "")]
    [InlineData("2016-01-22T00:00:00.000Z", "2016-01-22T00:00:00.000Z", "m2")]
    [InlineData("2016-01-22T23:59:59.999Z", "2016-01-22", "m3")]
    [InlineData("2016-01-23", "2016-01-23", "m4")]
    [InlineData("2016-01-22T00:00", "2016-01-22T23:59", "m2")]
    [InlineData("2016-01-22T01:00+01:00", "2016-01-23T00:59:59.999+01:00", "m2,m3")]
    [InlineData("2016-01-21T19:00-0500", "2016-01-22T18:59:59.999-0500", "m2,m3")]
    [InlineData("2016-01-22T00:00:00.0009Z", "2016-01-22T23:59:59.9999Z", "m2,m3")]
    public async Task Both_bounds_are_inclusive_and_a_date_only_to_covers_its_whole_day(string from, string to, string expected)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s", "2016-01-21T00:00:00.000Z", "m0", "ann@acme.com"),
            Lines.Message("s", "2016-01-21T23:59:59.999Z", "m1", "ann@acme.com"),
            Lines.Message("s", "2016-01-22T00:00:00.000Z", "m2", "ann@acme.com"),
            Lines.Message("s", "2016-01-22T23:59:59.999Z", "m3", "ann@acme.com"),
            Lines.Message("s", "2016-01-23T00:00:00.000Z", "m4", "ann@acme.com"));

        var body = await archive.PostJsonAsync(Get, acme.With(("session_id", "s"), ("from", from), ("to", to)));

        Assert.Equal(expected, string.Join(',', body.GetProperty("chat_messages").EnumerateArray().Select(m => m.GetProperty("message").GetString())));
    }

    [StoreTheory]
    [InlineData("2016-01-22", "2016-01-22T23:59:59.999Z")]
    [InlineData("2016-01-22T00:00Z", "2016-01-22T00:00:00.000Z")]
    [InlineData("2016-01-21", "2016-01-21T23:59:59.999Z")]
    public async Task List_counts_sessions_by_their_last_message_inside_the_range(string to, string lastInside)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s", "2016-01-21T23:59:59.999Z", "m1", "ann@acme.com"),
            Lines.Message("s", "2016-01-22T00:00:00.000Z", "m2", "ann@acme.com"),
            Lines.Message("s", "2016-01-22T23:59:59.999Z", "m3", "ann@acme.com"),
            Lines.Message("s", "2016-01-23T00:00:00.000Z", "m4", "ann@acme.com"),
            Lines.Message("late", "2016-01-23T00:00:00.000Z", "late", "ann@acme.com"));

        var body = await archive.PostJsonAsync(List, acme.With(("from", "2016-01-21"), ("to", to)));

        var session = Assert.Single(body.GetProperty("chat_list").EnumerateArray());
        Assert.Equal("s", session.GetProperty("session_id").GetString());
        Assert.Equal(lastInside, session.GetProperty("last_message_send_time").GetString());
    }

    [StoreFact]
    public async Task Date_time_without_offset_is_utc()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s", "2016-01-22T09:59:59.999Z", "before", "ann@acme.com"),
            Lines.Message("s", "2016-01-22T10:00:00.000Z", "at", "ann@acme.com"));

        var body = await archive.PostJsonAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-22T10:00"), ("to", "2016-01-22T10:00:00")));

        var message = Assert.Single(body.GetProperty("chat_messages").EnumerateArray());
        Assert.Equal("at", message.GetProperty("message").GetString());
    }

    [StoreFact]
    public async Task Fraction_beyond_milliseconds_is_truncated_not_rounded()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s", "2016-01-22T10:00:00.123Z", "at .123", "ann@acme.com"));

        // Rounded, .1239 would be .124 and leave the message out; truncated it is .123 and takes it in.
        var body = await archive.PostJsonAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-22T10:00:00.1239Z"), ("to", "2016-01-22T10:00:00.1231Z")));

        Assert.Equal("2016-01-22T10:00:00.123Z", body.GetProperty("from").GetString());
        Assert.Equal("2016-01-22T10:00:00.123Z", body.GetProperty("to").GetString());
        Assert.Equal(1, body.GetProperty("chat_messages").GetArrayLength());
    }

    // --- `to` before `from`, judged on the expanded bounds ---

    [StoreTheory]
    [InlineData("2016-01-22", "2016-01-22")]
    [InlineData("2016-01-22T23:59:59.999Z", "2016-01-22")]
    [InlineData("2016-01-22T12:00Z", "2016-01-22")]
    [InlineData("2016-01-22T10:00Z", "2016-01-22T10:00Z")]
    [InlineData("2016-01-22T10:00:00.123Z", "2016-01-22T10:00:00.1239Z")]
    [InlineData("2016-01-22T10:00+02:00", "2016-01-22T08:00Z")]
    [InlineData("2016-01-22T10:00Z", "2016-01-22T11:00+01:00")]
    [InlineData("2016-01-23T01:00+02:00", "2016-01-22")]
    public async Task To_not_before_from_after_expansion_is_valid(string from, string to)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", from), ("to", to)));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith("""{"from":""", reply.Body, StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("2016-01-23", "2016-01-22")]
    [InlineData("2016-01-23T00:00:00.000Z", "2016-01-22")]
    [InlineData("2016-01-22T00:00:00.001Z", "2016-01-22T00:00Z")]
    [InlineData("2016-01-22T10:00Z", "2016-01-22T10:59:59.999+01:00")]
    [InlineData("2016-01-22T10:00-01:00", "2016-01-22T10:00Z")]
    [InlineData("2016-01-22", "2016-01-21T23:59:59.999Z")]
    [InlineData("2017-01-01", "2016-12-31T23:59:59.999")]
    public async Task To_before_from_after_expansion_is_refused(string from, string to)
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", from), ("to", to)));

        reply.AssertError(HttpStatusCode.OK, 300, "The to date must not be earlier than the from date.");
    }

    // --- The optional maximum range ---

    [StoreTheory]
    [InlineData("2016-01-01", "2016-01-07")]
    [InlineData("2016-01-01", "2016-01-07T23:59:59.999Z")]
    [InlineData("2016-01-01T00:00Z", "2016-01-08T00:00Z")]
    [InlineData("2016-01-01T12:00Z", "2016-01-08T12:00Z")]
    [InlineData("2016-01-01T02:00+02:00", "2016-01-08T02:00+02:00")]
    [InlineData("2016-01-01T00:00:00.0009Z", "2016-01-08T00:00:00.0009Z")]
    public async Task Range_of_at_most_the_maximum_is_served(string from, string to)
    {
        await using var archive = await TestArchive.StartAsync(o => o.MaxRangeDays = 7);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", from), ("to", to)));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith("""{"from":""", reply.Body, StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("2016-01-01", "2016-01-08")]
    [InlineData("2016-01-01", "2016-01-08T00:00:00.001Z")]
    [InlineData("2016-01-01T00:00Z", "2016-01-08T00:00:00.001Z")]
    [InlineData("2016-01-01T00:00+01:00", "2016-01-08T00:00Z")]
    [InlineData("2015-01-01", "2016-01-01")]
    public async Task Range_longer_than_the_maximum_is_refused(string from, string to)
    {
        await using var archive = await TestArchive.StartAsync(o => o.MaxRangeDays = 7);
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", from), ("to", to)));

        reply.AssertError(HttpStatusCode.OK, 300, "The date range must not exceed 7 days.");
    }

    [StoreFact]
    public async Task Maximum_range_of_one_day_allows_a_single_whole_day_on_both_endpoints()
    {
        await using var archive = await TestArchive.StartAsync(o => o.MaxRangeDays = 1);
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s", "2016-01-22T12:00:00Z", "noon", "ann@acme.com"));

        var oneDay = await archive.PostFormAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-22"), ("to", "2016-01-22")));
        var twoDays = await archive.PostFormAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-22"), ("to", "2016-01-23")));

        Assert.Equal(HttpStatusCode.OK, oneDay.Status);
        Assert.Contains("\"message\":\"noon\"", oneDay.Body, StringComparison.Ordinal);
        twoDays.AssertError(HttpStatusCode.OK, 300, "The date range must not exceed 1 days.");
    }

    [StoreFact]
    public async Task Without_a_maximum_any_range_is_served()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s", "2016-01-22T12:00:00Z", "noon", "ann@acme.com"));

        var body = await archive.PostJsonAsync(List, acme.With(("from", "0001-01-01"), ("to", "9999-12-31")));

        Assert.Equal("0001-01-01T00:00:00.000Z", body.GetProperty("from").GetString());
        Assert.Equal("9999-12-31T00:00:00.000Z", body.GetProperty("to").GetString());
        Assert.Equal(1, body.GetProperty("chat_list").GetArrayLength());
    }
}
