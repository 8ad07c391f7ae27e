using System.CommandLine;
using System.IO.Compression;
using ZoomChat.Server.Chat;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;

namespace ZoomChat.Cli.Commands;

/// <summary><c>import</c> and <c>export</c>: the archive in the interchange format (CONTRACT.md section 10).</summary>
internal static class InterchangeCommands
{
    private const long MillisecondsPerDay = 86_400_000;

    public static Command Import(CliRunner run)
    {
        var files = new Argument<string[]>("FILE") { Description = "NDJSON files (.gz too); - reads standard input", Arity = ArgumentArity.OneOrMore };
        var account = new Option<string?>("--account") { Description = "The account of lines that name none" };
        var format = new Option<string>("--format") { Description = "The input format", DefaultValueFactory = _ => "ndjson" };
        format.AcceptOnlyFromAmong("ndjson");
        var import = new Command("import", "Import chat messages; bad lines are reported and skipped") { files, account, format };
        import.SetAction(run(async (cli, result, token) =>
        {
            var paths = result.GetValue(files)!;
            foreach (var path in paths.Where(p => p != "-" && !File.Exists(p)))
            {
                throw new CliException($"No such file: {path}");
            }

            await using var store = await cli.OpenStoreAsync(token);
            if (result.GetValue(account) is { } name && await store.FindAccountAsync(name, token) is null)
            {
                // Imports never create accounts (CONTRACT.md section 10); say so once, not once per line.
                throw new CliException($"There is no account '{name}'. Create it first: zoomchat account create {name}");
            }

            var importer = new ArchiveImporter(store);
            long stored = 0, duplicates = 0, rejected = 0;
            var cancelled = false;
            foreach (var path in paths)
            {
                await using var input = OpenInput(path);
                var summary = await importer.ImportAsync(
                    input,
                    result.GetValue(account),
                    progress: null,
                    onRejected: problem => cli.Error.WriteLine($"{path}:{problem.LineNumber}: {problem.Reason}"),
                    token);
                (stored, duplicates, rejected) = (stored + summary.Stored, duplicates + summary.Duplicates, rejected + summary.Rejected);
                if (summary.Cancelled)
                {
                    cancelled = true;
                    await cli.Error.WriteLineAsync($"zoomchat: stopped after line {summary.Lines} of {path}; run the same command again to complete the import.");
                    break;
                }
            }

            if (cli.Json)
            {
                cli.WriteJson(json =>
                {
                    json.WriteNumber("stored", stored);
                    json.WriteNumber("duplicates", duplicates);
                    json.WriteNumber("rejected", rejected);
                });
            }
            else
            {
                await cli.Output.WriteLineAsync($"Stored {stored}, skipped {duplicates} duplicates, rejected {rejected}.");
            }

            if (cancelled)
            {
                throw new OperationCanceledException(token);
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
        var export = new Command("export", "Export chat messages as NDJSON") { account, from, to, session, email, outputFile };
        export.SetAction(run(async (cli, result, token) =>
        {
            var query = new ExportQuery(
                result.GetValue(account),
                Bound(result.GetValue(from), "--from", endOfDay: false),
                Bound(result.GetValue(to), "--to", endOfDay: true),
                result.GetValue(session),
                result.GetValue(email));
            await using var store = await cli.OpenStoreAsync(token);
            if (query.Account is { } name && await store.FindAccountAsync(name, token) is null)
            {
                throw new CliException($"There is no account '{name}'.");
            }

            var exporter = new ArchiveExporter(store);
            if (result.GetValue(outputFile) is { } path)
            {
                // Written beside the target and moved over it, so a failed export never leaves half a file.
                var partial = path + ".partial";
                await using (var file = File.Create(partial))
                {
                    await exporter.ExportAsync(query, file, token);
                }

                File.Move(partial, path, overwrite: true);
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await exporter.ExportAsync(query, stdout, token);
            }
        }));
        return export;
    }

    private static Stream OpenInput(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }

        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
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
