using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZoomChat.Client.Wire;
using ZoomChat.Export;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Client;

/// <summary>The sample program samples/ZoomChat.Export, run in-process against the test server.</summary>
public sealed class ExportSampleTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [StoreTheory]
    [InlineData(false, null)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    public async Task The_export_sample_writes_the_accounts_archive_as_the_api_reveals_it(bool rateLimits, int? pageSize)
    {
        await using var archive = await TestArchive.StartAsync(o => o.RateLimits = rateLimits);
        var acme = await archive.CreateAccountAsync("acme");
        var other = await archive.CreateAccountAsync("other");
        await archive.ImportAsync(acme.Account, ChatSeed.Varied());
        await archive.ImportAsync(other.Account, [ChatSeed.Group("zz-other", "zed@other.com", ChatSeed.Day, "another account")]);
        using var folder = new TempFolder();
        var output = Path.Combine(folder.Path, "export.ndjson");
        var errors = new StringWriter();
        string[] args = ["--base-address", "http://localhost/", "--from", "2016-01-16", "--to", "2016-01-22", "--output", output];
        if (pageSize is { } size)
        {
            args = [.. args, "--page-size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        var exit = await ExportCommand.RunAsync(
            args, Environment(acme), errors, new ForwardingHandler(archive.Http), new SleepingClock(archive.Time));

        Assert.Equal(0, exit);
        var expected = await ServerExportAsync(archive, acme.Account, ChatSeed.StartOf(new DateOnly(2016, 1, 16)), ChatSeed.EndOf(new DateOnly(2016, 1, 22)));
        Assert.Equal(28, expected.Count);
        Assert.Equal(expected, await File.ReadAllLinesAsync(output));
        Assert.Equal($"zoomchat-export: 28 messages of 4 sessions{System.Environment.NewLine}", errors.ToString());
    }

    [StoreFact]
    public async Task The_export_sample_reports_a_refusal_and_exits_1()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var errors = new StringWriter();

        var exit = await ExportCommand.RunAsync(
            ["--base-address", "http://localhost/", "--from", "2016-01-16", "--to", "2016-01-22", "--output", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.ndjson")],
            Environment(acme with { AccessToken = "wrong" }),
            errors,
            new ForwardingHandler(archive.Http));

        Assert.Equal(1, exit);
        Assert.Equal($"zoomchat-export: the server refused: Invalid access token. (code 124){System.Environment.NewLine}", errors.ToString());
    }

    [StoreTheory]
    [InlineData("--from", "2016-01-16", "--to", "2016-01-22")]
    [InlineData("--base-address", "http://localhost/", "--from", "yesterday", "--to", "2016-01-22")]
    [InlineData("--base-address", "http://localhost/", "--from", "2016-01-16", "--to", "2016-01-22", "--page-size", "0")]
    [InlineData("--base-address", "http://localhost/", "--from", "2016-01-16", "--to", "2016-01-22", "--verbose")]
    public async Task The_export_sample_refuses_bad_arguments_with_its_usage(params string[] args)
    {
        var errors = new StringWriter();

        var exit = await ExportCommand.RunAsync(args, _ => "set", errors);

        Assert.Equal(2, exit);
        Assert.Contains(ExportCommand.Usage, errors.ToString(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task The_export_sample_shows_its_usage_on_help()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await ExportCommand.RunAsync(["--help"], _ => null, errors, stdout: output);

        Assert.Equal((0, ExportCommand.Usage + System.Environment.NewLine, string.Empty), (exit, output.ToString(), errors.ToString()));
    }

    [StoreTheory]
    [InlineData("missing/x.ndjson", "its folder does not exist")]
    [InlineData("", "is a folder; name a file")]
    public async Task The_export_sample_names_an_output_it_cannot_write_in_one_line(string name, string reason)
    {
        using var folder = new TempFolder();
        var output = Path.Combine(folder.Path, name);
        var errors = new StringWriter();

        var exit = await ExportCommand.RunAsync(
            ["--base-address", "http://localhost/", "--from", "2016-01-16", "--to", "2016-01-22", "--output", output],
            _ => "set",
            errors);

        Assert.Equal((1, $"zoomchat-export: --output {output}: {reason}{System.Environment.NewLine}"), (exit, errors.ToString()));
    }

    private static Func<string, string?> Environment(TestCredentials credentials) => name => name switch
    {
        "ZOOMCHAT_API_KEY" => credentials.ApiKey,
        "ZOOMCHAT_API_SECRET" => credentials.ApiSecret,
        "ZOOMCHAT_ACCESS_TOKEN" => credentials.AccessToken,
        _ => null,
    };

    /// <summary>
    /// The server's own export of the account (docs/import-formats.md#the-interchange-format) in the range, less what the API does not
    /// reveal: the account, message ids and a group's participants.
    /// </summary>
    private static async Task<List<string>> ServerExportAsync(TestArchive archive, string account, DateTimeOffset from, DateTimeOffset to)
    {
        using var stream = new MemoryStream();
        await new ArchiveExporter(archive.Store).ExportAsync(new ExportQuery(account, null, null, null, null), stream, CancellationToken.None);
        var lines = new List<string>();
        foreach (var text in Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var line = JsonNode.Parse(text)!.AsObject();
            var time = DateTimeOffset.Parse((string)line["date_time"]!, System.Globalization.CultureInfo.InvariantCulture);
            if (time < from || time > to)
            {
                continue;
            }

            line.Remove("account");
            line.Remove("message_id");
            if ((string?)line["type"] == ChatSessionTypes.Group)
            {
                line.Remove("participants");
            }

            lines.Add(line.ToJsonString(Relaxed));
        }

        return lines;
    }
}
