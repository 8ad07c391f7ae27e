using System.CommandLine;

namespace ZoomChat.Cli.Commands;

/// <summary><c>backup</c>: the whole store in one file, the full restore (docs/operations.md#backup-and-restore).</summary>
internal static class StoreCommands
{
    public static Command Backup(CliRunner run)
    {
        var output = new Option<string>("--output") { Description = "The backup file to write (replaced if it exists)", Required = true };
        var backup = new Command("backup", "Copy the whole store into one file, consistent while servers and imports run") { output };
        backup.SetAction(run(async (cli, result, token) =>
        {
            var path = result.GetValue(output)!;
            await using var store = await cli.OpenStoreAsync(token);
            if (Directory.Exists(path))
            {
                throw new CliException($"Cannot write {path}: it is a folder (--output names a file).");
            }

            if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(cli.Store), StringComparison.Ordinal))
            {
                throw new CliException($"--output {path} is the store itself: name another file.");
            }

            // Written beside the target and moved over it, as export does: a failed backup never leaves a file that looks whole.
            var partial = path + ".partial";
            long bytes;
            try
            {
                if (File.Exists(partial))
                {
                    File.Delete(partial);
                }

                bytes = await store.BackupAsync(partial, token);
                File.Move(partial, path, overwrite: true);
            }
            catch (Exception e)
            {
                if (File.Exists(partial))
                {
                    File.Delete(partial);
                }

                if (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
                {
                    throw new CliException($"Cannot write {path}: {e.Message.Replace(partial, path, StringComparison.Ordinal)}");
                }

                throw;
            }

            if (cli.Json)
            {
                cli.WriteJson(json =>
                {
                    json.WriteString("backup", path);
                    json.WriteNumber("bytes", bytes);
                });
            }
            else
            {
                await cli.Output.WriteLineAsync($"Backed up {store.Description} to {path} ({bytes} bytes).");
            }
        }));
        return backup;
    }
}
