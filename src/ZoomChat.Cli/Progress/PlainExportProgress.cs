using System.Globalization;
using ZoomChat.Server.Interchange;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// Export progress for logs and pipes, as import's (<see cref="PlainImportProgress"/>) for standard input, whose
/// size is unknown too: <c>zoomchat: export: N messages, R messages/s, X MB written</c> on standard error.
/// </summary>
internal sealed class PlainExportProgress(TextWriter error, TimeSpan interval, TimeProvider time) : ExportProgressDisplay
{
    public override Task RunAsync(Func<IProgress<ExportProgress>?, Task> export) => export(new Line(error, interval, time));

    private sealed class Line(TextWriter error, TimeSpan interval, TimeProvider time) : IProgress<ExportProgress>
    {
        private readonly long _started = time.GetTimestamp();
        private long _lastLine = time.GetTimestamp();

        public void Report(ExportProgress value)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_lastLine, now) < interval)
            {
                return;
            }

            _lastLine = now;
            var perSecond = ProgressNumbers.PerSecond(value.Messages, time.GetElapsedTime(_started, now));
            error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"zoomchat: export: {value.Messages} messages, {perSecond:F0} messages/s, {ProgressNumbers.Megabytes(value.Bytes)} MB written"));
        }
    }
}
