using System.Data.Common;
using System.Net;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Viewer;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Viewer;

/// <summary>Signing in to the web viewer with one-time links, its cookie, and what ends a viewer session (docs/viewer.md#signing-in).</summary>
public sealed class ViewerSignInTests
{
    [StoreFact]
    public async Task A_link_signs_in_with_an_http_only_lax_cookie_and_redirects_to_the_sessions()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = new ViewerVisitor(archive.Http);

        using var response = await visitor.GetAsync(await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sessions", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(ViewerSessions.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("admin@example.com", await visitor.PageAsync("/sessions"), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Over_https_the_cookie_is_secure()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        archive.Http.BaseAddress = new Uri("https://localhost/");
        var visitor = new ViewerVisitor(archive.Http);

        using var response = await visitor.GetAsync(await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com"));

        Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [StoreFact]
    public async Task A_link_signs_in_once_only()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var link = await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com");
        using var first = await new ViewerVisitor(archive.Http).GetAsync(link);
        var again = new ViewerVisitor(archive.Http);

        using var second = await again.GetAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Contains("cannot be used", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(again.Cookie);
    }

    [StoreFact]
    public async Task A_link_expires_after_15_minutes_by_default()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var early = await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com");
        var late = await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com");

        archive.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        using var inTime = await new ViewerVisitor(archive.Http).GetAsync(early);
        archive.Time.Advance(TimeSpan.FromSeconds(1));
        using var tooLate = await new ViewerVisitor(archive.Http).GetAsync(late);

        Assert.Equal(HttpStatusCode.Redirect, inTime.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tooLate.StatusCode);
    }

    [StoreFact]
    public async Task A_link_of_an_unknown_token_is_refused()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");

        using var response = await new ViewerVisitor(archive.Http).GetAsync("/signin?token=" + Secrets.NewSecret());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [StoreFact]
    public async Task Only_an_archive_viewer_gets_a_link()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        await archive.Administration.AddUserAsync("acme", "ana@example.com", null, archiveViewer: false, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ArchiveAdministrationException>(() => ViewerVisitor.LinkAsync(archive, "acme", "ana@example.com"));
        var unknown = await Assert.ThrowsAsync<ArchiveAdministrationException>(() => ViewerVisitor.LinkAsync(archive, "acme", "nobody@example.com"));

        Assert.Contains("archive-view privilege", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no user nobody@example.com", unknown.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_link_whose_user_lost_the_privilege_before_it_was_opened_is_refused()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var link = await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com");
        await archive.Administration.AddUserAsync("acme", "admin@example.com", null, archiveViewer: false, CancellationToken.None);
        await archive.Administration.AddUserAsync("acme", "admin@example.com", null, archiveViewer: true, CancellationToken.None);

        using var response = await new ViewerVisitor(archive.Http).GetAsync(link);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [StoreFact]
    public async Task The_store_keeps_links_and_sessions_only_as_hashes()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var link = await ViewerVisitor.LinkAsync(archive, "acme", "admin@example.com");
        var token = link[(link.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var visitor = new ViewerVisitor(archive.Http);
        using var _ = await visitor.GetAsync(link);

        await using var connection = await StoreSql.OpenAsync(archive.StorePath);
        var linkHashes = await ReadBlobsAsync(connection, "SELECT link_hash FROM viewer_links;");
        var sessionHashes = await ReadBlobsAsync(connection, "SELECT session_hash FROM viewer_sessions;");

        Assert.Equal([Convert.ToHexString(Secrets.Hash(token))], linkHashes);
        Assert.Equal([Convert.ToHexString(Secrets.Hash(visitor.Cookie!))], sessionHashes);
        // Every text column of the viewer's tables, as text: neither secret is in any of them.
        var stored = string.Join(
            '\n',
            await ReadTextsAsync(connection, "SELECT link_hash, account_id, user_id, created_ms, expires_ms, used_ms FROM viewer_links;"),
            await ReadTextsAsync(connection, "SELECT session_hash, account_id, user_id, created_ms, expires_ms FROM viewer_sessions;"));
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(visitor.Cookie!, stored, StringComparison.Ordinal);
        if (TestStores.Current == StoreKind.Sqlite)
        {
            // The file's bytes too, its log included.
            var file = string.Concat(new[] { archive.StorePath, archive.StorePath + "-wal" }.Where(File.Exists).Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
            Assert.DoesNotContain(token, file, StringComparison.Ordinal);
            Assert.DoesNotContain(visitor.Cookie!, file, StringComparison.Ordinal);
        }
    }

    [StoreFact]
    public async Task A_page_without_a_viewer_session_redirects_to_sign_in()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = new ViewerVisitor(archive.Http) { Cookie = Secrets.NewSecret() };

        using var sessions = await visitor.GetAsync("/sessions");
        using var export = await new ViewerVisitor(archive.Http).GetAsync("/sessions/s1/export?format=csv");
        var signIn = await new ViewerVisitor(archive.Http).PageAsync("/signin");

        Assert.Equal((HttpStatusCode.Redirect, "/signin"), (sessions.StatusCode, sessions.Headers.Location?.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, "/signin"), (export.StatusCode, export.Headers.Location?.OriginalString));
        Assert.Null(visitor.Cookie);
        Assert.Contains("zoomchat viewer link", signIn, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_viewer_session_ends_after_8_hours()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        archive.Time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        using var inTime = await visitor.GetAsync("/sessions");
        archive.Time.Advance(TimeSpan.FromSeconds(1));
        using var tooLate = await visitor.GetAsync("/sessions");

        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, tooLate.StatusCode);
    }

    [StoreFact]
    public async Task Taking_the_privilege_away_ends_the_viewer_session_for_good()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");
        var cookie = visitor.Cookie;

        await archive.Administration.AddUserAsync("acme", "admin@example.com", null, archiveViewer: false, CancellationToken.None);
        using var withoutPrivilege = await visitor.GetAsync("/sessions");
        await archive.Administration.AddUserAsync("acme", "admin@example.com", null, archiveViewer: true, CancellationToken.None);
        visitor.Cookie = cookie;
        using var grantedAgain = await visitor.GetAsync("/sessions");

        Assert.Equal(HttpStatusCode.Redirect, withoutPrivilege.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, grantedAgain.StatusCode);
    }

    [StoreFact]
    public async Task Removing_the_user_ends_the_viewer_session()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");

        await archive.Administration.RemoveUserAsync("acme", "admin@example.com", CancellationToken.None);
        using var response = await visitor.GetAsync("/sessions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [StoreFact]
    public async Task Sign_out_ends_the_viewer_session()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");
        var cookie = visitor.Cookie;
        var token = ViewerVisitor.AntiForgeryToken(await visitor.PageAsync("/sessions"));

        using var signOut = await visitor.PostAsync("/signout", (ViewerApi.AntiForgeryField, token));
        visitor.Cookie = cookie;
        using var after = await visitor.GetAsync("/sessions");

        Assert.Equal((HttpStatusCode.Redirect, "/signin?signed_out"), (signOut.StatusCode, signOut.Headers.Location?.OriginalString));
        Assert.Contains(ViewerSessions.CookieName + "=;", Assert.Single(signOut.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [StoreFact]
    public async Task Sign_out_without_the_anti_forgery_token_is_refused_and_the_viewer_stays_signed_in()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");
        var other = await ViewerVisitor.SignedInAsync(archive, "acme");
        var othersToken = ViewerVisitor.AntiForgeryToken(await other.PageAsync("/sessions"));

        using var without = await visitor.PostAsync("/signout");
        using var wrong = await visitor.PostAsync("/signout", (ViewerApi.AntiForgeryField, othersToken));

        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/sessions")).StatusCode);
    }

    [StoreFact]
    public async Task Another_server_process_on_the_store_knows_the_viewer_session_and_its_form()
    {
        await using var archive = await TestArchive.StartAsync();
        await archive.CreateAccountAsync("acme");
        var visitor = await ViewerVisitor.SignedInAsync(archive, "acme");
        var token = ViewerVisitor.AntiForgeryToken(await visitor.PageAsync("/sessions"));
        var (second, http) = await archive.StartSecondServerAsync();
        await using var _ = second;
        var elsewhere = new ViewerVisitor(http) { Cookie = visitor.Cookie };

        var page = await elsewhere.PageAsync("/sessions");
        using var signOut = await elsewhere.PostAsync("/signout", (ViewerApi.AntiForgeryField, token));

        Assert.Contains("admin@example.com", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.GetAsync("/sessions")).StatusCode);
    }

    private static async Task<string> ReadTextsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var text = new System.Text.StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.GetValue(i);
                text.Append(value is byte[] bytes ? System.Text.Encoding.Latin1.GetString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\t');
            }
        }

        return text.ToString();
    }

    private static async Task<List<string>> ReadBlobsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToHexString((byte[])reader[0]));
        }

        return values;
    }
}
