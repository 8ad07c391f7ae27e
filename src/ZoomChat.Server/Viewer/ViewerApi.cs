using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;

namespace ZoomChat.Server.Viewer;

/// <summary>
/// The web viewer of the archive (docs/viewer.md): server-rendered pages on the API's port, under <c>/</c>,
/// for archive viewers signed in with a one-time link. Every page reads the signed-in viewer afresh and
/// shows only their account.
/// </summary>
internal static class ViewerApi
{
    public const string CssPath = "/viewer/viewer.css";
    public const string ScriptPath = "/viewer/viewer.js";
    public const string AntiForgeryField = "csrf";

    /// <summary>
    /// Scripts and styles from the server only, no inline script, no frames, forms only to the server
    /// (https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const int SessionsPerPage = 50;
    private const int MessagesPerPage = 100;
    private const int DefaultWindowDays = 30;

    private static readonly object ViewerKey = new();

    public static void MapViewer(this WebApplication app)
    {
        var viewer = app.MapGroup(string.Empty).AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            return await next(context);
        });

        viewer.MapGet("/", () => Results.Redirect("/sessions"));
        viewer.MapGet(CssPath, () => Asset("viewer.css", "text/css; charset=utf-8"));
        viewer.MapGet(ScriptPath, () => Asset("viewer.js", "text/javascript; charset=utf-8"));
        viewer.MapGet("/signin", SignInAsync);

        var signedIn = viewer.MapGroup(string.Empty).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var sessions = http.RequestServices.GetRequiredService<ViewerSessions>();
            var token = http.Request.Cookies[ViewerSessions.CookieName];
            var found = await sessions.FindAsync(token, http.RequestAborted);
            if (found is null)
            {
                if (token is not null)
                {
                    http.Response.Cookies.Delete(ViewerSessions.CookieName);
                }

                return Results.Redirect("/signin");
            }

            var searchEnabled = http.RequestServices.GetService<IArchiveSearch>() is not null;
            http.Items[ViewerKey] = new SignedInPage(found, sessions.AntiForgeryToken(token!), searchEnabled);
            return await next(context);
        });
        signedIn.MapPost("/signout", SignOutAsync).DisableAntiforgery();
        signedIn.MapGet("/sessions", SessionsAsync);
        signedIn.MapGet("/sessions/{sessionId}", SessionAsync);
        signedIn.MapGet("/sessions/{sessionId}/export", ExportAsync);
        if (app.Services.GetService<IArchiveSearch>() is not null)
        {
            signedIn.MapGet("/search", SearchAsync);
            signedIn.MapGet("/search/export", SearchExportAsync);
        }
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(ViewerApi).Assembly.GetManifestResourceStream($"ZoomChat.Server.Viewer.{name}")!;
        return Results.Stream(stream, contentType);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ViewerSessions sessions, IArchiveStore archive, string? token, CancellationToken cancellationToken)
    {
        if (token is null)
        {
            var signedOut = context.Request.Query.ContainsKey("signed_out");
            return Page(StatusCodes.Status200OK, "Sign in", Html.Of($"""
                <h1>{(signedOut ? "You are signed out" : "Sign in")}</h1>
                <p>The archive is opened with a one-time sign-in link. Ask an administrator of the archive for one:</p>
                <pre>zoomchat viewer link --account ACCOUNT --email YOU@EXAMPLE.COM</pre>
                """));
        }

        if (archive.IsReadOnly)
        {
            return Page(StatusCodes.Status503ServiceUnavailable, "Sign-in unavailable", Html.Of($"""
                <h1>Sign-in is unavailable</h1>
                <p>This server's store is read-only, and signing in records the use of the link. Serve a writable copy to use the viewer.</p>
                """));
        }

        var session = await sessions.RedeemAsync(token, cancellationToken);
        if (session is null)
        {
            return Page(StatusCodes.Status403Forbidden, "Sign-in link not valid", Html.Of($"""
                <h1>This sign-in link cannot be used</h1>
                <p>It has been used already, has expired, or was made for a user who may no longer view the archive.
                Each link signs in once. Ask an administrator of the archive for a new one.</p>
                """));
        }

        context.Response.Cookies.Append(ViewerSessions.CookieName, session, new CookieOptions
        {
            HttpOnly = true,
            // Lax, not Strict: a link opened from a mail client is a navigation from another site, and the
            // redirect after it must carry the new cookie; the one form that changes state has its own token.
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = ViewerSessions.Lifetime,
            IsEssential = true,
        });
        return Results.Redirect("/sessions");
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, ViewerSessions sessions, CancellationToken cancellationToken)
    {
        var token = context.Request.Cookies[ViewerSessions.CookieName]!;
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(cancellationToken) : null;
        if (!sessions.AntiForgeryMatches(token, form?[AntiForgeryField]))
        {
            return Page(StatusCodes.Status400BadRequest, "Form refused", Html.Of($"""
                <h1>This form was refused</h1>
                <p>It did not come from a page of this viewer, or the page is out of date. <a href="/sessions">Back to the sessions</a>.</p>
                """), Viewer(context));
        }

        await sessions.SignOutAsync(token, cancellationToken);
        context.Response.Cookies.Delete(ViewerSessions.CookieName);
        return Results.Redirect("/signin?signed_out");
    }

    private static async Task<IResult> SessionsAsync(
        HttpContext context, IArchiveStore archive, IViewerStore store, string? from, string? to, string? participant, long? after_time, string? after_session,
        CancellationToken cancellationToken)
    {
        var page = Viewer(context);
        var account = page.Viewer.AccountId;
        if (!TryWindow(from, to, out var window, out var problem))
        {
            return Page(StatusCodes.Status400BadRequest, "Sessions", Html.Of($"<h1>Sessions</h1><p class=\"problem\">{problem}</p>"), page);
        }

        var (first, last) = window ?? await DefaultWindowAsync(store, account, cancellationToken);
        participant = string.IsNullOrWhiteSpace(participant) ? null : participant.Trim();
        long? userId = null;
        Html notice = Html.Empty;
        var rows = (IReadOnlyList<SessionActivity>)[];
        var total = 0;
        if (participant is not null)
        {
            userId = (await archive.FindUserAsync(account, participant.ToLowerInvariant(), cancellationToken))?.Id;
            if (userId is null)
            {
                notice = Html.Of($"<p class=\"problem\">The account has no user {participant}.</p>");
            }
        }

        if (participant is null || userId is not null)
        {
            var mark = await archive.GetHighWaterMarkAsync(cancellationToken);
            var query = new ChatListQuery(account, StartMs(first), EndMs(last), userId, mark, mark);
            var cursor = after_time is { } time && after_session is not null ? new SessionCursor(time, after_session) : (SessionCursor?)null;
            var result = await archive.ListSessionsAsync(query, cursor, SessionsPerPage, cancellationToken);
            (rows, total) = (result.Rows, result.WindowSessions);
        }

        var windowQuery = $"from={Day(first)}&to={Day(last)}" + (participant is null ? string.Empty : "&participant=" + Uri.EscapeDataString(participant));
        var items = rows.Select(row => Html.Of($"""
            <tr>
              <td><a href="/sessions/{Uri.EscapeDataString(row.Session.PublicId)}?{windowQuery}">{SessionTitle(row.Session, row.Participants)}</a></td>
              <td>{row.Session.Type}</td>
              <td class="participants">{string.Join(", ", row.Participants)}</td>
              <td>{Time(row.LastMessageTimeMs)}</td>
            </tr>
            """));
        var next = rows.Count == SessionsPerPage
            ? Html.Of($"""<p class="paging"><a rel="next" href="/sessions?{windowQuery}&after_time={rows[^1].LastMessageTimeMs}&after_session={Uri.EscapeDataString(rows[^1].Session.PublicId)}">Older sessions →</a></p>""")
            : Html.Empty;
        var table = rows.Count == 0
            ? Html.Of($"<p>No sessions with a message from {Day(first)} to {Day(last)}.</p>")
            : Html.Of($"""
                <p>{total} {(total == 1 ? "session" : "sessions")} with a message from {Day(first)} to {Day(last)} (UTC), newest activity first.</p>
                <div class="scroll"><table>
                <thead><tr><th scope="col">Session</th><th scope="col">Type</th><th scope="col">Participants</th><th scope="col">Latest message</th></tr></thead>
                <tbody>{items}</tbody>
                </table></div>
                {next}
                """);
        return Page(StatusCodes.Status200OK, "Sessions", Html.Of($"""
            <h1>Sessions</h1>
            <form class="filters" method="get" action="/sessions">
              <label>From <input type="date" name="from" value="{Day(first)}"></label>
              <label>To <input type="date" name="to" value="{Day(last)}"></label>
              <label>Participant <input type="email" name="participant" value="{participant}" placeholder="e-mail"></label>
              <button type="submit">Show</button>
            </form>
            {notice}
            {table}
            """), page);
    }

    private static async Task<IResult> SessionAsync(
        HttpContext context, IArchiveStore archive, string sessionId, string? from, string? to, string? after, string? at, CancellationToken cancellationToken)
    {
        var page = Viewer(context);
        var session = await archive.FindSessionAsync(page.Viewer.AccountId, sessionId, cancellationToken);
        if (session is null)
        {
            return NotFound(page);
        }

        if (!TryWindow(from, to, out var window, out var problem))
        {
            return Page(StatusCodes.Status400BadRequest, "Session", Html.Of($"<h1>Session</h1><p class=\"problem\">{problem}</p>"), page);
        }

        if (!TryCursor(at ?? after, out var cursor))
        {
            return Page(StatusCodes.Status400BadRequest, "Session", Html.Of($"<h1>Session</h1><p class=\"problem\">'{at ?? after}' is not a position in a session.</p>"), page);
        }

        if (at is not null && cursor is { } position)
        {
            // A permanent link opens the session at its message, whatever window it was found in; a search hit,
            // which names no arrival, at the first message of its time.
            (window, cursor) = (null, new MessageCursor(position.DateTimeMs, Math.Max(position.Arrival - 1, 0)));
        }

        var (fromMs, toMs) = window is { } w ? (StartMs(w.First), EndMs(w.Last)) : (Chat.ZoomDate.MinUnixMs, Chat.ZoomDate.MaxUnixMs);
        var query = new ChatGetQuery(session.Id, fromMs, toMs, await archive.GetHighWaterMarkAsync(cancellationToken));
        var total = await archive.CountMessagesAsync(query, cancellationToken);
        var messages = await archive.GetMessagesAsync(query, cursor, MessagesPerPage + 1, cancellationToken);
        var more = messages.Count > MessagesPerPage;
        var shown = messages.Take(MessagesPerPage).ToList();
        var participants = await ParticipantsAsync(archive, page.Viewer.Account, session.PublicId, cancellationToken);

        var sessionPath = "/sessions/" + Uri.EscapeDataString(session.PublicId);
        var windowQuery = window is { } win ? $"from={Day(win.First)}&to={Day(win.Last)}" : string.Empty;
        var list = new List<Html>();
        long? day = null;
        foreach (var message in shown)
        {
            var messageDay = Math.DivRem(message.DateTimeMs, Chat.ZoomDate.MillisecondsPerDay, out var rest) - (rest < 0 ? 1 : 0);
            if (messageDay != day)
            {
                day = messageDay;
                var date = DateTimeOffset.FromUnixTimeMilliseconds(message.DateTimeMs).UtcDateTime;
                list.Add(Html.Of($"""<li class="day"><h2>{date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} (UTC)</h2></li>"""));
            }

            var anchor = $"m{message.Arrival}";
            list.Add(Html.Of($"""
                <li class="message" id="{anchor}">
                  <div class="meta"><span class="sender">{message.Sender ?? "(unknown sender)"}</span>
                  <a class="permalink" href="{sessionPath}?at={message.DateTimeMs}.{message.Arrival}#{anchor}" title="Permanent link to this message">{Time(message.DateTimeMs)}</a></div>
                  <p class="text">{message.Text}</p>
                </li>
                """));
        }

        var paging = new List<Html>();
        if (cursor is not null)
        {
            paging.Add(Html.Of($"""<a href="{sessionPath}{(windowQuery.Length == 0 ? string.Empty : "?" + windowQuery)}">← From the first message</a>"""));
        }

        if (more)
        {
            var last = shown[^1];
            paging.Add(Html.Of($"""<a rel="next" href="{sessionPath}?{(windowQuery.Length == 0 ? string.Empty : windowQuery + "&")}after={last.DateTimeMs}.{last.Arrival}">Later messages →</a>"""));
        }

        var exportQuery = windowQuery.Length == 0 ? string.Empty : "&" + windowQuery;
        var windowText = window is { } shownWindow ? $"from {Day(shownWindow.First)} to {Day(shownWindow.Last)} (UTC)" : "in the whole session";
        return Page(StatusCodes.Status200OK, SessionTitle(session, participants), Html.Of($"""
            <p class="crumbs"><a href="/sessions{(windowQuery.Length == 0 ? string.Empty : "?" + windowQuery)}">← Sessions</a></p>
            <h1>{SessionTitle(session, participants)}</h1>
            <dl class="facts">
              <dt>Type</dt><dd>{session.Type}</dd>
              <dt>Participants</dt><dd>{(participants.Count == 0 ? "none recorded" : string.Join(", ", participants))}</dd>
              <dt>Session id</dt><dd><code>{session.PublicId}</code></dd>
            </dl>
            <form class="filters" method="get" action="{sessionPath}">
              <label>From <input type="date" name="from" value="{(window is { } f ? Day(f.First) : string.Empty)}"></label>
              <label>To <input type="date" name="to" value="{(window is { } t ? Day(t.Last) : string.Empty)}"></label>
              <button type="submit">Show</button>
            </form>
            <p>{total} {(total == 1 ? "message" : "messages")} {windowText}, oldest first. Export them:
              <a href="{sessionPath}/export?format=ndjson{exportQuery}" download>NDJSON</a> ·
              <a href="{sessionPath}/export?format=csv{exportQuery}" download>CSV</a></p>
            {(list.Count == 0 ? Html.Of($"<p>No messages here.</p>") : Html.Of($"<ol class=\"messages\">{list}</ol>"))}
            <p class="paging">{paging}</p>
            """), page);
    }

    private static async Task<IResult> ExportAsync(
        HttpContext context, IArchiveStore archive, string sessionId, string? format, string? from, string? to, CancellationToken cancellationToken)
    {
        var page = Viewer(context);
        var session = await archive.FindSessionAsync(page.Viewer.AccountId, sessionId, cancellationToken);
        if (session is null)
        {
            return NotFound(page);
        }

        if (!TryWindow(from, to, out var window, out var problem) || format is not ("ndjson" or "csv"))
        {
            return Page(StatusCodes.Status400BadRequest, "Export", Html.Of($"<h1>Export</h1><p class=\"problem\">{problem ?? "format takes ndjson or csv."}</p>"), page);
        }

        var query = new ExportQuery(page.Viewer.Account, window is { } w ? StartMs(w.First) : null, window is { } v ? EndMs(v.Last) : null, session.PublicId, null);
        var safeName = new string([.. session.PublicId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        context.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"session-{safeName}.{format}\"";
        if (format == "csv")
        {
            // The CSV writer writes synchronously between its flushes, which Kestrel refuses on a response: it
            // writes to a buffer that spills to a temporary file past 32 KiB, then that is copied out asynchronously.
            await using var buffer = new FileBufferingWriteStream();
            await new ArchiveCsvExporter(archive).ExportAsync(query, buffer, cancellationToken);
            await buffer.DrainBufferAsync(context.Response.Body, cancellationToken);
        }
        else
        {
            await new ArchiveExporter(archive).ExportAsync(query, context.Response.Body, cancellationToken);
        }

        return Results.Empty;
    }

    private const int HitsPerPage = 50;

    private static async Task<IResult> SearchAsync(
        HttpContext context, IArchiveStore archive, IArchiveSearch search, string? q, string? after, CancellationToken cancellationToken)
    {
        var page = Viewer(context);
        var form = Html.Of($"""
            <h1>Search</h1>
            <form class="filters" method="get" action="/search" role="search">
              <label class="grow">Words, "exact phrases", -excluded, from:EMAIL, in:SESSION, after:DATE, before:DATE
                <input type="search" name="q" value="{q}"></label>
              <button type="submit">Search</button>
            </form>
            """);
        if (string.IsNullOrWhiteSpace(q))
        {
            return Page(StatusCodes.Status200OK, "Search", form, page);
        }

        SearchQuery query;
        try
        {
            query = Search.SearchQueryParser.Parse(q);
        }
        catch (Search.SearchQueryException e)
        {
            return Page(StatusCodes.Status400BadRequest, "Search", Html.Of($"""{form}<p class="problem">Cannot read the search: {e.Message}</p>"""), page);
        }

        SearchCursor? cursor = null;
        if (after is not null)
        {
            if (!SearchCursor.TryParse(after, out var parsed))
            {
                return Page(StatusCodes.Status400BadRequest, "Search", Html.Of($"""{form}<p class="problem">'{after}' is not a page of a search.</p>"""), page);
            }

            cursor = parsed;
        }

        var result = await search.SearchAsync(page.Viewer.AccountId, query, cursor, HitsPerPage, cancellationToken);
        var highlight = new SearchHighlight(query.Phrases);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = new List<Html>();
        foreach (var hit in result.Hits)
        {
            if (!titles.TryGetValue(hit.SessionId, out var title))
            {
                var session = await archive.FindSessionAsync(page.Viewer.AccountId, hit.SessionId, cancellationToken);
                titles[hit.SessionId] = title = session is null ? hit.SessionId : SessionTitle(session, []);
            }

            items.Add(Html.Of($"""
                <li class="message">
                  <div class="meta"><a href="/sessions/{Uri.EscapeDataString(hit.SessionId)}?at={hit.DateTimeMs}">{title}</a>
                  <span class="sender">{hit.Sender ?? "(unknown sender)"}</span> {Time(hit.DateTimeMs)}</div>
                  <p class="text">{highlight.Mark(hit.Message)}</p>
                </li>
                """));
        }

        var encoded = Uri.EscapeDataString(q);
        var next = result.Next is { } more
            ? Html.Of($"""<p class="paging"><a rel="next" href="/search?q={encoded}&after={more.ToString()}">Older messages →</a></p>""")
            : Html.Empty;
        var hits = items.Count == 0
            ? Html.Of($"<p>No message matches.</p>")
            : Html.Of($"""
                <p>Messages that match, newest first. Export every match:
                  <a href="/search/export?format=ndjson&q={encoded}" download>NDJSON</a> ·
                  <a href="/search/export?format=csv&q={encoded}" download>CSV</a></p>
                <ol class="messages hits">{items}</ol>
                {next}
                """);
        return Page(StatusCodes.Status200OK, "Search", Html.Of($"{form}{hits}"), page);
    }

    /// <summary>
    /// Every hit of a search, newest first, as NDJSON or CSV: the fields a hit has (its session's type, name and
    /// participants are in the session's own export).
    /// </summary>
    private static async Task<IResult> SearchExportAsync(
        HttpContext context, IArchiveSearch search, string? q, string? format, CancellationToken cancellationToken)
    {
        var page = Viewer(context);
        SearchQuery query;
        try
        {
            query = Search.SearchQueryParser.Parse(q ?? string.Empty);
        }
        catch (Search.SearchQueryException e)
        {
            return Page(StatusCodes.Status400BadRequest, "Export", Html.Of($"""<h1>Export</h1><p class="problem">Cannot read the search: {e.Message}</p>"""), page);
        }

        if (format is not ("ndjson" or "csv"))
        {
            return Page(StatusCodes.Status400BadRequest, "Export", Html.Of($"""<h1>Export</h1><p class="problem">format takes ndjson or csv.</p>"""), page);
        }

        context.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"search.{format}\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = format == "csv" ? "\r\n" : "\n" };
        if (format == "csv")
        {
            await writer.WriteLineAsync("session_id,message_id,sender,date_time,message");
        }

        SearchCursor? cursor = null;
        do
        {
            var result = await search.SearchAsync(page.Viewer.AccountId, query, cursor, 500, cancellationToken);
            foreach (var hit in result.Hits)
            {
                var time = Client.Wire.ZoomTime.ToWire(DateTimeOffset.FromUnixTimeMilliseconds(hit.DateTimeMs));
                await writer.WriteLineAsync(format == "csv"
                    ? string.Join(',', new[] { hit.SessionId, hit.MessageId ?? string.Empty, hit.Sender ?? string.Empty, time, hit.Message }.Select(CsvField))
                    : System.Text.Json.JsonSerializer.Serialize(new SearchExportLine(hit.SessionId, hit.MessageId, hit.Sender, time, hit.Message), ViewerJson.Default.SearchExportLine));
            }

            await writer.FlushAsync(cancellationToken);
            cursor = result.Next;
        }
        while (cursor is not null);

        return Results.Empty;

        // RFC 4180 section 2: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
        static string CsvField(string field) =>
            field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The session's participants as the export names them: the list page's source, read from its first message.</summary>
    private static async Task<IReadOnlyList<string>> ParticipantsAsync(IArchiveStore archive, string account, string sessionId, CancellationToken cancellationToken)
    {
        await foreach (var message in archive.ExportAsync(new ExportQuery(account, null, null, sessionId, null), cancellationToken))
        {
            return message.Participants;
        }

        return [];
    }

    private static string SessionTitle(StoredSession session, IReadOnlyList<string> participants) =>
        session.GroupName.Length > 0 ? session.GroupName
        : participants.Count > 0 ? string.Join(" & ", participants)
        : session.PublicId;

    private static async Task<(DateOnly First, DateOnly Last)> DefaultWindowAsync(IViewerStore store, long accountId, CancellationToken cancellationToken)
    {
        var last = await store.LatestActiveDayAsync(accountId, cancellationToken) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return (last.AddDays(1 - DefaultWindowDays), last);
    }

    private static bool TryWindow(string? from, string? to, out (DateOnly First, DateOnly Last)? window, out string? problem)
    {
        window = null;
        problem = null;
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to))
        {
            return true;
        }

        if (!TryDay(from, out var first) || !TryDay(to, out var last))
        {
            problem = "From and To take dates such as 2016-01-22, both of them.";
            return false;
        }

        if (last < first)
        {
            problem = $"To ({Day(last)}) is before From ({Day(first)}).";
            return false;
        }

        window = (first, last);
        return true;

        static bool TryDay(string? text, out DateOnly day) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static bool TryCursor(string? text, out MessageCursor? cursor)
    {
        cursor = null;
        if (text is null)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var alone))
        {
            cursor = new MessageCursor(alone, 0);
            return true;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0
            && long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            && long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var arrival) && arrival > 0)
        {
            cursor = new MessageCursor(time, arrival);
            return true;
        }

        return false;
    }

    private static long StartMs(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static long EndMs(DateOnly day) => StartMs(day.AddDays(1)) - 1;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A time in UTC, readable without script; viewer.js adds the browser's own zone beside it.</summary>
    private static Html Time(long unixMs)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
        return Html.Of($"""<time datetime="{time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}">{time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>""");
    }

    private static SignedInPage Viewer(HttpContext context) => (SignedInPage)context.Items[ViewerKey]!;

    private static HtmlPage NotFound(SignedInPage page) =>
        Page(StatusCodes.Status404NotFound, "Not found", Html.Of($"""<h1>No such session</h1><p>Your account has no session of that id. <a href="/sessions">Back to the sessions</a>.</p>"""), page);

    private static HtmlPage Page(int status, string title, Html body, SignedInPage? page = null) => new(status, title, body, page);
}
