using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace ZoomChat.Bench.Baseline;

/// <summary>
/// The floor of a chat/get page served from a ZoomChat store (<c>--store FILE</c>): the baseline's
/// Kestrel and form parsing, then the one read no chat/get can do without, the window's next 30
/// messages of the session by its public id (and one more, to know whether a page follows), written
/// as JSON in ZoomChat's shape. A page token is the last message's time and arrival in plain text.
/// Nothing else a real answer needs: no credentials checked (the API key only names the account,
/// from a table read at start), no rate limit, no snapshot mark, no page count, no sealed token, no
/// log. ZoomChat's chat/get cannot be faster than this on the same store.
/// </summary>
internal sealed class StoreFloor
{
    private const int PageSize = 30;

    private const string PageSql =
        """
        SELECT s.group_name, m.date_time, m.body, u.email, m.id
        FROM sessions s
        JOIN messages m ON m.session_id = s.id
        LEFT JOIN users u ON u.id = m.sender_id
        WHERE s.account_id = $account AND s.public_id = $session
          AND (m.date_time, m.id) > ($after_time, $after_id) AND m.date_time <= $to
        ORDER BY m.date_time, m.id
        LIMIT 31;
        """;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One read connection per thread, its statement prepared once: each request uses it without
    // awaiting anything in between, so no other request on the thread can touch it meanwhile.
    [ThreadStatic]
    private static SqliteCommand? t_page;

    private readonly string _connectionString;
    private readonly Dictionary<string, long> _accounts;

    private StoreFloor(string connectionString, Dictionary<string, long> accounts)
    {
        _connectionString = connectionString;
        _accounts = accounts;
    }

    public static StoreFloor Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No such store: {path}", path);
        }

        // As ZoomChat's store does (SqliteLibrary): no connection is shared between threads, so no
        // per-call mutexes.
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();
        var accounts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var keys = connection.CreateCommand();
        keys.CommandText = "SELECT api_key, account_id FROM api_keys;";
        using var reader = keys.ExecuteReader();
        while (reader.Read())
        {
            accounts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return new StoreFloor(connectionString, accounts);
    }

    /// <summary>The chat/list floor on the same store.</summary>
    public ListFloor Lists() => new(_connectionString, _accounts);

    public async Task AnswerAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!_accounts.TryGetValue(form["api_key"].ToString(), out var account))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var sessionId = form["session_id"].ToString();
        var from = Milliseconds(form["from"].ToString());
        var to = Milliseconds(form["to"].ToString());
        var after = form["next_page_token"].ToString() is { Length: > 0 } token
            ? (long.Parse(token.AsSpan(0, token.IndexOf('.')), CultureInfo.InvariantCulture),
               long.Parse(token.AsSpan(token.IndexOf('.') + 1), CultureInfo.InvariantCulture))
            : (from, 0L);
        context.Response.ContentType = "application/json";
        WritePage(context.Response.BodyWriter, account, sessionId, from, to, after);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private void WritePage(System.IO.Pipelines.PipeWriter body, long account, string sessionId, long from, long to, (long Time, long Id) after)
    {
        var page = t_page ??= Prepare();
        page.Parameters["$account"].Value = account;
        page.Parameters["$session"].Value = sessionId;
        page.Parameters["$after_time"].Value = after.Time;
        page.Parameters["$after_id"].Value = after.Id;
        page.Parameters["$to"].Value = to;
        using var json = new Utf8JsonWriter(body, WriterOptions);
        using var reader = page.ExecuteReader();
        var more = reader.Read();
        json.WriteStartObject();
        json.WriteString("session_id", sessionId);
        json.WriteString("group_name", more ? reader.GetString(0) : string.Empty);
        json.WriteString("from", Time(from));
        json.WriteString("to", Time(to));
        json.WriteNumber("page_size", PageSize);
        json.WriteStartArray("chat_messages");
        var (written, last) = (0, after);
        while (more && written < PageSize)
        {
            json.WriteStartObject();
            json.WriteString("message", reader.GetString(2));
            json.WriteString("sender", reader.IsDBNull(3) ? string.Empty : reader.GetString(3));
            json.WriteString("date_time", Time(reader.GetInt64(1)));
            json.WriteEndObject();
            (written, last) = (written + 1, (reader.GetInt64(1), reader.GetInt64(4)));
            more = reader.Read();
        }

        json.WriteEndArray();
        json.WriteString("next_page_token", more ? string.Create(CultureInfo.InvariantCulture, $"{last.Time}.{last.Id}") : string.Empty);
        json.WriteEndObject();
    }

    private SqliteCommand Prepare()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = PageSql;
        foreach (var name in (string[])["$account", "$session", "$after_time", "$after_id", "$to"])
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }

    private static long Milliseconds(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();

    internal static DateTime Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime;
}
