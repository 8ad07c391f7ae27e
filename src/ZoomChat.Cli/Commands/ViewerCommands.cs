using System.CommandLine;
using ZoomChat.Client.Wire;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Viewer;

namespace ZoomChat.Cli.Commands;

/// <summary><c>viewer link</c>: one-time sign-in links to the web viewer (docs/viewer.md#signing-in).</summary>
internal static class ViewerCommands
{
    public static Command Viewer(CliRunner run)
    {
        var account = new Option<string>("--account") { Description = "The account's name", Required = true };
        var email = new Option<string>("--email") { Description = "The user the link signs in (needs the archive-view privilege)", Required = true };
        var expiresIn = CliOptions.WholeNumber(
            "--expires-in",
            "How long the link may wait to be opened, in seconds (default: 900, 15 minutes)",
            1,
            (long)ViewerSignInLinks.MaxLifetime.TotalSeconds,
            "a number of seconds",
            "an hour is 3600");
        var baseUrl = new Option<string?>("--base-url") { Description = $"The server's address as the viewer's browser reaches it (default: {ServeCommands.DefaultUrls}/)" };
        var link = new Command("link", "Print a one-time link that signs an archive viewer in to the web viewer") { account, email, expiresIn, baseUrl };
        link.SetAction(run(async (cli, result, token) =>
        {
            var text = result.GetValue(baseUrl) ?? ServeCommands.DefaultUrls + "/";
            if (!Uri.TryCreate(text, UriKind.Absolute, out var root))
            {
                throw new CliException($"--base-url takes the server's address, such as https://archive.example.com/, not '{text}'.");
            }

            await using var store = await cli.OpenWritableStoreAsync("viewer link", token);
            if (store is not IViewerStore viewer)
            {
                throw new CliException($"The store {store.Description} has no web viewer.");
            }

            var seconds = result.GetValue(expiresIn);
            var (url, expiresAt) = await new ViewerSignInLinks(store, viewer, TimeProvider.System).CreateAsync(
                result.GetValue(account)!, result.GetValue(email)!, seconds is { } s ? TimeSpan.FromSeconds(s) : null, root, token);
            if (cli.Json)
            {
                cli.WriteJson(json =>
                {
                    json.WriteString("url", url.AbsoluteUri);
                    json.WriteString("expires_at", ZoomTime.ToWire(expiresAt));
                });
            }
            else
            {
                cli.Output.WriteLine(url.AbsoluteUri);
                cli.Output.WriteLine($"Opens once, until {ZoomTime.ToWire(expiresAt)}; give it only to its user.");
            }
        }));

        return new Command("viewer", "The web viewer of the archive") { link };
    }
}
