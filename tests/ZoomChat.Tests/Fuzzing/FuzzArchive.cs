using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ZoomChat.Tests.Fuzzing;

/// <summary>The credentials of one account of the fuzzed archive.</summary>
internal sealed record FuzzCredentials(string Account, string ApiKey, string ApiSecret, string AccessToken);

/// <summary>A real page token, with the parameters of the traversal that issued it (docs/api.md#what-a-token-is-bound-to).</summary>
internal sealed record HarvestedToken(string Path, IReadOnlyList<KeyValuePair<string, string>> Parameters, string Token);

/// <summary>What the generator aims at: the caller's account, a second account, and page tokens of both.</summary>
internal sealed record FuzzTarget(
    FuzzCredentials Caller,
    FuzzCredentials Other,
    bool HttpErrorStatus,
    IReadOnlyList<HarvestedToken> CallerTokens,
    IReadOnlyList<HarvestedToken> OtherTokens)
{
    /// <summary>Values that no answer may ever hold (docs/api.md#errors: no message holds a secret or token).</summary>
    public IReadOnlyList<string> Secrets => [Caller.ApiSecret, Caller.AccessToken, Other.ApiSecret, Other.AccessToken];
}

/// <summary>
/// The small archive the HTTP fuzzing runs on: two accounts whose session ids collide, with text that every
/// response format has to escape. The suite imports these lines through TestArchive, bench/fuzz.sh through
/// <c>zoomchat import</c>.
/// </summary>
internal static class FuzzArchive
{
    public const string CallerAccount = "fuzz-a";
    public const string OtherAccount = "fuzz-b";
    public const string Viewer = "viewer@fuzz.test";
    public const string From = "2016-01-18";
    public const string To = "2016-01-20";

    /// <summary>Session ids of both accounts: the same ids in each, and one of each account alone.</summary>
    public static IReadOnlyList<string> SessionIds(string account) => ["shared-group", "shared-1on1", $"{account}-only", "Ünïcode ☕ 🙏 session"];

    public static IReadOnlyList<string> Emails(string account) => ["ann@fuzz.test", "bob@fuzz.test", $"{account}@fuzz.test", Viewer];

    private static readonly string[] Texts =
    [
        "hello",
        "<b>bold</b> & \"quoted\" 'single'",
        "line one\r\nline two\nthree\rfour",
        "emoji 🙏 and ☕ and é",
        "control \u0001\u0008\u001f and tab\t",
        "back\\slash and ]]> and </message>",
        "",
        "{\"error\":{\"code\":500}}",
    ];

    /// <summary>The interchange lines of one account (docs/import-formats.md#the-interchange-format).</summary>
    public static IReadOnlyList<string> Lines(string account)
    {
        var lines = new List<string>();
        var sessions = SessionIds(account);
        var emails = Emails(account);
        for (var i = 0; i < 48; i++)
        {
            var session = sessions[i % sessions.Count];
            var oneOnOne = session == "shared-1on1";
            var sender = oneOnOne ? emails[i / 4 % 2] : emails[i % 3];
            var time = new DateTimeOffset(2016, 1, 18, 8, 0, 0, TimeSpan.Zero).AddMinutes(i * 47).AddMilliseconds(i * 7);
            var line = new Dictionary<string, object>
            {
                ["account"] = account,
                ["session_id"] = session,
                ["type"] = oneOnOne ? "1:1" : "Group",
                ["message_id"] = $"m-{i}",
                ["sender"] = sender,
                ["date_time"] = time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["message"] = $"{Texts[i % Texts.Length]} [{account} #{i}]",
            };
            if (!oneOnOne)
            {
                line["group_name"] = $"Group of {account} <{session}>";
            }

            lines.Add(JsonSerializer.Serialize(line));
        }

        return lines;
    }

    /// <summary>
    /// Takes real page tokens of both accounts over HTTP: the first page, one row to a page, of a
    /// <c>chat/list</c> and a <c>chat/get</c> traversal, so that generated requests can go on with them.
    /// </summary>
    public static async Task<FuzzTarget> HarvestAsync(
        FuzzConnection connection, FuzzCredentials caller, FuzzCredentials other, bool httpErrorStatus, CancellationToken cancellationToken)
    {
        return new FuzzTarget(
            caller,
            other,
            httpErrorStatus,
            await HarvestAsync(connection, caller, cancellationToken),
            await HarvestAsync(connection, other, cancellationToken));
    }

    private static async Task<IReadOnlyList<HarvestedToken>> HarvestAsync(FuzzConnection connection, FuzzCredentials credentials, CancellationToken cancellationToken)
    {
        var tokens = new List<HarvestedToken>();
        var traversals = new List<(string Path, KeyValuePair<string, string>[] Parameters)>
        {
            ("/v1/chat/list", [new("from", From), new("to", To), new("page_size", "1")]),
            ("/v1/chat/list", [new("from", From), new("to", To), new("page_size", "2"), new("email", "ann@fuzz.test")]),
        };
        traversals.AddRange(SessionIds(credentials.Account).Select(id =>
            ("/v1/chat/get", new KeyValuePair<string, string>[] { new("session_id", id), new("from", From), new("to", To), new("page_size", "1") })));
        foreach (var (path, parameters) in traversals)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("api_key", credentials.ApiKey),
                new("api_secret", credentials.ApiSecret),
                new("access_token", credentials.AccessToken),
            };
            form.AddRange(parameters);
            var body = Encoding.ASCII.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
            var request = new FuzzRequest(
                "POST",
                Encoding.ASCII.GetBytes(path),
                [new("Content-Type", "application/x-www-form-urlencoded"u8.ToArray())],
                body,
                Chunked: false,
                AskedFormat.Json,
                MayBeRefusedByHttpServer: false,
                []);
            var answer = await connection.SendAsync(request, cancellationToken);
            using var json = JsonDocument.Parse(answer.Body);
            var token = json.RootElement.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
            if (string.IsNullOrEmpty(token))
            {
                throw new InvalidOperationException($"The fuzzed archive gave no page token for {path}: {answer}");
            }

            tokens.Add(new HarvestedToken(path, parameters, token));
        }

        return tokens;
    }
}
