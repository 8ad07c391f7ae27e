using System.CommandLine;
using System.IO.Pipelines;
using ZoomChat.Cli.Progress;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;
using ZoomChat.Server.Storage;

namespace ZoomChat.Cli.Commands;

/// <summary>
/// <c>copy</c>: a whole archive from one store into an empty one, such as from SQLite to PostgreSQL
/// (docs/operations.md#moving-an-archive-between-stores): the messages as <c>export | import</c> moves them,
/// in one process, and the accounts, users and credentials that an export leaves out.
/// </summary>
internal static class CopyCommand
{
    public static Command Copy(CliRunner run)
    {
        var from = new Option<string>("--from") { Description = "The store to copy: a SQLite file or connection string, or a postgres:// URL", Required = true };
        var to = new Option<string>("--to") { Description = "The store to fill, which must hold no account yet (created when missing)", Required = true };
        var copy = new Command(
            "copy",
            "Copy a whole archive into an empty store: accounts, users, API keys and access tokens (as their hashes), sessions and messages")
        {
            from, to,
        };
        copy.SetAction(run(async (cli, result, token) =>
        {
            if (cli.StoreFlag is not null)
            {
                throw new CliException("copy takes --from and --to, not --store.");
            }

            var fromStore = result.GetValue(from)!;
            var toStore = result.GetValue(to)!;
            if (string.Equals(fromStore, toStore, StringComparison.Ordinal))
            {
                throw new CliException("--from and --to name the same store: name another one to copy into.");
            }

            var source = await cli.OpenStoreAsync(fromStore, token);
            var sourceName = cli.OpenedStore!;
            var target = await cli.OpenStoreAsync(toStore, token);
            // As every command names a store: a SQLite file by its path, a database by its URL without the password.
            var targetName = cli.OpenedStore;
            if (target.IsReadOnly)
            {
                throw new CliException($"The store {targetName} is read-only, and copy changes it (--to).");
            }

            var present = await ArchiveCopy.AccountsOfAsync(target, token);
            if (present.Count > 0)
            {
                // A copy is the whole archive or nothing: merged into another, its ids, keys and tokens would mix with that one's.
                throw new CliException(
                    $"The store {targetName} (--to) holds accounts already ({string.Join(", ", present.Take(3))}{(present.Count > 3 ? ", …" : "")}): copy fills an empty store only.");
            }

            var (accounts, users) = await ArchiveCopy.CopyAccountsAndUsersAsync(source, target, token);
            var summary = await CopyMessagesAsync(cli, sourceName, source, target, token);
            if (summary.Cancelled)
            {
                await cli.Error.WriteLineAsync(
                    $"zoomchat: stopped after {summary.Lines} messages; no API key or access token was copied. Empty {targetName} and run copy again.");
                throw new OperationCanceledException(token);
            }

            var (keys, tokens) = await ArchiveCopy.CopyCredentialsAsync(source, target, token);
            if (cli.Json)
            {
                cli.WriteJson(json =>
                {
                    json.WriteNumber("accounts", accounts);
                    json.WriteNumber("users", users);
                    json.WriteNumber("api_keys", keys);
                    json.WriteNumber("access_tokens", tokens);
                    json.WriteNumber("stored", summary.Stored);
                    json.WriteNumber("duplicates", summary.Duplicates);
                    json.WriteNumber("rejected", summary.Rejected);
                });
            }
            else
            {
                await cli.Output.WriteLineAsync(
                    $"Copied {accounts} accounts, {users} users, {keys} API keys and {tokens} access tokens. " +
                    $"Stored {summary.Stored}, skipped {summary.Duplicates} duplicates, rejected {summary.Rejected}.");
            }
        }));
        return copy;
    }

    /// <summary>
    /// The source's export, written into a pipe that the target's import reads as it goes: what
    /// <c>zoomchat export | zoomchat import -</c> does, in one process, with import's progress and summary.
    /// </summary>
    private static async Task<ImportSummary> CopyMessagesAsync(
        CliContext cli, string sourceName, IArchiveStore source, IArchiveStore target, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        // Not linked to Ctrl+C: the import stops reading and commits what it read, then the export is stopped.
        using var stop = new CancellationTokenSource();
        var export = Task.Run(
            async () =>
            {
                Exception? failure = null;
                try
                {
                    await using var output = pipe.Writer.AsStream(leaveOpen: true);
                    await new ArchiveExporter(source).ExportAsync(new ExportQuery(null, null, null, null, null), output, stop.Token);
                }
                catch (Exception e)
                {
                    failure = e;
                    throw;
                }
                finally
                {
                    await pipe.Writer.CompleteAsync(failure);
                }
            },
            CancellationToken.None);

        var step = new ImportStep(sourceName, ImportFormat.Ndjson, token => NdjsonRecords.ReadAsync(pipe.Reader.AsStream(), NdjsonLineReader.DefaultMaxLineBytes, token));
        var display = ImportProgressDisplay.For(cli);
        var rejections = new RejectedRecords(display.WriteLine);
        ImportSummary? summary = null;
        try
        {
            await display.RunAsync(async progressOf =>
            {
                var progress = progressOf(step);
                try
                {
                    summary = await new ArchiveImporter(target).ImportAsync(
                        step.ReadAsync(cancellationToken),
                        defaultAccount: null,
                        progress,
                        onRejected: problem => rejections.Add(step.Name, problem.LineNumber, problem.Reason),
                        cancellationToken);
                }
                finally
                {
                    progress.Complete(finished: summary is { Cancelled: false });
                }
            });
        }
        finally
        {
            // An import that ended early (stopped, failed) reads no more: the export stops too.
            await stop.CancelAsync();
            await pipe.Reader.CompleteAsync();
            try
            {
                await export;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped above, after the import had read what it would.
            }
        }

        rejections.WriteCounts();
        return summary!;
    }
}
