using ZoomChat.Server.Interchange;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// How an export shows its progress, like an import's (<see cref="ImportProgressDisplay"/>): a live line
/// on a terminal, else a plain line on standard error every few seconds. Never on standard output,
/// which may be the export itself.
/// </summary>
internal abstract class ExportProgressDisplay
{
    public static ExportProgressDisplay For(CliContext cli) =>
        cli.ErrorIsTerminal
            ? new TerminalExportProgress(ImportProgressDisplay.StandardErrorConsole())
            : new PlainExportProgress(cli.Error, cli.ProgressInterval, TimeProvider.System);

    /// <summary>Runs <paramref name="export"/>, which reports to the progress it is given.</summary>
    public abstract Task RunAsync(Func<IProgress<ExportProgress>, Task> export);
}
