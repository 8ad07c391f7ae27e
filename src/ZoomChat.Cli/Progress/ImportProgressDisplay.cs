using Spectre.Console;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// How an import shows its progress (docs/operations.md#import-and-export): live bars on a terminal, else a plain line on
/// standard error every few seconds. Never on standard output, which <c>--json</c> keeps for its object.
/// </summary>
internal abstract class ImportProgressDisplay
{
    /// <summary>How often the plain line is written when standard error is not a terminal (export's too).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    public static ImportProgressDisplay For(CliContext cli) =>
        cli.ErrorIsTerminal
            ? new TerminalImportProgress(StandardErrorConsole())
            : new PlainImportProgress(cli.Error, cli.ProgressInterval, TimeProvider.System);

    /// <summary>Standard error as Spectre.Console draws on it; lines of the command's own go through it too, above the bars.</summary>
    public static IAnsiConsole StandardErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Runs <paramref name="import"/>, which imports each step reporting to the <see cref="StepProgress"/> it asks for.</summary>
    public abstract Task RunAsync(Func<Func<ImportStep, StepProgress>, Task> import);

    /// <summary>
    /// Writes a line of the import's own (a rejected record) on standard error: on a terminal above the
    /// live bars, since a line written past Spectre.Console would land in the middle of them.
    /// </summary>
    public abstract void WriteLine(string line);
}

/// <summary>The progress of one step of an import, reported after each committed batch.</summary>
internal abstract class StepProgress(ImportStep step, TimeProvider time) : IProgress<ImportProgress>
{
    private readonly long _started = time.GetTimestamp();

    protected ImportStep Step { get; } = step;

    protected TimeProvider Time { get; } = time;

    public abstract void Report(ImportProgress value);

    /// <summary>The step's import has returned: <paramref name="finished"/> when it read its input to the end, not when stopped or failed.</summary>
    public virtual void Complete(bool finished)
    {
    }

    protected TimeSpan Elapsed => Time.GetElapsedTime(_started);

    protected static long Records(ImportProgress value) => value.Stored + value.Duplicates + value.Rejected;
}
