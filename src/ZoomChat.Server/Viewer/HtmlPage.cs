using Microsoft.AspNetCore.Http;

namespace ZoomChat.Server.Viewer;

/// <summary>A page of the viewer: its layout around <see cref="Body"/>, written with the viewer's security headers.</summary>
internal sealed class HtmlPage(int status, string title, Html body, SignedInPage? signedIn) : IResult
{
    public Html Body => body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        var header = signedIn is { } s
            ? Html.Of($"""
                <nav aria-label="Viewer">
                  <a href="/sessions">Sessions</a>
                  {(s.SearchEnabled ? Html.Of($"""<a href="/search">Search</a>""") : Html.Empty)}
                </nav>
                <div class="who"><span>{s.Viewer.Email} · {s.Viewer.Account}</span>
                  <form method="post" action="/signout"><input type="hidden" name="{ViewerApi.AntiForgeryField}" value="{s.AntiForgeryToken}"><button type="submit">Sign out</button></form>
                </div>
                """)
            : Html.Empty;
        var page = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · ZoomChat archive</title>
            <link rel="stylesheet" href="{ViewerApi.CssPath}">
            <script src="{ViewerApi.ScriptPath}" defer></script>
            </head>
            <body>
            <header class="top"><a class="brand" href="/sessions">ZoomChat archive</a>{header}</header>
            <main>
            {body}
            </main>
            </body>
            </html>
            """);
        await httpContext.Response.WriteAsync(page.Value, httpContext.RequestAborted);
    }
}

/// <summary>What the layout shows of a signed-in viewer: who, the sign-out form's token, and whether search is served.</summary>
internal sealed record SignedInPage(Storage.SignedInViewer Viewer, string AntiForgeryToken, bool SearchEnabled);
