using System.Text.Json;
using System.Text.RegularExpressions;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>Not on a terminal: a plain progress line every few seconds, and nothing that breaks --json (docs/operations.md#import-and-export).</summary>
public sealed partial class ImportProgressTests
{
    // The importer reports progress per chunk read and written, here of at most one batch of 1,000 records: at
    // least one report per batch, and more when a chunk is handed on before it is full, as a read that waits
    // longer than the input pause makes it (a loaded machine can).
    private const int BatchSize = 1000;
    private const int LineCount = 3 * BatchSize;

    [StoreFact]
    public async Task Import_not_on_a_terminal_writes_plain_progress_lines_on_stderr_and_one_json_object_on_stdout()
    {
        using var store = new CliStore();
        await store.JsonAsync("account", "create", "acme");
        var file = store.WriteFile("history.ndjson", History());
        var size = new FileInfo(file).Length;

        var result = await store.RunWithProgressAsync(TimeSpan.Zero, "import", file, "--batch-size", $"{BatchSize}", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($$"""{"stored":{{LineCount}},"duplicates":0,"rejected":0}""" + "\n", result.Output);
        var progress = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(progress.Length >= LineCount / BatchSize, result.Error);
        long previous = 0;
        foreach (var line in progress)
        {
            var match = ProgressLine().Match(line);
            Assert.True(match.Success, line);
            Assert.Equal(file, match.Groups["file"].Value);
            var records = long.Parse(match.Groups["records"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(records > previous && records <= previous + BatchSize, result.Error);
            Assert.Equal((size / 1_000_000.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture), match.Groups["size"].Value);
            previous = records;
        }

        Assert.Equal(LineCount, previous);
        Assert.Equal("100", ProgressLine().Match(progress[^1]).Groups["percent"].Value);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(result.Output).RootElement.ValueKind);
    }

    [StoreFact]
    public async Task Import_quicker_than_the_progress_interval_writes_no_progress_line()
    {
        using var store = new CliStore();
        await store.JsonAsync("account", "create", "acme");
        var file = store.WriteFile("history.ndjson", History());

        var result = await store.RunWithProgressAsync(TimeSpan.FromHours(1), "import", file, "--json");

        Assert.Equal(LineCount, result.SingleJsonObject().GetProperty("stored").GetInt64());
    }

    [StoreFact]
    public async Task A_symbolic_link_shows_the_size_of_its_target()
    {
        using var store = new CliStore();
        await store.JsonAsync("account", "create", "acme");
        var file = store.WriteFile("history.ndjson", History());
        var link = store.PathOf("link.ndjson");
        File.CreateSymbolicLink(link, file);

        var result = await store.RunWithProgressAsync(TimeSpan.Zero, "import", link, "--batch-size", $"{BatchSize}", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var last = ProgressLine().Match(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.True(last.Success, result.Error);
        Assert.Equal((new FileInfo(file).Length / 1_000_000.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture), last.Groups["size"].Value);
        Assert.Equal("100", last.Groups["percent"].Value);
    }

    [GeneratedRegex(@"^zoomchat: (?<file>.+): (?<records>\d+) records, \d+ records/s, \d+\.\d of (?<size>\d+\.\d) MB \((?<percent>\d+)%\), ETA \d:\d\d:\d\d$")]
    private static partial Regex ProgressLine();

    private static string[] History() =>
        [.. Enumerable.Range(0, LineCount).Select(i => Lines.Message(
            "s-1", $"2016-01-18T06:{i / 60 % 60:00}:{i % 60:00}.{i / 3600:000}Z", $"message {i}", sender: "ann@acme.com", messageId: $"m-{i}", account: "acme"))];
}
