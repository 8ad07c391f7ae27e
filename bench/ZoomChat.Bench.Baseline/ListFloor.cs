using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace ZoomChat.Bench.Baseline;

/// <summary>
/// The floor of a chat/list first page served from a ZoomChat store (<c>--store FILE</c>), for
/// windows of whole UTC days: the baseline's Kestrel and form parsing, then the one read no chat/list
/// can do without, the page's 30 sessions (public id, type, group name, and the participants of the
/// 1:1 ones) in one prepared statement, written as JSON in ZoomChat's shape. Which sessions those
/// are costs it nothing: the window's last days, as ZoomChat's <c>account_days</c> rows hold them,
/// are kept in memory after their first read, latest message first, and the page is their first
/// 30 distinct sessions. Nothing else a real answer needs: no credentials checked, no rate limit,
/// no snapshot mark, no session count (no <c>page_count</c>), no sealed token, no log, no
/// <c>email</c>. ZoomChat's chat/list cannot be faster than this on the same store.
/// </summary>
internal sealed class ListFloor
{
    private const int PageSize = 30;
    private const long Day = 86_400_000;

    private const string SessionsSql =
        """
        SELECT s.id, s.public_id, s.type, s.group_name,
               CASE WHEN s.type = '1:1' THEN (
                   SELECT group_concat(email, ',') FROM (
                       SELECT u.email FROM participants p JOIN users u ON u.id = p.user_id
                       WHERE p.session_id = s.id ORDER BY u.email))
               ELSE '' END
        FROM sessions s WHERE s.id IN (SELECT value FROM json_each($ids));
        """;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One read connection per thread with its statements prepared once, as in StoreFloor.
    [ThreadStatic]
    private static (SqliteCommand Sessions, SqliteCommand Day)? t_commands;

    private readonly string _connectionString;
    private readonly Dictionary<string, long> _accounts;
    private readonly ConcurrentDictionary<(long Account, long Day), (long Session, long Last)[]> _days = new();

    public ListFloor(string connectionString, Dictionary<string, long> accounts)
    {
        _connectionString = connectionString;
        _accounts = accounts;
    }

    public async Task AnswerAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!_accounts.TryGetValue(form["api_key"].ToString(), out var account))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var from = Milliseconds(form["from"].ToString());
        var to = Milliseconds(form["to"].ToString(), endOfDay: true);
        context.Response.ContentType = "application/json";
        WritePage(context.Response.BodyWriter, account, from, to);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private void WritePage(System.IO.Pipelines.PipeWriter body, long account, long from, long to)
    {
        var commands = t_commands ??= Prepare();
        var page = new Dictionary<long, long>();
        for (var day = Math.Floor(to / (double)Day); day >= Math.Floor(from / (double)Day) && page.Count < PageSize; day--)
        {
            foreach (var (session, last) in Sessions(commands.Day, account, (long)day))
            {
                if (page.Count < PageSize)
                {
                    page.TryAdd(session, last);
                }
            }
        }

        var rows = new List<(long Last, string Id, string Type, string Group, string Participants)>(page.Count);
        commands.Sessions.Parameters["$ids"].Value = "[" + string.Join(',', page.Keys) + "]";
        using (var reader = commands.Sessions.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((page[reader.GetInt64(0)], reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? string.Empty : reader.GetString(4)));
            }
        }

        rows.Sort((a, b) => a.Last != b.Last ? b.Last.CompareTo(a.Last) : string.CompareOrdinal(a.Id, b.Id));
        using var json = new Utf8JsonWriter(body, WriterOptions);
        json.WriteStartObject();
        json.WriteString("from", StoreFloor.Time(from));
        json.WriteString("to", StoreFloor.Time(to));
        json.WriteNumber("page_size", PageSize);
        json.WriteString("next_page_token", rows.Count == PageSize ? string.Create(CultureInfo.InvariantCulture, $"{rows[^1].Last}.{rows[^1].Id}") : string.Empty);
        json.WriteStartArray("chat_list");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("session_id", row.Id);
            json.WriteString("type", row.Type);
            json.WriteString("participants", row.Participants);
            json.WriteString("group_name", row.Group);
            json.WriteString("last_message_send_time", StoreFloor.Time(row.Last));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The day's sessions, latest message first: read once from its <c>account_days</c> row (24-byte entries: session, latest time, newest arrival).</summary>
    private (long Session, long Last)[] Sessions(SqliteCommand read, long account, long day) =>
        _days.GetOrAdd((account, day), key =>
        {
            read.Parameters["$account"].Value = key.Account;
            read.Parameters["$day"].Value = key.Day;
            var blob = read.ExecuteScalar() as byte[] ?? [];
            var sessions = new (long Session, long Last)[blob.Length / 24];
            for (var i = 0; i < sessions.Length; i++)
            {
                var entry = blob.AsSpan(i * 24, 24);
                sessions[i] = (BinaryPrimitives.ReadInt64BigEndian(entry), BinaryPrimitives.ReadInt64BigEndian(entry[8..]));
            }

            Array.Sort(sessions, (a, b) => b.Last.CompareTo(a.Last));
            return sessions;
        });

    private (SqliteCommand, SqliteCommand) Prepare()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        var sessions = connection.CreateCommand();
        sessions.CommandText = SessionsSql;
        sessions.Parameters.Add(new SqliteParameter("$ids", null));
        sessions.Prepare();
        var day = connection.CreateCommand();
        day.CommandText = "SELECT sessions FROM account_days WHERE account_id = $account AND day = $day;";
        day.Parameters.Add(new SqliteParameter("$account", null));
        day.Parameters.Add(new SqliteParameter("$day", null));
        day.Prepare();
        return (sessions, day);
    }

    private static long Milliseconds(string text, bool endOfDay = false)
    {
        var instant = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
        return endOfDay && text.Length == 10 ? instant + Day - 1 : instant;
    }
}
