using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ZoomChat.Cli.Commands;
using ZoomChat.Cli.Progress;
using ZoomChat.Server.Accounts;
using ZoomChat.Server.Storage;

namespace ZoomChat.Cli;

/// <summary>The <c>zoomchat</c> command (docs/operations.md#the-zoomchat-command): one executable to run and operate the archive.</summary>
internal static class ZoomChatCommandLine
{
    /// <summary>The exit code of a command stopped by Ctrl+C or SIGTERM (docs/operations.md#errors-and-exit-codes).</summary>
    public const int StoppedExitCode = 130;

    /// <summary>How long a stopped command has to commit its batch and say how far it got before it is left.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

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
        root.Subcommands.Add(CopyCommand.Copy(Run));
        root.Subcommands.Add(StoreCommands.Session(Run));
        root.Subcommands.Add(SearchCommands.Search(Run));
        root.Subcommands.Add(ViewerCommands.Viewer(Run));
        ShowRepeatedArguments(root);

        var parsed = root.Parse(args);
        if (Problem(parsed) is { } problem)
        {
            // One clear line, not a page of help (docs/operations.md#errors-and-exit-codes); --help shows the usage.
            await error.WriteLineAsync($"zoomchat: {OneLine(problem)} (see {CommandPath(parsed.CommandResult)} --help)");
            return 2;
        }

        // No signal handling of System.CommandLine's own: the process's entry point turns Ctrl+C and SIGTERM
        // into cancellationToken (Program.cs).
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(invocation, cancellationToken);

        Func<ParseResult, CancellationToken, Task<int>> Run(CliAction action) =>
            async (result, token) =>
            {
                CliContext? context = null;
                try
                {
                    // Inside the try: the context reads configuration, which may be what is wrong.
                    context = new CliContext(
                        input, output, openStandardOutput, error, result.GetValue(storeOption), result.GetValue(jsonOption), outputIsTerminal, errorIsTerminal, progressInterval);
                    await action(context, result, token);
                    return 0;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    await error.WriteLineAsync("zoomchat: stopped.");
                    return StoppedExitCode;
                }
                catch (Exception e)
                {
                    // Every failure is one line naming what is wrong, never a stack trace (docs/operations.md#errors-and-exit-codes).
                    await error.WriteLineAsync($"zoomchat: {OneLine(Describe(e, context?.OpenedStore ?? "in use"))}");
                    return 1;
                }
                finally
                {
                    // Closing folds the WAL into the store's file (docs/operations.md#backup-and-restore).
                    if (context is not null)
                    {
                        await context.DisposeAsync();
                    }
                }
            };
    }

    /// <summary>What an operator reads for a failure: the message, with the file or setting it is about.</summary>
    private static string Describe(Exception e, string store) => e switch
    {
        CliException or ArchiveAdministrationException or ArchiveStoreException or OptionsValidationException => e.Message,
        SqliteException sqlite => $"The store {store}: {StoreReason(sqlite)}",
        Npgsql.NpgsqlException postgres => $"The store {store}: {postgres.Message}",
        InvalidDataException { InnerException: { } inner } => ConfigurationFiles.Describe(e.Message, inner),
        IOException or UnauthorizedAccessException or ArgumentException or JsonException => e.Message,
        // Not one of ours: its type helps whoever reads the report.
        _ => $"{e.Message} ({e.GetType().Name})",
    };

    private static string StoreReason(SqliteException e) => e.SqliteErrorCode switch
    {
        8 => $"it is read-only, and this command writes it ({e.Message.TrimEnd('.')})",
        5 or 6 => $"another process holds it locked; try again ({e.Message.TrimEnd('.')})",
        _ => e.Message,
    };

    /// <summary>The first thing wrong with the command line, or null.</summary>
    private static string? Problem(ParseResult parsed)
    {
        // An argument that looks like an option is a mistyped option (--acount, -x), not a file or a name;
        // after "--" it is taken as it is. Secrets are base64url and may start with a dash (-HCm...).
        var afterDoubleDash = parsed.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).ToHashSet();
        var stray = parsed.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(a => a.Tokens)
            .FirstOrDefault(t => LooksLikeAnOption(t.Value) && !afterDoubleDash.Contains(t));
        if (stray is not null)
        {
            return $"unknown option '{stray.Value}'";
        }

        if (parsed.UnmatchedTokens.Count > 0)
        {
            var token = parsed.UnmatchedTokens[0];
            return token.StartsWith('-') ? $"unknown option '{token}'"
                : parsed.CommandResult.Command.Subcommands.Count > 0 ? $"unknown command '{token}'"
                : $"unexpected argument '{token}'";
        }

        return parsed.Errors.Count > 0 ? parsed.Errors[0].Message : null;
    }

    private static bool LooksLikeAnOption(string value) =>
        value.StartsWith("--", StringComparison.Ordinal) || (value.Length == 2 && value[0] == '-' && char.IsAsciiLetter(value[1]));

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result.Parent is CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', ["zoomchat", .. names]);
    }

    /// <summary>
    /// Help names an argument that takes several values as <c>FILE...</c> everywhere, as the usage line
    /// does: the list of commands showed <c>import &lt;FILE&gt;</c>, as if it took one.
    /// </summary>
    private static void ShowRepeatedArguments(Command command)
    {
        foreach (var argument in command.Arguments.Where(a => a.Arity.MaximumNumberOfValues > 1 && a.HelpName is null))
        {
            argument.HelpName = argument.Name + "...";
        }

        foreach (var subcommand in command.Subcommands)
        {
            ShowRepeatedArguments(subcommand);
        }
    }

    /// <summary>
    /// An error as one line (docs/operations.md#the-zoomchat-command): System.CommandLine lists the allowed values of
    /// an option on lines of their own, and exception messages may span lines too.
    /// </summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
