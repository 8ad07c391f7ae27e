using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// A live bar per input on a terminal (docs/operations.md#import-and-export): bytes read of the file's size, records/s and the
/// time left, drawn by Spectre.Console on standard error.
/// </summary>
internal sealed class TerminalImportProgress(IAnsiConsole console) : ImportProgressDisplay
{
    /// <summary>The bar's width; what the other columns take besides the description, with the spaces between them.</summary>
    private const int BarWidth = 16;
    private const int OtherColumns = BarWidth + 4 + 16 + 8 + 4;

    public override Task RunAsync(Func<Func<ImportStep, StepProgress>, Task> import) =>
        console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn { Width = BarWidth },
                new PercentageColumn(),
                new MegabytesColumn(),
                new RemainingTimeColumn())
            .StartAsync(context => import(step => new Bar(step, context, Math.Max(12, console.Profile.Width - OtherColumns))));

    // Spectre.Console moves the bars below what goes through the console while they are live; plain
    // text, not markup, so that a reason with brackets prints as it is.
    public override void WriteLine(string line) => console.WriteLine(line);

    /// <summary>
    /// The description cut to <paramref name="width"/>: a line longer than the terminal was wrapped,
    /// and its bar, percentage and time left went to the next line (docs/operations.md#import-and-export).
    /// The file's name gives way first, keeping its end; then the rate.
    /// </summary>
    internal static string Fit(string name, string counts, string rate, int width)
    {
        var full = $"{counts}, {rate}";
        if (full.Length > width - 4)
        {
            full = counts.Length <= width ? counts : counts[..width];
        }

        var room = width - full.Length - 2;
        if (room < 4)
        {
            return full;
        }

        var shown = name.Length <= room ? name : "…" + name[^(room - 1)..];
        return $"{shown}  {full}";
    }

    private sealed class Bar : StepProgress
    {
        private readonly ProgressTask _task;
        private readonly int _width;

        public Bar(ImportStep step, ProgressContext context, int width)
            : base(step, TimeProvider.System)
        {
            _width = width;
            var length = step.Bytes?.Length;
            _task = context.AddTask(Markup.Escape(Fit(step.Name, "0 records", "0/s", width)), maxValue: length is > 0 ? length.Value : 1);
            _task.IsIndeterminate = length is null or 0;

            // Drawn now rather than at the next tick, so that the step's rejected lines come above its bar.
            context.Refresh();
        }

        public override void Report(ImportProgress value)
        {
            var records = Records(value);
            _task.Description = Markup.Escape(Fit(
                Step.Name,
                string.Create(CultureInfo.InvariantCulture, $"{records:N0} records"),
                string.Create(CultureInfo.InvariantCulture, $"{ProgressNumbers.PerSecond(records, Elapsed):N0}/s"),
                _width));
            if (Step.Bytes is { } bytes && !_task.IsIndeterminate)
            {
                _task.Value = Math.Min(bytes.Read, _task.MaxValue);
            }
        }

        public override void Complete(bool finished)
        {
            // A stopped import (Ctrl+C) keeps its bar where the reading was: only a finished one is full.
            _task.IsIndeterminate = false;
            if (finished)
            {
                _task.Value = _task.MaxValue;
            }

            _task.StopTask();
        }
    }

    /// <summary>Bytes read of the input's size in decimal megabytes, as the plain line gives them (ProgressNumbers).</summary>
    private sealed class MegabytesColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.IsIndeterminate
                ? string.Empty
                : $"{ProgressNumbers.Megabytes((long)task.Value)}/{ProgressNumbers.Megabytes((long)task.MaxValue)} MB");
    }
}
