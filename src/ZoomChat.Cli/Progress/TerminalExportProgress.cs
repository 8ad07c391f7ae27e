using System.Globalization;
using Spectre.Console;
using ZoomChat.Server.Interchange;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// A live line on a terminal, drawn by Spectre.Console on standard error like import's bars: messages
/// written, messages/s and megabytes. No total is known before the end, so the bar only pulses.
/// </summary>
internal sealed class TerminalExportProgress(IAnsiConsole console) : ExportProgressDisplay
{
    public override Task RunAsync(Func<IProgress<ExportProgress>?, Task> export) =>
        console.Progress()
            .AutoClear(false)
            // A narrow bar, so that the line fits 80 columns: a longer one wrapped there.
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 }, new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = new Bar(context.AddTask("export", maxValue: 1), TimeProvider.System);
                var finished = false;
                try
                {
                    await export(bar);
                    finished = true;
                }
                finally
                {
                    bar.Complete(finished);
                }
            });

    private sealed class Bar : IProgress<ExportProgress>
    {
        private readonly ProgressTask _task;
        private readonly TimeProvider _time;
        private readonly long _started;

        public Bar(ProgressTask task, TimeProvider time)
        {
            _task = task;
            _task.IsIndeterminate = true;
            _time = time;
            _started = time.GetTimestamp();
        }

        public void Report(ExportProgress value) =>
            _task.Description = string.Create(
                CultureInfo.InvariantCulture,
                $"export  {value.Messages:N0} messages, {ProgressNumbers.PerSecond(value.Messages, _time.GetElapsedTime(_started)):N0}/s, {ProgressNumbers.Megabytes(value.Bytes)} MB");

        /// <summary>Full when the export finished; a stopped one (Ctrl+C) stops where it was.</summary>
        public void Complete(bool finished)
        {
            _task.IsIndeterminate = false;
            if (finished)
            {
                _task.Value = _task.MaxValue;
            }

            _task.StopTask();
        }
    }
}
