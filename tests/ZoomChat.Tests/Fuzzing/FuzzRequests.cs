using System.Globalization;
using System.Text;
using CsCheck;

namespace ZoomChat.Tests.Fuzzing;

/// <summary>
/// The generator of whole requests to the v1 API (docs/api.md): every parameter of <c>chat/list</c> and
/// <c>chat/get</c>, in the query string, a url-encoded or multipart body or both, valid most of the time
/// and hostile the rest (odd numbers and dates, invalid UTF-8 and percent-encodings, control characters,
/// long values, parameters given twice, wrong content types, other methods and paths, header injection,
/// forged and moved page tokens). The one generator of the suite and of bench/fuzz.sh.
/// </summary>
internal static class FuzzRequests
{
    private const string FormType = "application/x-www-form-urlencoded";

    public static Gen<FuzzRequest> For(FuzzTarget target) => Gen.Frequency(
        (66, ChatRequest(target)),
        (14, Continuation(target)),
        (10, OddRequest(target)),
        (10, HostileFraming(target)));

    private enum Placement
    {
        Query,
        Body,
        Both,
    }

    private enum BodyKind
    {
        None,
        Form,
        Multipart,
        BrokenMultipart,
        Json,
        TextPlain,
        OddType,
    }

    /// <summary>One parameter occurrence. A raw value is written as it is, percent signs included; others are encoded.</summary>
    private sealed record Param(string Name, string Value, bool Raw, Placement Where);

    /// <summary>Everything a request is assembled from.</summary>
    private sealed record Draft(
        string Method,
        string Path,
        IReadOnlyList<Param> Parameters,
        BodyKind Body,
        string OddContentType,
        IReadOnlyList<KeyValuePair<string, byte[]>> Headers,
        bool Chunked,
        bool MayBeRefused,
        string RawTargetSuffix = "",
        bool FormatUnknown = false);

    private static Gen<FuzzRequest> ChatRequest(FuzzTarget target) =>
        from endpoint in Gen.OneOf("list", "get")
        from draft in ChatDraft(target, endpoint)
        select Assemble(draft, target);

    private static Gen<Draft> ChatDraft(FuzzTarget target, string endpoint) =>
        from path in Gen.Frequency(
            (85, Gen.Const($"/v1/chat/{endpoint}")),
            (15, Gen.OneOf($"/V1/CHAT/{endpoint.ToUpperInvariant()}", $"/v1/chat/{endpoint}/", $"/v1/Chat/{endpoint}", $"/v1/chat/{endpoint}%2F", $"/v1/chat/%6{(endpoint == "list" ? "C" : "7")}{endpoint[1..]}", $"/v1/./chat/{endpoint}", $"//v1/chat/{endpoint}", $"/v1/chat/{endpoint};x=1")))
        from method in Method
        from parameters in Parameters(target, endpoint)
        from body in Body
        from oddType in OddContentType
        from headers in ExtraHeaders(target)
        from chunked in Gen.Frequency((92, Gen.Const(false)), (8, Gen.Const(true)))
        select new Draft(method, path, parameters, body, oddType, headers, chunked, MayBeRefused: false);

    private static Gen<string> Method => Gen.Frequency(
        (88, Gen.Const("POST")),
        (12, Gen.OneOf("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post", "Post", "FOO", "PROPFIND", "M-SEARCH")));

    private static Gen<BodyKind> Body => Gen.Frequency(
        (50, Gen.Const(BodyKind.Form)),
        (14, Gen.Const(BodyKind.Multipart)),
        (14, Gen.Const(BodyKind.None)),
        (3, Gen.Const(BodyKind.BrokenMultipart)),
        (8, Gen.Const(BodyKind.Json)),
        (4, Gen.Const(BodyKind.TextPlain)),
        (7, Gen.Const(BodyKind.OddType)));

