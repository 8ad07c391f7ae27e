using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ZoomChat.Cli;
using ZoomChat.Cli.Progress;
using ZoomChat.Server.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>Export shows its progress as import does, on standard error only, and writes the same bytes.</summary>
public sealed partial class ExportProgressTests
{
    // Two full reports and the last one, which gives the totals.
    private const int MessageCount = (2 * ExportProgress.MessagesPerReport) + 500;

    [StoreTheory]
    [InlineData("ndjson")]
    [InlineData("csv")]
    public async Task Export_to_a_file_not_on_a_terminal_writes_plain_progress_lines_on_stderr_and_the_same_file(string format)
    {
        using var cli = await FilledAsync();
        var quiet = cli.PathOf($"quiet.{format}");
        var shown = cli.PathOf($"shown.{format}");
        Assert.Equal((0, string.Empty), Outcome(await cli.RunWithProgressAsync(TimeSpan.FromHours(1), "export", "--format", format, "--output", quiet)));

        var result = await cli.RunWithProgressAsync(TimeSpan.Zero, "export", "--format", format, "--output", shown);

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Output));
        Assert.Equal(await File.ReadAllBytesAsync(quiet), await File.ReadAllBytesAsync(shown));
        AssertProgressLines(result.Error, new FileInfo(shown).Length);
    }

    [StoreTheory]
    [InlineData("ndjson")]
    [InlineData("csv")]
    public async Task Export_to_standard_output_not_on_a_terminal_writes_progress_on_stderr_only(string format)
    {
        using var cli = await FilledAsync();
        var file = cli.PathOf($"export.{format}");
        await cli.RunWithProgressAsync(TimeSpan.FromHours(1), "export", "--format", format, "--output", file);

        var result = await cli.RunWithProgressAsync(TimeSpan.Zero, "export", "--format", format);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(await File.ReadAllBytesAsync(file), Encoding.UTF8.GetBytes(result.Output));
        AssertProgressLines(result.Error, new FileInfo(file).Length);
    }

    [StoreFact]
    public async Task Export_quicker_than_the_progress_interval_writes_no_progress_line()
    {
        using var cli = await FilledAsync();

        var toFile = await cli.RunWithProgressAsync(TimeSpan.FromHours(1), "export", "--output", cli.PathOf("out.ndjson"));
        var toStandardOutput = await cli.RunWithProgressAsync(TimeSpan.FromHours(1), "export");

        Assert.Equal((0, string.Empty), Outcome(toFile));
        Assert.Equal((0, string.Empty), Outcome(toStandardOutput));
        Assert.Equal(MessageCount, toStandardOutput.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [StoreTheory]
    [InlineData(true, true, true, false)]
    [InlineData(true, true, false, true)]
    [InlineData(false, true, true, true)]
    [InlineData(true, false, true, true)]
    public async Task Export_to_the_terminal_that_standard_error_is_on_shows_no_progress(
        bool outputIsTerminal, bool errorIsTerminal, bool toStandardOutput, bool progressShown)
    {
        // On one terminal the exported lines scroll by, and a progress line would break into them.
        var cli = new CliContext(
            TextReader.Null, TextWriter.Null, () => Stream.Null, TextWriter.Null, null, json: false, outputIsTerminal, errorIsTerminal, TimeSpan.Zero);
        IProgress<ExportProgress>? given = null;

        // The export reports nothing: only whether it is given a progress to report to matters here.
        await ExportProgressDisplay.For(cli, toStandardOutput).RunAsync(progress =>
        {
            given = progress;
            return Task.CompletedTask;
        });

        Assert.Equal(progressShown, given is not null);
    }

    private static void AssertProgressLines(string error, long size)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Exported {MessageCount} messages.", lines[^1]);
        lines = lines[..^1];
        Assert.Equal([1000, 2000, MessageCount], lines.Select(line =>
        {
            var match = ProgressLine().Match(line);
            Assert.True(match.Success, line);
            return long.Parse(match.Groups["messages"].Value, CultureInfo.InvariantCulture);
        }));
        Assert.Equal((size / 1_000_000.0).ToString("F1", CultureInfo.InvariantCulture), ProgressLine().Match(lines[^1]).Groups["size"].Value);
    }

    /// <summary>The exit code and what standard error held besides the closing count.</summary>
    private static (int ExitCode, string Error) Outcome(CliResult result) =>
        (result.ExitCode, result.Error.Replace($"Exported {MessageCount} messages.\n", string.Empty, StringComparison.Ordinal));

    private static async Task<CliStore> FilledAsync()
    {
        var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var file = cli.WriteFile("history.ndjson", [.. Enumerable.Range(0, MessageCount).Select(i => Lines.Message(
            $"s-{i % 7}", $"2016-01-18T06:{i / 60 % 60:00}:{i % 60:00}.{i / 3600:000}Z", $"message {i}, \"quoted\"", sender: "ann@acme.com", messageId: $"m-{i}", account: "acme"))]);
        var imported = await cli.RunWithProgressAsync(TimeSpan.FromHours(1), "import", file, "--json");
        Assert.Equal(MessageCount, imported.SingleJsonObject().GetProperty("stored").GetInt64());
        return cli;
    }

    [GeneratedRegex(@"^zoomchat: export: (?<messages>\d+) messages, \d+ messages/s, (?<size>\d+\.\d) MB written$")]
    private static partial Regex ProgressLine();
}
