using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ZoomChat.Cli.Commands;
using ZoomChat.Cli.Progress;
using ZoomChat.Server.Accounts;

namespace ZoomChat.Cli;

/// <summary>The <c>zoomchat</c> command (CONTRACT.md section 11): one executable to run and operate the archive.</summary>
internal static class ZoomChatCommandLine
{
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, input, output, Console.OpenStandardOutput, error, ImportProgressDisplay.DefaultInterval, cancellationToken);

    /// <param name="openStandardOutput">Opens <paramref name="output"/> as bytes, for export (tests capture both).</param>
    /// <param name="progressInterval">How often import and export write a plain progress line when standard error is no terminal (tests set zero).</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextReader input,
        TextWriter output,
        Func<Stream> openStandardOutput,
        TextWriter error,
        TimeSpan progressInterval,
        CancellationToken cancellationToken)
    {
        var outputIsTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var errorIsTerminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        // A new command tree for every run: System.CommandLine keeps parse state in its symbols.
        var storeOption = new Option<string?>("--store")
        {
            Description = "SQLite file path or connection string (default: data/zoomchat.db, or ZoomChat:Store from configuration)",
            Recursive = true,
        };
        var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object for scripts", Recursive = true };
        var root = new RootCommand("ZoomChat: a self-hostable Zoom Chat API v1 server and chat archive.");
        root.Options.Add(storeOption);
        root.Options.Add(jsonOption);
        root.Subcommands.Add(ServeCommands.Serve(Run));
        root.Subcommands.Add(ServeCommands.Demo(Run));
        root.Subcommands.Add(AdministrationCommands.Account(Run));
        root.Subcommands.Add(AdministrationCommands.Key(Run));
        root.Subcommands.Add(AdministrationCommands.User(Run));
        root.Subcommands.Add(AdministrationCommands.Token(Run));
        root.Subcommands.Add(InterchangeCommands.Import(Run));
        root.Subcommands.Add(InterchangeCommands.Export(Run));
        root.Subcommands.Add(StoreCommands.Backup(Run));
        root.Subcommands.Add(StoreCommands.Session(Run));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One clear line, not a page of help (CONTRACT.md section 11); --help shows the usage. A mistyped
            // command is named, rather than reported as the "required command" it leaves missing.
            var message = parsed.UnmatchedTokens.Count > 0
                ? $"Unrecognized command or argument '{parsed.UnmatchedTokens[0]}'."
                : parsed.Errors[0].Message;
            await error.WriteLineAsync($"zoomchat: {OneLine(message)} (see zoomchat --help)");
            return 2;
        }

        // Ctrl+C (SIGINT) and SIGTERM cancel the command's token, so that an import commits its batch and
        // says how far it got (docs/operations.md). A configuration made here has no such handling unless
        // asked for: without it the signal ended the process at once. A command still running after the
        // timeout is left, with exit code 130.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
        return await parsed.InvokeAsync(invocation, cancellationToken);

        Func<ParseResult, CancellationToken, Task<int>> Run(CliAction action) =>
            async (result, token) =>
            {
                await using var context = new CliContext(
                    input, output, openStandardOutput, error, result.GetValue(storeOption), result.GetValue(jsonOption), outputIsTerminal, errorIsTerminal, progressInterval);
                try
                {
                    await action(context, result, token);
                    return 0;
                }
                catch (Exception e) when (e is CliException or ArchiveAdministrationException or ArgumentException
                    or OptionsValidationException or SqliteException or IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"zoomchat: {OneLine(e.Message)}");
                    return 1;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    await error.WriteLineAsync("zoomchat: stopped.");
                    return 130;
                }
            };
    }

    /// <summary>
    /// An error as one line (CONTRACT.md section 11): System.CommandLine lists the allowed values of
    /// an option on lines of their own, and exception messages may span lines too.
    /// </summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