    private static Gen<string> OddContentType => Gen.OneOf(
        FormType + "; charset=utf-16",
        FormType + "; charset=bogus-charset",
        FormType + ";;;=",
        "APPLICATION/X-WWW-FORM-URLENCODED",
        FormType + "; charset=\"utf-8",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=" + new string('b', 200),
        "multipart/mixed; boundary=xyz",
        "application/xml",
        "text/html; charset=utf-8",
        "*/*",
        "",
        "application/x-www-form-urlencoded\u00e9");

    /// <summary>The parameters of one call: each defined one zero to two times, plus ones the endpoint ignores.</summary>
    private static Gen<IReadOnlyList<Param>> Parameters(FuzzTarget target, string endpoint)
    {
        var names = new List<(string Name, Gen<string> Value)>
        {
            ("api_key", Gen.Frequency((86, Gen.Const(target.Caller.ApiKey)), (4, Gen.Const(target.Other.ApiKey)), (10, Hostile))),
            ("api_secret", Gen.Frequency((86, Gen.Const(target.Caller.ApiSecret)), (4, Gen.Const(target.Other.ApiSecret)), (10, Hostile))),
            ("access_token", Gen.Frequency((82, Gen.Const(target.Caller.AccessToken)), (6, Gen.Const(target.Other.AccessToken)), (12, Hostile))),
            ("from", DateValue),
            ("to", DateValue),
            ("page_size", PageSize),
            ("next_page_token", PageToken(target)),
            ("data_type", DataType),
        };
        names.Add(endpoint == "list"
            ? ("email", Gen.Frequency((70, Gen.OneOf(FuzzArchive.Emails(target.Caller.Account).Concat(["ANN@FUZZ.TEST", "nobody@fuzz.test", $"{target.Other.Account}@fuzz.test"]).ToArray())), (30, Hostile)))
            : ("session_id", Gen.Frequency((75, Gen.OneOf(FuzzArchive.SessionIds(target.Caller.Account).Concat(FuzzArchive.SessionIds(target.Other.Account)).Distinct().Concat(["SHARED-GROUP", "shared-group "]).ToArray())), (25, Hostile))));

        var occurrences = names.Select(n => Occurrences(n.Name, n.Value, n.Name is "next_page_token" or "email" ? 55 : n.Name is "page_size" or "data_type" ? 45 : 4)).ToArray();
        return from sets in Gen.Select(occurrences[0], occurrences[1], occurrences[2], occurrences[3], occurrences[4], occurrences[5], occurrences[6], occurrences[7], occurrences[8], (a, b, c, d, e, f, g, h, i) => new[] { a, b, c, d, e, f, g, h, i })
               from ignored in Gen.Frequency((70, Gen.Const(Array.Empty<Param>())), (30, Ignored))
               from order in Gen.Int[0, 3]
               select (IReadOnlyList<Param>)Shuffle(sets.SelectMany(s => s).Concat(ignored).ToList(), order);
    }

    private static List<Param> Shuffle(List<Param> parameters, int order) => order switch
    {
        1 => [.. Enumerable.Reverse(parameters)],
        2 => [.. parameters.OrderBy(p => p.Name, StringComparer.Ordinal)],
        _ => parameters,
    };

    /// <summary>Zero, one or two occurrences of a parameter, its name in any case.</summary>
    private static Gen<Param[]> Occurrences(string name, Gen<string> value, int absentWeight) =>
        from count in Gen.Frequency((absentWeight, Gen.Const(0)), (100 - absentWeight - 8, Gen.Const(1)), (4, Gen.Const(-1)), (4, Gen.Const(2)))
        from spelling in Gen.Frequency((90, Gen.Const(name)), (5, Gen.Const(name.ToUpperInvariant())), (5, Gen.Const(char.ToUpperInvariant(name[0]) + name[1..])))
        from first in value
        from second in value
        from raw in RawValue
        from useRaw in Gen.Frequency((95, Gen.Const(false)), (5, Gen.Const(name != "data_type")))
        from places in Gen.Select(Placements, Placements)
        let place1 = places.Item1
        let place2 = places.Item2
        select (Param[])(count switch
        {
            0 => [],
            1 => [useRaw ? new Param(spelling, raw, true, place1) : new Param(spelling, first, false, place1)],
            // An empty occurrence beside a real one: docs/api.md#parameters drops it.
            -1 => [new Param(spelling, first, false, place1), new Param(name, string.Empty, false, place2)],
            _ => [new Param(spelling, first, false, place1), new Param(name, second, false, place2)],
        });

