using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using ZoomChat.Cli.Progress;
using ZoomChat.Server.Chat;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;
using ZoomChat.Server.Storage;

namespace ZoomChat.Cli.Commands;

/// <summary>
/// <c>import</c> and <c>export</c>: the archive in the interchange format (docs/import-formats.md#the-interchange-format); import
/// also reads CSV, the Zoom client's chat files and Zoom report bodies (docs/import-formats.md).
/// </summary>
internal static class InterchangeCommands
{
    private const long MillisecondsPerDay = 86_400_000;

    public static Command Import(CliRunner run)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Files (.gz too) or folders of report bodies; - reads standard input",
            Arity = ArgumentArity.OneOrMore,
        };
        var account = new Option<string?>("--account") { Description = "The account of messages that name none" };
        var format = new Option<string?>("--format") { Description = "The input format (default: told from the content; docs/import-formats.md)" };
        format.AcceptOnlyFromAmong(ImportFormats.Names);
        var sessionId = new Option<string?>("--session-id") { Description = "zoom-txt: the file's session id; zoom-report: the session of message bodies" };
        var groupName = new Option<string?>("--group-name") { Description = "zoom-txt: the file's session name (default: the file name)" };
        var date = new Option<string?>("--date") { Description = "zoom-txt: the day of the first message (yyyy-MM-dd)" };
        var timeZone = new Option<string?>("--timezone") { Description = "zoom-txt: the IANA time zone of its times (Europe/Paris, UTC)" };
        var start = new Option<string?>("--start") { Description = "zoom-txt: when the recording started, for a recording's chat.txt" };
        var people = new Option<string?>("--people") { Description = "zoom-txt: a CSV file of name,email" };
        var emailDomain = new Option<string?>("--email-domain") { Description = "zoom-txt: e-mails for other names: Ann Lee becomes ann.lee@DOMAIN" };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Records per store transaction: more imports faster, fewer holds the store's write lock for less time",
            DefaultValueFactory = _ => ArchiveImporter.DefaultBatchSize,
            // Parsed here rather than checked by a validator: a validator asking for the value of "abc"
            // threw instead of reporting it.
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return ArchiveImporter.DefaultBatchSize;
                }

                if (int.TryParse(result.Tokens[^1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1)
                {
                    return size;
                }

                result.AddError($"--batch-size must be a whole number from 1 to {int.MaxValue}, not '{result.Tokens[^1].Value}'");
                return 0;
            },
        };
        var import = new Command("import", "Import chat messages; bad records are reported and skipped")
        {
            files, account, format, sessionId, groupName, date, timeZone, start, people, emailDomain, batchSize,
        };
        import.SetAction(run(async (cli, result, token) =>
        {
            var paths = result.GetValue(files)!;
            foreach (var path in paths.Where(p => p != "-" && !File.Exists(p) && !Directory.Exists(p)))
            {
                throw new CliException($"No such file: {path}");
            }

            if (paths.Count(p => p == "-") > 1)
            {
                // Standard input is read once: a second - would silently read nothing.
                throw new CliException("- (standard input) can be given once");
            }

            await using var store = await cli.OpenStoreAsync(token);
            if (result.GetValue(account) is { } name && await store.FindAccountAsync(name, token) is null)
            {
                // Imports never create accounts (docs/import-formats.md#the-interchange-format); say so once, not once per line.
                throw new CliException($"There is no account '{name}'. Create it first: zoomchat account create {name}");
            }

            var options = new ImportOptions(
                result.GetValue(sessionId),
                result.GetValue(groupName),
                result.GetValue(date),
                result.GetValue(timeZone),
                result.GetValue(start),
                result.GetValue(people),
                result.GetValue(emailDomain));
            await using var plan = await PlanAsync(paths, result.GetValue(format), options, token);
            var importer = new ArchiveImporter(store, result.GetValue(batchSize));
            long stored = 0, duplicates = 0, rejected = 0;
            var cancelled = false;
            foreach (var skipped in plan.Skipped)
            {
                await cli.Error.WriteLineAsync(skipped);
            }

            var display = ImportProgressDisplay.For(cli);
            var rejections = new RejectedRecords(display.WriteLine);
            await display.RunAsync(async progressOf =>
            {
                foreach (var step in plan.Steps)
                {
                    var progress = progressOf(step);
                    ImportSummary? summary = null;
                    try
                    {
                        summary = await importer.ImportAsync(
                            step.ReadAsync(token),
                            result.GetValue(account),
                            progress,
                            onRejected: problem => rejections.Add(problem.File ?? step.Name, problem.LineNumber, problem.Reason),
                            token);
                    }
                    catch (ImportFormatException e)
                    {
                        throw new CliException($"{step.Name}: {e.Message}");
                    }
                    finally
                    {
                        progress.Complete(finished: summary is { Cancelled: false });
                    }

                    (stored, duplicates, rejected) = (stored + summary.Stored, duplicates + summary.Duplicates, rejected + summary.Rejected);
                    if (summary.Cancelled)
                    {
                        cancelled = true;
                        display.WriteLine($"zoomchat: stopped after line {summary.Lines} of {step.Position}; run the same command again to complete the import.");
                        break;
                    }
                }
            });

            rejections.WriteCounts();

            // Reactions are no messages (docs/import-formats.md#zoom-txt): counted for Zoom chat files, the only format that has them.
            if (cli.Json)
            {
                cli.WriteJson(json =>
                {
                    json.WriteNumber("stored", stored);
                    json.WriteNumber("duplicates", duplicates);
                    json.WriteNumber("rejected", rejected);
                    if (plan.ReadsZoomTxt)
                    {
                        json.WriteNumber("reactions", plan.Reactions);
                    }

                    if (plan.ReadsZoomReport)
                    {
                        json.WriteNumber("deleted_messages", plan.DeletedMessages);
                        json.WriteNumber("edited_messages", plan.EditedMessages);
                    }
                });
            }
            else
            {
                var reactions = plan.ReadsZoomTxt ? $" Read {plan.Reactions} reactions, which are not messages." : string.Empty;

                // Kept as a message's history once live capture lands (docs/import-formats.md#zoom-report).
                var history = plan.ReadsZoomReport
                    ? $" Left out {plan.DeletedMessages} deleted messages and {plan.EditedMessages} edits (a message keeps its latest text)."
                    : string.Empty;
                await cli.Output.WriteLineAsync($"Stored {stored}, skipped {duplicates} duplicates, rejected {rejected}.{reactions}{history}");
            }

            if (cancelled)
            {
                throw new OperationCanceledException(token);
            }

            if (stored + duplicates == 0 && rejected > 0)
            {
                // Nothing of the input is in the archive: a script must not take that for success.
                throw new CliException($"nothing was imported: all {rejected} records were rejected");
            }
        }));
        return import;
    }

    public static Command Export(CliRunner run)
    {
        var account = new Option<string?>("--account") { Description = "Only this account (default: every account)" };
        var from = new Option<string?>("--from") { Description = "Only messages at or after this date or date-time" };
        var to = new Option<string?>("--to") { Description = "Only messages at or before this date (its whole day) or date-time" };
        var session = new Option<string?>("--session") { Description = "Only this session" };
        var email = new Option<string?>("--email") { Description = "Only sessions this user takes part in" };
        var outputFile = new Option<string?>("--output") { Description = "Write to this file instead of standard output" };
        var format = new Option<string>("--format") { Description = "ndjson (the interchange format) or csv (read back by import --format csv)", DefaultValueFactory = _ => "ndjson" };
        format.AcceptOnlyFromAmong("ndjson", "csv");
        var export = new Command("export", "Export chat messages as NDJSON or CSV") { account, from, to, session, email, outputFile, format };
        export.SetAction(run(async (cli, result, token) =>
        {
            var query = new ExportQuery(
                result.GetValue(account),
                Bound(result.GetValue(from), "--from", endOfDay: false),
                Bound(result.GetValue(to), "--to", endOfDay: true),
                result.GetValue(session),
                result.GetValue(email)?.ToLowerInvariant());
            if (query.FromMs is { } fromMs && query.ToMs is { } toMs && toMs < fromMs)
            {
                // The API's code 300 for the same window (docs/compatibility.md#interchange-import-and-export).
                throw new CliException($"--to {result.GetValue(to)} is earlier than --from {result.GetValue(from)}.");
            }

            await using var store = await cli.OpenStoreAsync(token);
            await CheckExportFiltersAsync(store, query, token);

            var display = ExportProgressDisplay.For(cli, toStandardOutput: result.GetValue(outputFile) is null);
            long exported = 0;
            Func<Stream, Task> write = result.GetValue(format) == "csv"
                ? output => display.RunAsync(async progress => exported = await new ArchiveCsvExporter(store).ExportAsync(query, output, progress, token))
                : output => display.RunAsync(async progress => exported = await new ArchiveExporter(store).ExportAsync(query, output, progress, token));
            if (result.GetValue(outputFile) is { } path)
            {
                await ExportToFileAsync(path, write);
            }
            else
            {
                await using var stdout = cli.OpenStandardOutput();
                await write(stdout);
            }

            // Standard output may be the export itself: the count goes to standard error.
            if (cli.Json)
            {
                CliContext.WriteJson(cli.Error, json => json.WriteNumber("exported", exported));
            }
            else
            {
                await cli.Error.WriteLineAsync($"Exported {exported} messages.");
            }
        }));
        return export;
    }

    /// <summary>
    /// A filter naming what the archive does not hold is an error, as the API's is (codes 1001 and 3001,
    /// docs/compatibility.md#interchange-import-and-export), not an empty export that a script would take for a complete one.
    /// </summary>
    private static async Task CheckExportFiltersAsync(IArchiveStore store, ExportQuery query, CancellationToken cancellationToken)
    {
        var inAccount = query.Account is { } name ? $" in account '{name}'" : string.Empty;
        if (query.Account is { } accountName && await store.FindAccountAsync(accountName, cancellationToken) is null)
        {
            throw new CliException($"There is no account '{accountName}'.");
        }

        if (query.SessionId is { } sessionId && !await store.SessionExistsAsync(query.Account, sessionId, cancellationToken))
        {
            throw new CliException($"There is no session '{sessionId}'{inAccount} (--session).");
        }

        if (query.Email is { } email && !await store.UserExistsAsync(query.Account, email, cancellationToken))
        {
            throw new CliException($"There is no user '{email}'{inAccount} (--email).");
        }
    }

    /// <summary>
    /// Writes beside the target and moves the file over it once complete, so that a failed or stopped
    /// export never leaves half a file, nor its partial one; a name ending in <c>.gz</c> is written as gzip.
    /// Errors name the file as given, not the partial one.
    /// </summary>
    private static async Task ExportToFileAsync(string path, Func<Stream, Task> write)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"Cannot write {path}: it is a folder (--output names a file).");
        }

        var partial = path + ".partial";
        try
        {
            await using (var file = File.Create(partial))
            {
                if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                {
                    await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
                    await write(gzip);
                }
                else
                {
                    await write(file);
                }
            }

            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e)
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }

            if (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"Cannot write {path}: {e.Message.Replace(partial, path, StringComparison.Ordinal)}");
            }

            throw;
        }
    }

    /// <summary>Every input opened, its format told and checked, before anything is stored.</summary>
    private static async Task<ImportPlan> PlanAsync(string[] paths, string? format, ImportOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await ImportPlan.CreateAsync(paths, ImportFormats.Parse(format), options, Console.OpenStandardInput, cancellationToken);
        }
        catch (ImportFormatException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static long? Bound(string? text, string name, bool endOfDay)
    {
        if (text is null)
        {
            return null;
        }

        if (!ZoomDate.TryParse(text, out var ms, out var dateOnly))
        {
            throw new CliException($"{name} must be yyyy-MM-dd or an ISO 8601 date-time, not '{text}'.");
        }

        return endOfDay && dateOnly ? ms + MillisecondsPerDay - 1 : ms;
    }
}
