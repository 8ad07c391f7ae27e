using System.Globalization;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// Progress for logs and pipes, where a live bar would only garble the output (docs/operations.md#import-and-export):
/// <c>zoomchat: FILE: N records, R records/s, X of Y MB (P%), ETA h:mm:ss</c> on standard error.
/// </summary>
internal sealed class PlainImportProgress(TextWriter error, TimeSpan interval, TimeProvider time) : ImportProgressDisplay
{
    public override Task RunAsync(Func<Func<ImportStep, StepProgress>, Task> import) =>
        import(step => new Line(step, error, interval, time));

    public override void WriteLine(string line) => error.WriteLine(line);

    private sealed class Line(ImportStep step, TextWriter error, TimeSpan interval, TimeProvider time) : StepProgress(step, time)
    {
        private long _lastLine = time.GetTimestamp();

        public override void Report(ImportProgress value)
        {
            var now = Time.GetTimestamp();
            if (Time.GetElapsedTime(_lastLine, now) < interval)
            {
                return;
            }

            _lastLine = now;
            error.WriteLine(Format(Step, value, Elapsed));
        }

        private static string Format(ImportStep step, ImportProgress value, TimeSpan elapsed)
        {
            var records = Records(value);
            var line = string.Create(CultureInfo.InvariantCulture, $"zoomchat: {step.Name}: {records} records, {ProgressNumbers.PerSecond(records, elapsed):F0} records/s");
            if (step.Bytes is not { } bytes)
            {
                return line;
            }

            var read = bytes.Read;
            if (bytes.Length is not { } length || length == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{line}, {ProgressNumbers.Megabytes(read)} MB");
            }

            var eta = read > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * Math.Max(0, length - read) / read) : (TimeSpan?)null;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{line}, {ProgressNumbers.Megabytes(read)} of {ProgressNumbers.Megabytes(length)} MB ({100.0 * read / length:F0}%), ETA {(eta is { } e ? e.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "?")}");
        }
    }
}
