using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace ZoomChat.Tests.Fuzzing;

/// <summary>How an answer stands against the contract.</summary>
internal enum AnswerKind
{
    /// <summary>A page of <c>chat/list</c> or <c>chat/get</c> in its documented schema, or the health check.</summary>
    Success,

    /// <summary>The error envelope, exactly as docs/api.md#errors describes it.</summary>
    Error,

    /// <summary>Refused by the HTTP server before ZoomChat saw it (docs/api.md#size-limits): a request HTTP forbids.</summary>
    Refused,

    /// <summary>Anything else: a 5xx, a hang, a body outside the envelope, a secret echoed.</summary>
    Violation,
}

internal sealed record Verdict(AnswerKind Kind, string? Violation = null);

/// <summary>
/// The invariants every answer of the API keeps, whatever was asked (docs/api.md#responses, docs/api.md#errors):
/// never a 5xx or a hang, every error in the envelope in the format asked for with the documented code,
/// message and HTTP status, every success in its documented schema, and no secret ever sent back.
/// </summary>
internal static partial class ApiContract
{
    private static readonly HashSet<string> AllowedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Content-Type", "Date", "Allow", "Retry-After", "Connection", "Transfer-Encoding",
    };

    private static readonly HashSet<string> FixedMessages300 =
    [
        "Request body too large.", "Request body arrived too slowly.", "The request body is not a valid form.",
        "data_type must be JSON or XML.", "Api key and secret are required.", "The to date must not be earlier than the from date.",
        "page_size must be an integer from 1 to 30.", "The next page token is invalid or expired.",
    ];

    /// <summary>Errors answered in JSON whatever was asked (docs/api.md#every-error, column "format").</summary>
    private static readonly HashSet<string> JsonOnlyMessages =
    [
        "Not found.", "Method not allowed. Use POST.", "Request body too large.", "Request body arrived too slowly.",
        "The request body is not a valid form.", "data_type must be JSON or XML.", "data_type is given more than once.",
    ];

    public static Verdict Judge(FuzzRequest request, FuzzAnswer answer, bool httpErrorStatus)
    {
        if (answer.Status == FuzzAnswer.Hang.Status)
        {
            return Violated("no answer within the time limit");
        }

        if (answer.Status == FuzzAnswer.Closed.Status || answer.Status == 0)
        {
            return request.MayBeRefusedByHttpServer ? new Verdict(AnswerKind.Refused) : Violated($"no valid answer: {answer}");
        }

        if (answer.Status >= 500)
        {
            return Violated($"HTTP {answer.Status}");
        }

        var text = Encoding.UTF8.GetString(answer.Body);
        foreach (var secret in request.Secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal) || answer.Headers.Any(h => h.Value.Contains(secret, StringComparison.Ordinal)))
            {
                return Violated("a secret or access token sent back");
            }
        }

        if (IsViewerPath(request.Target) && answer.Header("Content-Security-Policy") is not null)
        {
            return JudgeViewer(answer);
        }

        if (answer.Headers.FirstOrDefault(h => !AllowedHeaders.Contains(h.Key)) is { Key: { } unexpected })
        {
            return Violated($"unexpected response header '{unexpected}'");
        }

        var contentType = answer.Header("Content-Type");
        if (answer.Body.Length == 0 && contentType is null)
        {
            // Kestrel's own refusals have no body (docs/api.md#size-limits).
            return answer.Status is 400 or 408 or 413 or 414 or 431 && request.MayBeRefusedByHttpServer
                ? new Verdict(AnswerKind.Refused)
                : Violated($"HTTP {answer.Status} with an empty body for a request HTTP allows");
        }

        if (request.IsHead)
        {
            return answer.Status is 404 or 405 && contentType == "application/json" ? new Verdict(AnswerKind.Error) : Violated("HEAD answered other than 404 or 405");
        }

        if (answer.Body.AsSpan().StartsWith("\uFEFF"u8) || text.EndsWith('\n'))
        {
            return Violated("a byte order mark or a line end around the body");
        }

        return contentType switch
        {
            "application/json" => JudgeJson(request, answer, text, httpErrorStatus),
            "application/xml" => JudgeXml(request, answer, text, httpErrorStatus),
            _ => Violated($"Content-Type '{contentType}'"),
        };
    }

    /// <summary>
    /// Whether the target is one of the web viewer's paths, which answer pages, not the API's envelope
    /// (docs/compatibility.md#the-web-viewer): <c>/</c>, <c>/signin</c>, <c>/signout</c>, <c>/sessions...</c>,
    /// <c>/search...</c> and <c>/viewer/...</c>.
    /// </summary>
    private static bool IsViewerPath(byte[] target)
    {
        var text = Encoding.Latin1.GetString(target);
        var path = text[..(text.IndexOfAny(['?', '#']) is var end and >= 0 ? end : text.Length)];
        return path is "/" or "/signin" or "/signout" or "/sessions" or "/search"
            || path.StartsWith("/sessions/", StringComparison.Ordinal)
            || path.StartsWith("/search/", StringComparison.Ordinal)
            || path.StartsWith("/viewer/", StringComparison.Ordinal);
    }

    /// <summary>
    /// A viewer answer to a request without a viewer session (the generator sends none): a redirect to the
    /// sign-in page, the sign-in page or its refusal, or a method or path the viewer does not have; never
    /// cacheable (docs/viewer.md#security).
    /// </summary>
    private static Verdict JudgeViewer(FuzzAnswer answer) =>
        answer.Status is 200 or 302 or 303 or 400 or 403 or 404 or 405 && answer.Header("Cache-Control") == "no-store"
            ? new Verdict(AnswerKind.Error)
            : Violated($"a viewer answer HTTP {answer.Status}, Cache-Control '{answer.Header("Cache-Control")}'");

    private static Verdict JudgeJson(FuzzRequest request, FuzzAnswer answer, string text, bool httpErrorStatus)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Violated($"JSON that does not parse: {e.Message}");
        }

        if (text.Contains('\n', StringComparison.Ordinal))
        {
            return Violated("JSON on more than one line");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Violated("a JSON body that is not an object");
        }

        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        if (keys.Count == 1 && keys[0] == "error")
        {
            var error = root.GetProperty("error");
            if (error.ValueKind != JsonValueKind.Object
                || !error.EnumerateObject().Select(p => p.Name).SequenceEqual(["code", "message"])
                || error.GetProperty("code").ValueKind != JsonValueKind.Number
                || !error.GetProperty("code").TryGetInt32(out var code)
                || error.GetProperty("message").ValueKind != JsonValueKind.String)
            {
                return Violated("an error body that is not the envelope {\"error\":{\"code\":N,\"message\":\"…\"}}");
            }

            return JudgeError(request, answer, code, error.GetProperty("message").GetString()!, xml: false, httpErrorStatus);
        }

        if (text == """{"status":"ok"}""" && request.Method == "GET")
        {
            return answer.Status == 200 ? new Verdict(AnswerKind.Success) : Violated("the health answer with another status");
        }

        if (answer.Status != 200 || request.Asks == AskedFormat.Xml)
        {
            return Violated($"a JSON page with HTTP {answer.Status} for a request asking {request.Asks}");
        }

        return JsonPage(root, keys) is { } problem ? Violated(problem) : new Verdict(AnswerKind.Success);
    }

    private static string? JsonPage(JsonElement root, List<string> keys)
    {
        string[] list = ["from", "to", "page_size", "page_count", "next_page_token", "chat_list"];
        string[] get = ["session_id", "group_name", "from", "to", "page_size", "page_count", "next_page_token", "chat_messages"];
        string[] session = ["session_id", "type", "participants", "group_name", "last_message_send_time"];
        string[] message = ["message", "sender", "date_time"];
        var isList = keys.SequenceEqual(list);
        if (!isList && !keys.SequenceEqual(get))
        {
            return $"a JSON body with keys {string.Join(",", keys)}";
        }

        foreach (var property in root.EnumerateObject())
        {
            var isNumber = property.Name is "page_size" or "page_count";
            var isArray = property.Name is "chat_list" or "chat_messages";
            var expected = isNumber ? JsonValueKind.Number : isArray ? JsonValueKind.Array : JsonValueKind.String;
            if (property.Value.ValueKind != expected)
            {
                return $"'{property.Name}' is {property.Value.ValueKind}";
            }

            if (property.Name is "from" or "to" && !Time(property.Value.GetString()!))
            {
                return $"'{property.Name}' is not in the response time form";
            }
        }

        var pageSize = root.GetProperty("page_size").GetInt32();
        var items = root.GetProperty(isList ? "chat_list" : "chat_messages");
        if (pageSize is < 1 or > 30 || root.GetProperty("page_count").GetInt32() < 0 || items.GetArrayLength() > pageSize)
        {
            return "page_size, page_count or the number of items out of range";
        }

        if (root.GetProperty("next_page_token").GetString() is { Length: > 0 } token && !TokenPattern().IsMatch(token))
        {
            return "a next_page_token that is not URL-safe base64";
        }

        foreach (var item in items.EnumerateArray())
        {
            var names = item.ValueKind == JsonValueKind.Object ? item.EnumerateObject().Select(p => p.Name).ToList() : [];
            if (!names.SequenceEqual(isList ? session : message) || item.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
            {
                return "an item outside the documented schema";
            }

            if (!Time(item.GetProperty(isList ? "last_message_send_time" : "date_time").GetString()!)
                || (isList && item.GetProperty("type").GetString() is not ("Group" or "1:1")))
            {
                return "an item's time or type outside the documented forms";
            }
        }

        return null;
    }

    private static Verdict JudgeXml(FuzzRequest request, FuzzAnswer answer, string text, bool httpErrorStatus)
    {
        const string declaration = """<?xml version="1.0" encoding="UTF-8"?>""";
        if (!text.StartsWith(declaration, StringComparison.Ordinal))
        {
            return Violated("XML without its declaration");
        }

        XElement root;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(answer.Body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            root = XDocument.Load(reader).Root!;
        }
        catch (XmlException e)
        {
            return Violated($"XML that does not parse: {e.Message}");
        }

        if (root.Attributes().Any() || root.Descendants().Any(e => e.Attributes().Any()))
        {
            return Violated("XML with attributes");
        }

        if (root.Name == "error")
        {
            var children = root.Elements().ToList();
            if (children.Count != 2 || children[0].Name != "code" || children[1].Name != "message"
                || !int.TryParse(children[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                return Violated("an XML error that is not <error><code/><message/></error>");
            }

            return JudgeError(request, answer, code, children[1].Value, xml: true, httpErrorStatus);
        }

        if (answer.Status != 200 || request.Asks == AskedFormat.Json)
        {
            return Violated($"an XML page with HTTP {answer.Status} for a request asking {request.Asks}");
        }

        return XmlPage(root) is { } problem ? Violated(problem) : new Verdict(AnswerKind.Success);
    }

    private static string? XmlPage(XElement root)
    {
        string[] list = ["from", "to", "page_size", "page_count", "next_page_token", "chat_list"];
        string[] get = ["session_id", "group_name", "from", "to", "page_size", "page_count", "next_page_token", "chat_messages"];
        var (expected, itemsName, itemName, itemKeys) = root.Name.LocalName switch
        {
            "chat_list_response" => (list, "chat_list", "session", new[] { "session_id", "type", "participants", "group_name", "last_message_send_time" }),
            "chat_get_response" => (get, "chat_messages", "message_item", new[] { "message", "sender", "date_time" }),
            _ => (Array.Empty<string>(), string.Empty, string.Empty, Array.Empty<string>()),
        };
        if (expected.Length == 0 || !root.Elements().Select(e => e.Name.LocalName).SequenceEqual(expected))
        {
            return $"an XML page named {root.Name} with elements {string.Join(",", root.Elements().Select(e => e.Name.LocalName))}";
        }

        if (!int.TryParse(root.Element("page_size")!.Value, System.Globalization.CultureInfo.InvariantCulture, out var pageSize) || pageSize is < 1 or > 30
            || !Time(root.Element("from")!.Value) || !Time(root.Element("to")!.Value))
        {
            return "page_size, from or to outside the documented forms";
        }

        var items = root.Element(itemsName)!.Elements().ToList();
        if (items.Count > pageSize || items.Any(i => i.Name != itemName || !i.Elements().Select(e => e.Name.LocalName).SequenceEqual(itemKeys)))
        {
            return "an XML item outside the documented schema";
        }

        return null;
    }

    private static Verdict JudgeError(FuzzRequest request, FuzzAnswer answer, int code, string message, bool xml, bool httpErrorStatus)
    {
        if (!MessageFits(code, message))
        {
            return Violated($"code {code} with a message the contract does not list: '{message}'");
        }

        var jsonOnly = JsonOnlyMessages.Contains(message);
        if (xml && jsonOnly)
        {
            return Violated($"'{message}' in XML: docs/api.md#every-error answers it in JSON");
        }

        if (!jsonOnly && request.Asks != AskedFormat.Unknown && (request.Asks == AskedFormat.Xml) != xml)
        {
            return Violated($"an error in {(xml ? "XML" : "JSON")} for a request asking {request.Asks}");
        }

        var status = (code, message) switch
        {
            (404, _) => 404,
            (405, _) => 405,
            (300, "Request body too large.") => 413,
            (300, "Request body arrived too slowly.") => 408,
            _ when !httpErrorStatus => 200,
            (300, _) => 400,
            (102 or 124, _) => 401,
            (403, _) => 429,
            _ => 404,
        };
        if (answer.Status != status)
        {
            return Violated($"code {code} with HTTP {answer.Status}, not {status}");
        }

        if (code == 405 && answer.Header("Allow") != "POST")
        {
            return Violated("405 without Allow: POST");
        }

        return new Verdict(AnswerKind.Error);
    }

    private static bool MessageFits(int code, string message) => code switch
    {
        300 => FixedMessages300.Contains(message)
            || GivenTwiceOrRequired().IsMatch(message)
            || InvalidDate().IsMatch(message)
            || RangeTooLong().IsMatch(message),
        102 => message == "You app key and secret doesn't match.",
        124 => message == "Invalid access token.",
        403 => message == "Sorry, the maximum number of api requests are already reached. Please try later.",
        404 => message == "Not found.",
        405 => message == "Method not allowed. Use POST.",
        1001 => UnknownUser().IsMatch(message),
        3001 => UnknownSession().IsMatch(message),
        _ => false,
    };

    private static bool Time(string value) => TimePattern().IsMatch(value);

    private static Verdict Violated(string what) => new(AnswerKind.Violation, what);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex TimePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^(data_type|api_key|api_secret|access_token|session_id|email|from|to|page_size|next_page_token) is (given more than once|required)\.$")]
    private static partial Regex GivenTwiceOrRequired();

    [GeneratedRegex(@"^Invalid (from|to): '.{0,64}'\. Use yyyy-MM-dd or an ISO 8601 date-time\.$", RegexOptions.Singleline)]
    private static partial Regex InvalidDate();

    [GeneratedRegex(@"^The date range must not exceed \d+ days\.$")]
    private static partial Regex RangeTooLong();

    [GeneratedRegex(@"^User .{0,64} not exist or not belong to this account\.$", RegexOptions.Singleline)]
    private static partial Regex UnknownUser();

    [GeneratedRegex(@"^Chat session not found: .{0,64}\.$", RegexOptions.Singleline)]
    private static partial Regex UnknownSession();
}