    private static Gen<Placement> Placements => Gen.Frequency((68, Gen.Const(Placement.Body)), (28, Gen.Const(Placement.Query)), (4, Gen.Const(Placement.Both)));

    private static Gen<Param[]> Ignored =>
        from count in Gen.Int[1, 3]
        from name in Gen.OneOf("foo", "session_id", "email", "api_key ", "data_type[]", "callback", "__proto__", "api%5Fkey")
        from value in Hostile
        from place in Placements
        select Enumerable.Repeat(new Param(name, value, false, place), count).ToArray();

    /// <summary>Values that mean nothing to the API, each chosen to trip a parser or an encoder.</summary>
    private static readonly Gen<string> Hostile = Gen.Frequency(
        (30, Gen.OneOf(
            "", " ", "\t", "null", "undefined", "true", "0", "-1", "NaN", "Infinity", "1e309", "-0",
            "99999999999999999999999999999999999999", "-9223372036854775809", "0x7fffffff", "١٢٣", "１２",
            "' OR '1'='1' --", "\"; DROP TABLE messages; --", "]]><x>&amp;</x>", "\"}]}", "<?xml?>", "&lt;",
            "%", "%%", "%G1", "+", "&", "=", "?", "#", "/", "\\", "..", "../../etc/passwd",
            "x\r\nSet-Cookie: injected=1", "x\nX-Injected: 1", "\r\n\r\nHTTP/1.1 200 OK", "a\u0000b", "\u0000",
            "\u0001\u0002\u001f\u007f", "\u0085\u2028\u2029", "\ufeff", "\ufffe\uffff", "\ud800", "\udc00x", "🙏", "é", "\u202e",
            "%00", "%0d%0a", "admin@example.com", "ANN@FUZZ.TEST")),
        (25, Gen.String),
        (10, Gen.String[0, 300]),
        (15, from c in Gen.Char[(char)0, (char)0x7f] from n in Gen.Int[1, 40] select new string(c, n)),
        (8, from c in Gen.OneOf('x', 'é', '☕', '9', '%') from n in Gen.Int[65, 5000] select new string(c, n)),
        (2, from n in Gen.Int[20_000, 300_000] select new string('z', n)),
        (10, from n in Gen.Long select n.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Written into a body or query as it is: broken and surprising percent-encodings.</summary>
    private static Gen<string> RawValue => Gen.OneOf(
        "%FF", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%C0%AF", "%E2%82", "%", "%4", "%zz", "%%41", "+%2B+", "%00", "a%0D%0Ab",
        "%u0041", "%25", "caf%C3%A9", "%F0%9F%99%8F", "x+y", "%2B02:00", "2016-01-18T08:00%2B02:00", "2016-01-18T08:00+02:00");

    private static Gen<string> DataType => Gen.Frequency(
        (45, Gen.OneOf("JSON", "json", "Json")),
        (45, Gen.OneOf("XML", "xml", "xMl")),
        (10, Gen.OneOf("csv", "jsonp", "XML ", " xml", "X M L", "application/xml", "ＸＭＬ", "xml\u0000")));

    private static Gen<string> PageSize => Gen.Frequency(
        (55, from n in Gen.Int[1, 30] select n.ToString(CultureInfo.InvariantCulture)),
        (15, Gen.OneOf("007", "045", "31", "500", "2147483648", "99999999999999999999999999", new string('9', 5000), "000000000000000000001")),
        (30, Gen.OneOf("0", "00", "-1", "+1", " 1", "1 ", "1.0", "1e1", "0x10", "١", "１", "1,5", "-0", "")));

    private static Gen<string> DateValue => Gen.Frequency(
        (45, ValidDate),
        (15, Gen.OneOf(
            "0001-01-01", "9999-12-31", "0001-01-01T00:00Z", "9999-12-31T23:59:59.999Z", "0001-01-01T00:00+00:01",
            "9999-12-31T23:59-00:01", "0001-01-01T00:00-23:59", "9999-12-31T23:59:59.999+23:59", "1970-01-01T00:00:00Z",
            "2016-01-18T00:00:00." + new string('9', 200) + "Z", "2016-01-18T00:00:00." + new string('0', 5000) + "1")),
        (40, Gen.OneOf(
            "2016-02-30", "2016-13-01", "2016-00-10", "2016-01-32", "2016-01-18T24:00", "2016-01-18T23:60", "2016-01-18T08:00:60",
            "2016-01-18T08:00.5", "2016-01-18 08:00", "2016-W03-5", "2016-018", "2016-01", "16-01-18", "+002016-01-18", "-2016-01-18",
            "2016-01-18T08:00+24:00", "2016-01-18T08:00+99:99", "2016-01-18T08:00+0", "2016-01-18T08:00Z ", " 2016-01-18",
            "２０１６-01-18", "2016-01-18T08:00,5", "10000-01-01", "0000-01-01", "2016-01-18T", "2016-01-18t08:00z",
            "1453420800", "now", "2016-01-18T08:00:00.5-05:30", "2016-01-18T08:00:00Z\u0000")));

    private static Gen<string> ValidDate =>
        from day in Gen.Int[16, 22]
        from hour in Gen.Int[0, 23]
        from minute in Gen.Int[0, 59]
        from form in Gen.Int[0, 5]
        from offset in Gen.OneOf("Z", "z", "+02:00", "-0530", "+23:59", "-23:59", "")
        select form switch
        {
            0 or 1 => $"2016-01-{day:00}",
            2 => $"2016-01-{day:00}T{hour:00}:{minute:00}{offset}",
            3 => $"2016-01-{day:00}T{hour:00}:{minute:00}:07{offset}",
            4 => $"2016-01-{day:00}T{hour:00}:{minute:00}:07.123456789{offset}",
            _ => $"2016-01-{day:00}t{hour:00}:{minute:00}:07.5{offset.ToLowerInvariant()}",
        };

    /// <summary>Real tokens of both accounts, as they are or altered, and forgeries.</summary>
    private static Gen<string> PageToken(FuzzTarget target)
    {
        var real = target.CallerTokens.Concat(target.OtherTokens).Select(t => t.Token).ToArray();
        return Gen.Frequency(
            (40, Gen.OneOf(real)),
            (35, from token in Gen.OneOf(real) from at in Gen.Int[0, 1000] from mutation in Gen.Int[0, 8] select Mutate(token, at, mutation)),
            (15, from bytes in Gen.Byte.Array[0, 200] select Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')),
            (10, Hostile));
    }

    private static string Mutate(string token, int at, int mutation)
    {
        var i = at % token.Length;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return mutation switch
        {
            0 => token[..i] + alphabet[(alphabet.IndexOf(token[i], StringComparison.Ordinal) + 1) % alphabet.Length] + token[(i + 1)..],
            1 => token[..i],
            2 => token + "A",
            3 => token + "==",
            4 => token.Replace('-', '+').Replace('_', '/'),
            5 => token + token,
            6 => " " + token,
            7 => token.ToUpperInvariant(),
            _ => token[..i] + token[(i + 1)..],
        };
    }

    private static Gen<IReadOnlyList<KeyValuePair<string, byte[]>>> ExtraHeaders(FuzzTarget target) =>
        from count in Gen.Frequency((60, Gen.Const(0)), (30, Gen.Const(1)), (10, Gen.Const(2)))
        from headers in Gen.OneOf(
            Header("Accept", "application/xml"),
            Header("Accept", "text/html, */*;q=0.1"),
            Header("Accept-Charset", "utf-16"),
            Header("Authorization", "Bearer " + target.Caller.AccessToken),
            Header("Cookie", "api_secret=" + target.Caller.ApiSecret),
            Header("X-Forwarded-For", "10.0.0.1, 999.999.999.999"),
            Header("X-HTTP-Method-Override", "GET"),
            Header("Origin", "https://evil.example"),
            Header("Accept-Encoding", "gzip, br, deflate"),
            Header("Connection", "close"),
            Header("Content-Language", "é")).Array[count]
        select (IReadOnlyList<KeyValuePair<string, byte[]>>)headers;

    private static Gen<KeyValuePair<string, byte[]>> Header(string name, string value) =>
        Gen.Const(new KeyValuePair<string, byte[]>(name, Encoding.UTF8.GetBytes(value)));

    /// <summary>The next page of a real traversal, by its own account or moved to the other, in either format.</summary>
    private static Gen<FuzzRequest> Continuation(FuzzTarget target) =>
        from own in Gen.Frequency((75, Gen.Const(true)), (25, Gen.Const(false)))
        from harvested in Gen.OneOf((own ? target.CallerTokens : target.OtherTokens).ToArray())
        from xml in Gen.Bool
        from change in Gen.Frequency((80, Gen.Const(-1)), (20, Gen.Int[0, 3]))
        from place in Placements
        select Assemble(
            new Draft(
                "POST",
                harvested.Path,
                Credentials(target.Caller, place)
                    .Concat(harvested.Parameters.Select((p, i) => new Param(p.Key, i == change ? Changed(p.Key, p.Value) : p.Value, false, place)))
                    .Append(new Param("next_page_token", harvested.Token, false, place))
                    .Append(new Param("data_type", xml ? "XML" : "JSON", false, place))
                    .ToList(),
                BodyKind.Form,
                string.Empty,
                [],
                Chunked: false,
                MayBeRefused: false),
            target);

    private static string Changed(string name, string value) => name switch
    {
        "page_size" => "3",
        "from" => "2016-01-18T00:00:00.000Z",
        "to" => "2016-01-20T23:59:59.999Z",
        _ => value.ToUpperInvariant(),
    };

    private static IEnumerable<Param> Credentials(FuzzCredentials credentials, Placement where) =>
    [
        new("api_key", credentials.ApiKey, false, where),
        new("api_secret", credentials.ApiSecret, false, where),
        new("access_token", credentials.AccessToken, false, where),
    ];

    /// <summary>Other methods and paths, with or without a proper call behind them.</summary>
    private static Gen<FuzzRequest> OddRequest(FuzzTarget target) =>
        from draft in ChatDraft(target, "list")
        from method in Gen.OneOf("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH")
        from path in Gen.OneOf(
            "/", "/v1", "/v1/chat", "/v1/chat/", "/v1/chat/lists", "/v1/chat/list/x", "/v2/chat/list", "/healthz", "/HEALTHZ",
            "/healthz/", "/..%2F..%2Fetc%2Fpasswd", "/v1/chat/list%2Fx", "/%E2%98%95", "/%FF", "/v1/chat/list%00", "/favicon.ico",
            "/v1/chat/get/../list", "/v1/users", "http://fuzz.test/v1/chat/list", "/" + new string('a', 2000))
        select Assemble(draft with { Method = method, Path = path, MayBeRefused = path.Contains("%00", StringComparison.Ordinal) }, target);

    /// <summary>A call whose HTTP framing is hostile: headers that try to inject, bytes HTTP forbids, oversized heads.</summary>
    private static Gen<FuzzRequest> HostileFraming(FuzzTarget target) =>
        from endpoint in Gen.OneOf("list", "get")
        from draft in ChatDraft(target, endpoint)
        from kind in Gen.Int[0, 14]
        from filler in Gen.Int[1, 100]
        select Assemble(Frame(draft, kind, filler), target);

    private static Draft Frame(Draft draft, int kind, int filler)
    {
        KeyValuePair<string, byte[]> H(string name, string value) => new(name, Encoding.Latin1.GetBytes(value));
        Draft With(bool refused, params KeyValuePair<string, byte[]>[] headers) =>
            draft with { Headers = [.. draft.Headers, .. headers], MayBeRefused = refused };
        return kind switch
        {
            // A CR LF in a value only starts another header line: a request like any other.
            0 => With(false, H("X-Note", "a\r\nX-Injected: yes")),
            1 => With(true, H("X-Note", "a\nX-Injected: yes")),
            2 => With(true, H("X-Note", "a\rb")),
            3 => With(true, H("X-Note", "a\0b")),
            4 => With(true, H("Bad Name", "x")),
            5 => With(true, [.. Enumerable.Range(0, 64 + filler).Select(i => H($"X-Many-{i}", "x"))]),
            6 => With(true, H("X-Big", new string('b', 16 * 1024 + filler))),
            7 => With(false, H("Expect", "100-continue")),
            // A second Content-Type: the two are joined, and the body is no longer a form.
            8 => With(false, H("Content-Type", "application/json")) with { FormatUnknown = true },
            9 => draft with { RawTargetSuffix = "\u00ff\u00fe", MayBeRefused = true },
            10 => draft with { RawTargetSuffix = "\u0001\u007f", MayBeRefused = true },
            11 => draft with { RawTargetSuffix = new string('q', 8 * 1024 + filler), MayBeRefused = true },
            12 => With(false, H("X-Unicode", "caf\u00e9 \u00ff")),
            // A body above 1 MiB (docs/api.md#size-limits), now and then: it is a megabyte on the wire.
            13 when filler <= 10 => draft with
            {
                Body = BodyKind.Form,
                Parameters = [.. draft.Parameters, new Param("pad", new string('p', 1024 * 1024), false, Placement.Body)],
            },
            _ => draft with { Chunked = true },
        };
    }

    /// <summary>Writes a draft as bytes, and works out the format it asks for where that is certain.</summary>
    private static FuzzRequest Assemble(Draft draft, FuzzTarget target)
    {
        var readable = draft.Body is BodyKind.Form or BodyKind.Multipart;
        var inQuery = draft.Parameters.Where(p => p.Where is Placement.Query or Placement.Both).ToList();
        var inBody = draft.Parameters.Where(p => p.Where is Placement.Body or Placement.Both).ToList();

        var target_ = new StringBuilder(draft.Path);
        if (inQuery.Count > 0)
        {
            target_.Append('?').Append(string.Join('&', inQuery.Select(UrlEncoded)));
        }

        target_.Append(draft.RawTargetSuffix.Length > 0 && inQuery.Count == 0 ? "?" + draft.RawTargetSuffix : draft.RawTargetSuffix);
        var targetBytes = Encoding.Latin1.GetBytes(target_.ToString());

        var headers = new List<KeyValuePair<string, byte[]>>();
        byte[] body;
        var boundary = "fuzz-" + (draft.Parameters.Count * 7919 % 100_000).ToString(CultureInfo.InvariantCulture);
        switch (draft.Body)
        {
            case BodyKind.Form:
                headers.Add(new("Content-Type", Encoding.ASCII.GetBytes(FormType)));
                body = Encoding.ASCII.GetBytes(string.Join('&', inBody.Select(UrlEncoded)));
                break;
            case BodyKind.Multipart or BodyKind.BrokenMultipart:
                headers.Add(new("Content-Type", Encoding.ASCII.GetBytes("multipart/form-data; boundary=" + boundary)));
                body = Multipart(inBody, boundary, broken: draft.Body == BodyKind.BrokenMultipart);
                break;
            case BodyKind.Json:
                headers.Add(new("Content-Type", "application/json"u8.ToArray()));
                body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(inBody.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().Value)));
                break;
            case BodyKind.TextPlain:
                headers.Add(new("Content-Type", "text/plain"u8.ToArray()));
                body = Encoding.ASCII.GetBytes(string.Join('&', inBody.Select(UrlEncoded)));
                break;
            case BodyKind.OddType:
                headers.Add(new("Content-Type", Encoding.UTF8.GetBytes(draft.OddContentType)));
                body = draft.OddContentType.StartsWith("multipart", StringComparison.OrdinalIgnoreCase)
                    ? Multipart(inBody, boundary, broken: false)
                    : Encoding.ASCII.GetBytes(string.Join('&', inBody.Select(UrlEncoded)));
                break;
            default:
                body = [];
                break;
        }

        headers.AddRange(draft.Headers);
        var mayBeRefused = draft.MayBeRefused
            // Kestrel's limits (docs/api.md#size-limits): a request line above 8 KiB, a head above 16 KiB.
            || targetBytes.Length + draft.Method.Length + 12 > 8 * 1024
            || headers.Sum(h => h.Key.Length + h.Value.Length + 4) > 15 * 1024
            // Kestrel takes header values in ASCII only, and refuses other bytes before ZoomChat sees them.
            || headers.Any(h => h.Value.Any(b => b is >= 0x80 or 0));

        return new FuzzRequest(
            draft.Method,
            targetBytes,
            headers,
            body,
            draft.Chunked,
            Asked(draft, readable),
            mayBeRefused,
            Secrets(draft.Parameters, target));
    }

    /// <summary>
    /// The format asked for, as docs/api.md#parameters reads parameters: from the query and a form body, names
    /// in any case, empty ones dropped. Unknown when the body's type leaves it open whether it is read.
    /// </summary>
    private static AskedFormat Asked(Draft draft, bool readable)
    {
        // Raw bytes after the query string join the value of its last parameter, which may be data_type.
        if (draft.FormatUnknown || draft.RawTargetSuffix.Length > 0 || draft.Body is BodyKind.OddType or BodyKind.BrokenMultipart)
        {
            return AskedFormat.Unknown;
        }

        var values = draft.Parameters
            .Where(p => p.Name.Equals("data_type", StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Where switch
            {
                Placement.Query => [p.Value],
                Placement.Body => readable ? [p.Value] : Array.Empty<string>(),
                _ => readable ? [p.Value, p.Value] : [p.Value],
            })
            .Where(v => v.Length > 0)
            .ToList();
        return values.Count == 1 && values[0].Equals("XML", StringComparison.OrdinalIgnoreCase) ? AskedFormat.Xml : AskedFormat.Json;
    }

    /// <summary>The secrets this request carries: none of them may come back (docs/api.md#errors).</summary>
    private static List<string> Secrets(IReadOnlyList<Param> parameters, FuzzTarget target)
    {
        var secrets = target.Secrets.ToList();
        foreach (var p in parameters.Where(p => !p.Raw && p.Value.Length >= 12
            && (p.Name.Equals("api_secret", StringComparison.OrdinalIgnoreCase) || p.Name.Equals("access_token", StringComparison.OrdinalIgnoreCase))))
        {
            // A value also sent in a parameter whose value may be echoed (an unknown session id) is not a secret.
            if (!parameters.Any(other => !ReferenceEquals(other, p) && other.Value.Contains(p.Value, StringComparison.Ordinal)))
            {
                secrets.Add(p.Value);
            }
        }

        return secrets;
    }

    private static string UrlEncoded(Param p) => Encode(p.Name) + "=" + (p.Raw ? p.Value : Encode(p.Value));

    /// <summary>Percent-encodes the UTF-8 bytes of any text, lone surrogates included (as U+FFFD).</summary>
    private static string Encode(string text)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    private static byte[] Multipart(IEnumerable<Param> parameters, string boundary, bool broken)
    {
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var p in parameters)
        {
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{p.Name}\"\r\n\r\n{p.Value}\r\n");
        }

        // A broken body ends without its closing boundary, or declares a part it never finishes.
        Write(broken ? $"--{boundary}\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunfinished" : $"--{boundary}--\r\n");
        return body.ToArray();
    }
}
