using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using ZoomChat.Server.Chat;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Chat;

/// <summary>
/// The two response formats (docs/api.md#responses): JSON byte for byte with the exact content
/// type, and XML that is well-formed whatever the archive holds (markup, control characters, lone
/// surrogates), mirrors the JSON keys in order and carries the same text.
/// </summary>
public sealed class ResponseFormatTests
{
    private const string List = "/v1/chat/list";
    private const string Get = "/v1/chat/get";

    /// <summary>Markup, quotes, a backslash, a control character, white space, accents and an emoji.</summary>
    private const string TrickyText = "<b>&amp; \"q\" \\ \u0002 tab\there\nnew é \U0001F600";

    // --- JSON ---

    [StoreFact]
    public async Task Get_answers_json_in_the_seed_shape_byte_for_byte()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("design", "2016-01-18T06:40:56.1239+01:00", "hello", "Ann@Acme.com", groupName: "Design"),
            Lines.Message("design", "2016-01-18T07:00:00Z", TrickyText, "bob@acme.com"));

        using var response = await archive.PostAsync(Get, acme.With(("session_id", "design"), ("from", "2016-01-18"), ("to", "2016-01-18")));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Null(response.Content.Headers.ContentType.CharSet);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal(
            """{"session_id":"design","group_name":"Design","from":"2016-01-18T00:00:00.000Z","to":"2016-01-18T00:00:00.000Z","page_size":30,"page_count":1,"next_page_token":"","chat_messages":[{"message":"hello","sender":"ann@acme.com","date_time":"2016-01-18T05:40:56.123Z"},{"message":"<b>&amp; \"q\" \\ \u0002 tab\there\nnew é \uD83D\uDE00","sender":"bob@acme.com","date_time":"2016-01-18T07:00:00.000Z"}]}""",
            Encoding.UTF8.GetString(bytes));
        Assert.NotEqual(0xEF, bytes[0]);
        var parsed = JsonDocument.Parse(bytes).RootElement;
        Assert.Equal(TrickyText, parsed.GetProperty("chat_messages")[1].GetProperty("message").GetString());
    }

    [StoreFact]
    public async Task List_answers_json_for_one_to_one_and_group_sessions_byte_for_byte()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("dm", "2016-01-19T10:00:00.5Z", "hi", "Zed@acme.com", type: "1:1", participants: ["zed@acme.com", "Ann@acme.com"]),
            Lines.Message("g", "2016-01-19T10:00:00.5Z", "hey", "ann@acme.com", groupName: "\"Quoted\" <group>"));

        var reply = await archive.PostFormAsync(List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1")));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/json", reply.ContentType);
        var token = JsonDocument.Parse(reply.Body).RootElement.GetProperty("next_page_token").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(
            $$"""{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":1,"page_count":2,"next_page_token":"{{token}}","chat_list":[{"session_id":"dm","type":"1:1","participants":"ann@acme.com,zed@acme.com","group_name":"","last_message_send_time":"2016-01-19T10:00:00.500Z"}]}""",
            reply.Body);

        var second = await archive.PostFormAsync(List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "1"), ("next_page_token", token!)));

        second.AssertJson(
            HttpStatusCode.OK,
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":1,"page_count":2,"next_page_token":"","chat_list":[{"session_id":"g","type":"Group","participants":"","group_name":"\"Quoted\" <group>","last_message_send_time":"2016-01-19T10:00:00.500Z"}]}""");
    }

    [StoreFact]
    public async Task Empty_list_answers_json_with_an_empty_array_and_no_pages()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22")));

        reply.AssertJson(
            HttpStatusCode.OK,
            """{"from":"2016-01-16T00:00:00.000Z","to":"2016-01-22T00:00:00.000Z","page_size":30,"page_count":0,"next_page_token":"","chat_list":[]}""");
    }

    [StoreFact]
    public async Task Json_error_escapes_what_json_requires_in_an_echoed_value()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", "<b>&amp;\"\\\u0002é"), ("to", "2016-01-22")));

        reply.AssertJson(
            HttpStatusCode.OK,
            """{"error":{"code":300,"message":"Invalid from: '<b>&amp;\"\\\u0002é'. Use yyyy-MM-dd or an ISO 8601 date-time."}}""");
    }

    // --- XML ---

    [StoreFact]
    public async Task List_answers_xml_mirroring_the_json_keys_in_order()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("dm", "2016-01-19T10:00:00Z", "hi", "bob@acme.com", type: "1:1", participants: ["bob@acme.com", "ann@acme.com"]),
            Lines.Message("design", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", groupName: "R&D <core>"));
        var form = acme.With(("from", "2016-01-16"), ("to", "2016-01-22"));

        var xml = await archive.PostFormAsync(List, form.Append(new("data_type", "XML")));
        var json = await archive.PostFormAsync(List, form);

        xml.AssertXml(
            HttpStatusCode.OK,
            ApiReply.XmlDeclaration
            + "<chat_list_response><from>2016-01-16T00:00:00.000Z</from><to>2016-01-22T00:00:00.000Z</to><page_size>30</page_size><page_count>1</page_count><next_page_token />"
            + "<chat_list>"
            + "<session><session_id>dm</session_id><type>1:1</type><participants>ann@acme.com,bob@acme.com</participants><group_name /><last_message_send_time>2016-01-19T10:00:00.000Z</last_message_send_time></session>"
            + "<session><session_id>design</session_id><type>Group</type><participants /><group_name>R&amp;D &lt;core&gt;</group_name><last_message_send_time>2016-01-18T06:40:56.000Z</last_message_send_time></session>"
            + "</chat_list></chat_list_response>");
        AssertXmlMirrorsJson(xml.Body, "chat_list_response", json.Body);
    }

    [StoreFact]
    public async Task Get_answers_xml_mirroring_the_json_keys_in_order()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("design", "2016-01-18T06:40:56Z", "hello", "ann@acme.com", groupName: "Design"),
            Lines.Message("design", "2016-01-18T06:41:00.25Z", "<b>&amp;</b>", "bob@acme.com"));
        var form = acme.With(("session_id", "design"), ("from", "2016-01-16"), ("to", "2016-01-22"));

        var xml = await archive.PostFormAsync(Get, form.Append(new("data_type", "xml")));
        var json = await archive.PostFormAsync(Get, form);

        xml.AssertXml(
            HttpStatusCode.OK,
            ApiReply.XmlDeclaration
            + "<chat_get_response><session_id>design</session_id><group_name>Design</group_name><from>2016-01-16T00:00:00.000Z</from><to>2016-01-22T00:00:00.000Z</to><page_size>30</page_size><page_count>1</page_count><next_page_token />"
            + "<chat_messages>"
            + "<message_item><message>hello</message><sender>ann@acme.com</sender><date_time>2016-01-18T06:40:56.000Z</date_time></message_item>"
            + "<message_item><message>&lt;b&gt;&amp;amp;&lt;/b&gt;</message><sender>bob@acme.com</sender><date_time>2016-01-18T06:41:00.250Z</date_time></message_item>"
            + "</chat_messages></chat_get_response>");
        AssertXmlMirrorsJson(xml.Body, "chat_get_response", json.Body);
    }

    [StoreFact]
    public async Task Xml_drops_control_characters_and_keeps_all_other_text()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s", "2016-01-18T06:40:56Z", TrickyText + "\u0000\u0008\u000B\u000C\u001F\uFFFE end", "ann@acme.com"));

        using var response = await archive.PostAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-18"), ("to", "2016-01-18"), ("data_type", "XML")));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/xml", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(ApiReply.XmlDeclaration, Encoding.UTF8.GetString(bytes, 0, ApiReply.XmlDeclaration.Length));
        var message = ParseStrictly(bytes).Descendants("message").Single().Value;
        Assert.Equal("<b>&amp; \"q\" \\  tab\there\nnew é \U0001F600 end", message);
    }

    [StoreFact]
    public async Task Xml_keeps_carriage_returns_in_text()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s", "2016-01-18T06:40:56Z", "one\r\ntwo\rthree", "ann@acme.com"));

        using var response = await archive.PostAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-18"), ("to", "2016-01-18"), ("data_type", "XML")));

        var message = ParseStrictly(await response.Content.ReadAsByteArrayAsync()).Descendants("message").Single().Value;
        Assert.Equal("one\r\ntwo\rthree", message);
    }

    // SQLite only: PostgreSQL's text cannot hold a lone surrogate, and the importer refuses one.
    [Fact]
    public async Task Xml_drops_a_lone_surrogate_stored_in_a_message()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await using (var import = await archive.Store.BeginImportAsync(CancellationToken.None))
        {
            // Past the importer, which refuses such text: straight into the store.
            var keys = new ImportKeys();
            keys.Accounts.Add("acme");
            var held = await import.ReadStoredAsync(keys);
            var accountId = held.Accounts["acme"];
            var stamp = new DateTimeOffset(2016, 1, 18, 6, 40, 56, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var changes = new ImportChanges();
            changes.Sessions.Add(new NewSession(held.NextSessionId, accountId, "s", "Group", "Lone \uDC00 group"));
            changes.Messages.Add(new NewMessage(held.NextArrival, accountId, held.NextSessionId, null, null, stamp, "high \uD800 low \uDC00 pair \U0001F600 \u0002"));
            await import.WriteAsync(changes, CancellationToken.None);
            await import.CommitAsync(CancellationToken.None);
        }

        var form = acme.With(("session_id", "s"), ("from", "2016-01-18"), ("to", "2016-01-18"));
        using var xmlResponse = await archive.PostAsync(Get, form.Append(new("data_type", "XML")));
        var json = await archive.PostJsonAsync(Get, form);

        var document = ParseStrictly(await xmlResponse.Content.ReadAsByteArrayAsync());
        var stored = json.GetProperty("chat_messages")[0].GetProperty("message").GetString()!;
        Assert.Equal(WithoutXmlForbidden(stored), document.Descendants("message").Single().Value);
        Assert.Equal(WithoutXmlForbidden(json.GetProperty("group_name").GetString()!), document.Root!.Element("group_name")!.Value);
        Assert.DoesNotContain('\uD800', document.ToString());
    }

    [StoreFact]
    public void Xml_text_drops_lone_surrogates_and_forbidden_characters()
    {
        // A [Fact], not a [Theory]: xunit's theory data would turn a lone surrogate into U+FFFD before the test ran.
        Assert.Equal("high  end", ChatResponseWriter.XmlText("high \uD800 end"));
        Assert.Equal("low  end", ChatResponseWriter.XmlText("low \uDC00 end"));
        Assert.Equal(string.Empty, ChatResponseWriter.XmlText("\uDC00\uD800"));
        Assert.Equal("end ", ChatResponseWriter.XmlText("end \uD800"));
        Assert.Equal("\uD83D\uDE00", ChatResponseWriter.XmlText("\uD800\uD83D\uDE00\uDE00"));
        Assert.Equal("pair \uD83D\uDE00 kept", ChatResponseWriter.XmlText("pair \uD83D\uDE00 kept"));
        Assert.Equal("tab\tnl\ncr\r\uFFFD", ChatResponseWriter.XmlText("\u0002\u0000tab\tnl\ncr\r\uFFFE\uFFFF\uFFFD"));
        Assert.Equal("plain", ChatResponseWriter.XmlText("plain"));
    }

    [StoreFact]
    public async Task Xml_error_escapes_markup_and_drops_control_characters_in_an_echoed_value()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", "<b>&amp;\u0002\"é"), ("to", "2016-01-22"), ("data_type", "XML")));

        reply.AssertXml(
            HttpStatusCode.OK,
            ApiReply.XmlDeclaration + "<error><code>300</code><message>Invalid from: '&lt;b&gt;&amp;amp;\"é'. Use yyyy-MM-dd or an ISO 8601 date-time.</message></error>");
        Assert.Equal("Invalid from: '<b>&amp;\"é'. Use yyyy-MM-dd or an ISO 8601 date-time.", ParseStrictly(Encoding.UTF8.GetBytes(reply.Body)).Root!.Element("message")!.Value);
    }

    [StoreFact]
    public async Task Empty_list_answers_xml_with_an_empty_chat_list()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");

        var reply = await archive.PostFormAsync(List, acme.With(("from", "2016-01-16"), ("to", "2016-01-22"), ("data_type", "XML")));

        reply.AssertXml(
            HttpStatusCode.OK,
            ApiReply.XmlDeclaration
            + "<chat_list_response><from>2016-01-16T00:00:00.000Z</from><to>2016-01-22T00:00:00.000Z</to><page_size>30</page_size><page_count>0</page_count><next_page_token /><chat_list /></chat_list_response>");
        Assert.Empty(ParseStrictly(Encoding.UTF8.GetBytes(reply.Body)).Root!.Element("chat_list")!.Elements());
    }

    [StoreFact]
    public async Task Xml_is_utf8_without_a_byte_order_mark()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("s", "2016-01-18T06:40:56Z", "é", "ann@acme.com"));

        using var response = await archive.PostAsync(Get, acme.With(("session_id", "s"), ("from", "2016-01-18"), ("to", "2016-01-18"), ("data_type", "XML")));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal((byte)'<', bytes[0]);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Contains("<message>\u00E9</message>", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.True(bytes.AsSpan().IndexOf("<message>\u00E9</message>"u8) >= 0);
    }

    [StoreFact]
    public async Task Page_token_from_a_json_page_continues_in_xml()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("s", "2016-01-18T01:00:00Z", "one", "ann@acme.com"),
            Lines.Message("s", "2016-01-18T02:00:00Z", "two", "ann@acme.com"));
        var form = acme.With(("session_id", "s"), ("from", "2016-01-18"), ("to", "2016-01-18"), ("page_size", "1"));
        var first = await archive.PostJsonAsync(Get, form);

        var second = await archive.PostFormAsync(Get, form.Append(new("next_page_token", first.GetProperty("next_page_token").GetString()!)).Append(new("data_type", "XML")));

        // data_type is not part of the query a token is bound to (docs/api.md#paging-and-page-tokens).
        Assert.Equal("two", ParseStrictly(Encoding.UTF8.GetBytes(second.Body)).Descendants("message").Single().Value);
    }

    /// <summary>Parses with every check on: a document that is not well-formed XML 1.0 fails here.</summary>
    private static XDocument ParseStrictly(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { CheckCharacters = true, DtdProcessing = DtdProcessing.Prohibit, ConformanceLevel = ConformanceLevel.Document });
        return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
    }

    /// <summary>The element names and texts of the XML follow the JSON keys and values, in order.</summary>
    private static void AssertXmlMirrorsJson(string xml, string root, string json)
    {
        var document = ParseStrictly(Encoding.UTF8.GetBytes(xml));
        Assert.Equal(root, document.Root!.Name.LocalName);
        AssertMirrors(document.Root, JsonDocument.Parse(json).RootElement);
    }

    private static void AssertMirrors(XElement element, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = value.EnumerateObject().ToList();
                var children = element.Elements().ToList();
                Assert.Equal(properties.Select(p => p.Name), children.Select(c => c.Name.LocalName));
                for (var i = 0; i < properties.Count; i++)
                {
                    AssertMirrors(children[i], properties[i].Value);
                }

                break;
            case JsonValueKind.Array:
                var items = value.EnumerateArray().ToList();
                var repeated = element.Elements().ToList();
                Assert.Equal(items.Count, repeated.Count);
                Assert.Single(repeated.Select(r => r.Name.LocalName).Distinct());
                for (var i = 0; i < items.Count; i++)
                {
                    AssertMirrors(repeated[i], items[i]);
                }

                break;
            default:
                Assert.Equal(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(), element.Value);
                break;
        }
    }

    /// <summary>The text without what XML 1.0 cannot carry: lone surrogates and forbidden control characters.</summary>
    private static string WithoutXmlForbidden(string text)
    {
        var kept = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(text, i, 2);
                i++;
            }
            else if (!char.IsSurrogate(text[i]) && XmlConvert.IsXmlChar(text[i]))
            {
                kept.Append(text[i]);
            }
        }

        return kept.ToString();
    }
}
