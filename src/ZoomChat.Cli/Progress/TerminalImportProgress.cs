using System.Globalization;
using Spectre.Console;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// A live bar per input on a terminal (docs/operations.md#import-and-export): bytes read of the file's size, records/s and the
/// time left, drawn by Spectre.Console on standard error.
/// </summary>
internal sealed class TerminalImportProgress(IAnsiConsole console) : ImportProgressDisplay
{
    public override Task RunAsync(Func<Func<ImportStep, StepProgress>, Task> import) =>
        console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new RemainingTimeColumn())
            .StartAsync(context => import(step => new Bar(step, context)));

    // Spectre.Console moves the bars below what goes through the console while they are live; plain
    // text, not markup, so that a reason with brackets prints as it is.
    public override void WriteLine(string line) => console.WriteLine(line);

    private sealed class Bar : StepProgress
    {
        private readonly ProgressTask _task;

        public Bar(ImportStep step, ProgressContext context)
            : base(step, TimeProvider.System)
        {
            var length = step.Bytes?.Length;
            _task = context.AddTask(Markup.Escape(step.Name), maxValue: length is > 0 ? length.Value : 1);
            _task.IsIndeterminate = length is null or 0;

            // Drawn now rather than at the next tick, so that the step's rejected lines come above its bar.
            context.Refresh();
        }

        public override void Report(ImportProgress value)
        {
            var records = Records(value);
            _task.Description = Markup.Escape(string.Create(
                CultureInfo.InvariantCulture, $"{Step.Name}  {records:N0} records, {ProgressNumbers.PerSecond(records, Elapsed):N0}/s"));
            if (Step.Bytes is { } bytes && !_task.IsIndeterminate)
            {
                _task.Value = Math.Min(bytes.Read, _task.MaxValue);
            }
        }

        public override void Complete()
        {
            _task.IsIndeterminate = false;
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }
    }
}
