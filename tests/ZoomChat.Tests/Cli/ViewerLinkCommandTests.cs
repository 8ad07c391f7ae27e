using System.Net;
using ZoomChat.Tests.Support;
using ZoomChat.Tests.Viewer;

namespace ZoomChat.Tests.Cli;

/// <summary><c>zoomchat viewer link</c> (docs/viewer.md#signing-in).</summary>
public sealed class ViewerLinkCommandTests
{
    [StoreFact]
    public async Task Viewer_link_prints_a_link_that_signs_the_viewer_in_on_the_server()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "dpo@acme.com", "--archive-viewer");

        var json = await cli.JsonAsync("viewer", "link", "--account", "acme", "--email", "DPO@acme.com", "--base-url", "https://archive.example.com/zoomchat");
        var url = new Uri(json.GetProperty("url").GetString()!);
        await using var archive = await TestArchive.StartAsync(folder: cli.Folder);
        using var response = await new ViewerVisitor(archive.Http).GetAsync(url.PathAndQuery.Replace("/zoomchat", string.Empty, StringComparison.Ordinal));

        Assert.Equal(["url", "expires_at"], JsonKeys.Of(json));
        Assert.Equal("https://archive.example.com/zoomchat/signin", url.GetLeftPart(UriPartial.Path));
        Assert.Matches("^\\?token=[A-Za-z0-9_-]{43}$", url.Query);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [StoreFact]
    public async Task Viewer_link_without_json_prints_the_link_on_its_own_line()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "dpo@acme.com", "--archive-viewer");

        var result = await cli.RunAsync("viewer", "link", "--account", "acme", "--email", "dpo@acme.com", "--expires-in", "3600");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("http://127.0.0.1:5080/signin?token=", result.Output.Split('\n')[0], StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("ana@acme.com", "does not hold the archive-view privilege")]
    [InlineData("nobody@acme.com", "has no user nobody@acme.com")]
    public async Task Viewer_link_is_refused_in_one_line_for_anyone_but_an_archive_viewer(string email, string expected)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "ana@acme.com");

        var result = await cli.RunAsync("viewer", "link", "--account", "acme", "--email", email);

        Assert.Contains(expected, result.OneLineError(), StringComparison.Ordinal);
    }

    [StoreTheory]
    [InlineData("--expires-in", "0", "--expires-in takes a number of seconds from 1 to 604800")]
    [InlineData("--base-url", "ftp://archive.example.com/", "--base-url takes the server's address")]
    [InlineData("--base-url", "archive", "--base-url takes the server's address")]
    public async Task Viewer_link_names_a_bad_flag(string flag, string value, string expected)
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await cli.JsonAsync("user", "add", "--account", "acme", "--email", "dpo@acme.com", "--archive-viewer");

        var result = await cli.RunAsync("viewer", "link", "--account", "acme", "--email", "dpo@acme.com", flag, value);

        Assert.Contains(expected, result.OneLineError(), StringComparison.Ordinal);
    }
}
