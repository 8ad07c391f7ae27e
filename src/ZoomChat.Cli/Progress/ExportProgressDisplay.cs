using ZoomChat.Server.Interchange;

namespace ZoomChat.Cli.Progress;

/// <summary>
/// How an export shows its progress, like an import's (<see cref="ImportProgressDisplay"/>): a live line
/// on a terminal, else a plain line on standard error every few seconds. Never on standard output,
/// which may be the export itself, and not at all when the export goes to the terminal that standard
/// error is on: the export scrolls by there, and progress would break into its lines.
/// </summary>
internal abstract class ExportProgressDisplay
{
    /// <param name="toStandardOutput">Whether the export goes to standard output rather than to a file.</param>
    public static ExportProgressDisplay For(CliContext cli, bool toStandardOutput) =>
        cli.ErrorIsTerminal && toStandardOutput && cli.OutputIsTerminal ? new None()
        : cli.ErrorIsTerminal ? new TerminalExportProgress(ImportProgressDisplay.StandardErrorConsole())
        : new PlainExportProgress(cli.Error, cli.ProgressInterval, TimeProvider.System);

    /// <summary>Runs <paramref name="export"/>, which reports to the progress it is given, if any.</summary>
    public abstract Task RunAsync(Func<IProgress<ExportProgress>?, Task> export);

    private sealed class None : ExportProgressDisplay
    {
        public override Task RunAsync(Func<IProgress<ExportProgress>?, Task> export) => export(null);
    }
}
