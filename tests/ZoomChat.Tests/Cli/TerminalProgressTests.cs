using System.Text.RegularExpressions;
using Spectre.Console;
using ZoomChat.Cli.Progress;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// The live displays (docs/operations.md#import-and-export), drawn by Spectre.Console as on a terminal (ANSI, interactive) into a
/// string: what a terminal would show once the escape sequences are taken out.
/// </summary>
public sealed partial class TerminalProgressTests
{
    [Fact]
    public async Task Rejected_lines_print_whole_on_lines_of_their_own_above_the_import_bars()
    {
        using var terminal = new StringWriter();
        var display = new TerminalImportProgress(Terminal(terminal));
        var step = new ImportStep("history.ndjson", ImportFormat.Ndjson, _ => AsyncEnumerable.Empty<ImportRecord>());

        await display.RunAsync(progressOf =>
        {
            var progress = progressOf(step);
            progress.Report(new ImportProgress(2, 1, 0, 1));
            display.WriteLine("history.ndjson:1: not JSON [see import-formats.md]");
            progress.Report(new ImportProgress(3, 1, 0, 2));
            display.WriteLine("history.ndjson:3: no date_time");
            progress.Complete(finished: true);
            return Task.CompletedTask;
        });

        var screen = Screen(terminal).Where(line => line.Length > 0).ToList();
        Assert.Equal(3, screen.Count);
        Assert.Equal("history.ndjson:1: not JSON [see import-formats.md]", screen[0]);
        Assert.Equal("history.ndjson:3: no date_time", screen[1]);
        Assert.StartsWith("history.ndjson  3 records, ", screen[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_on_a_terminal_shows_messages_and_megabytes_written()
    {
        using var terminal = new StringWriter();

        await new TerminalExportProgress(Terminal(terminal)).RunAsync(progress =>
        {
            Assert.NotNull(progress);
            progress.Report(new ExportProgress(1_000, 250_000));
            progress.Report(new ExportProgress(1_240, 310_000));
            return Task.CompletedTask;
        });

        var screen = Screen(terminal).Where(line => line.Length > 0).ToList();
        Assert.Single(screen);
        Assert.Matches(@"^export  1,240 messages, [\d,]+/s, 0\.3 MB ━+ \d\d:\d\d:\d\d$", screen[0]);
    }

    [Fact]
    public async Task An_import_bar_on_80_columns_keeps_its_bar_percentage_megabytes_and_time_left_on_one_line()
    {
        using var terminal = new StringWriter();
        var console = Terminal(terminal);
        console.Profile.Width = 80;
        var step = StepOf("/var/lib/zoomchat/imports/2024/march/ubuntu-large.ndjson.gz", read: 200_000, length: 1_000_000);

        await new TerminalImportProgress(console).RunAsync(progressOf =>
        {
            var progress = progressOf(step);
            progress.Report(new ImportProgress(1_240_000, 1_240_000, 0, 0));
            progress.Complete(finished: true);
            return Task.CompletedTask;
        });

        var screen = Screen(terminal).Where(line => line.Length > 0).ToList();
        var line = Assert.Single(screen);
        Assert.True(line.Length <= 80, line);
        Assert.Matches(@"^….*\.ndjson\.gz  1,240,000 records.* 100% +1\.0/1\.0 MB +\d\d:\d\d:\d\d$", line);
    }

    [Fact]
    public async Task A_stopped_import_leaves_its_bar_where_the_reading_was()
    {
        using var terminal = new StringWriter();
        var step = StepOf("history.ndjson", read: 200_000, length: 1_000_000);

        await new TerminalImportProgress(Terminal(terminal)).RunAsync(progressOf =>
        {
            var progress = progressOf(step);
            progress.Report(new ImportProgress(1_000, 1_000, 0, 0));
            progress.Complete(finished: false);
            return Task.CompletedTask;
        });

        var line = Assert.Single(Screen(terminal), line => line.Length > 0);
        Assert.Contains(" 20% ", line, StringComparison.Ordinal);
        Assert.Contains("0.2/1.0 MB", line, StringComparison.Ordinal);
    }

    /// <summary>A step whose input is <paramref name="length"/> bytes, <paramref name="read"/> of them read.</summary>
    private static ImportStep StepOf(string name, int read, long length)
    {
        var bytes = new InputBytes(length);
        using (var counted = bytes.Count(new MemoryStream(new byte[read])))
        {
            counted.CopyTo(Stream.Null);
        }

        return new ImportStep(name, ImportFormat.Ndjson, _ => AsyncEnumerable.Empty<ImportRecord>()) { Bytes = bytes };
    }

    private static IAnsiConsole Terminal(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(writer),
    });

    /// <summary>
    /// What a terminal shows after the text written: the lines that stay, trailing blanks trimmed. Spectre.Console
    /// redraws a live display by moving the cursor up over it (carriage return, <c>ESC[nA</c>) and writing again.
    /// </summary>
    private static List<string> Screen(StringWriter terminal)
    {
        var rows = new List<char[]>();
        int row = 0, column = 0;
        var text = terminal.ToString();
        for (var i = 0; i < text.Length; i++)
        {
            if (EscapeSequence().Match(text, i) is { Success: true } escape)
            {
                if (escape.Groups["up"].Success)
                {
                    row = Math.Max(0, row - int.Parse(escape.Groups["up"].Value, System.Globalization.CultureInfo.InvariantCulture));
                }

                i += escape.Length - 1;
                continue;
            }

            switch (text[i])
            {
                case '\n':
                    (row, column) = (row + 1, 0);
                    break;
                case '\r':
                    column = 0;
                    break;
                default:
                    while (rows.Count <= row)
                    {
                        rows.Add([.. new string(' ', 200)]);
                    }

                    rows[row][column++] = text[i];
                    break;
            }
        }

        return [.. rows.Select(r => new string(r).TrimEnd())];
    }

    [GeneratedRegex(@"\G\x1b\[(?:(?<up>\d+)A|[0-9;?]*[A-Za-z])")]
    private static partial Regex EscapeSequence();
}
