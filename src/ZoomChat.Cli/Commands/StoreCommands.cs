using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ZoomChat.Server.Storage;

namespace ZoomChat.Cli.Commands;

/// <summary>
/// <c>backup</c>: the whole store in one file, the full restore (docs/operations.md#backup-and-restore);
/// <c>session remove</c> and <c>session removals</c>: what was stored wrongly taken out, on record
/// (docs/operations.md#removing-a-session).
/// </summary>
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

    public static Command Session(CliRunner run)
    {
        var removeAccount = new Option<string>("--account") { Description = "The account of the sessions", Required = true };
        var sessionIds = new Argument<string[]>("SESSION_ID") { Description = "The sessions to remove, with every message", Arity = ArgumentArity.OneOrMore };
        var remove = new Command("remove", "Remove sessions with all their messages, on record; all or none") { removeAccount, sessionIds };
        remove.SetAction(run(async (cli, result, token) =>
        {
            var account = result.GetValue(removeAccount)!;
            await using var store = await cli.OpenStoreAsync(token);
            IReadOnlyList<SessionRemoval> removed;
            try
            {
                removed = await store.RemoveSessionsAsync(account, result.GetValue(sessionIds)!, TimeProvider.System.GetUtcNow(), token)
                    ?? throw new CliException($"There is no account '{account}'.");
            }
            catch (KeyNotFoundException e)
            {
                throw new CliException(e.Message);
            }

            if (cli.Json)
            {
                cli.WriteJson(json => WriteRemovals(json, removed));
                return;
            }

            foreach (var removal in removed)
            {
                await cli.Output.WriteLineAsync(
                    $"Removed session '{removal.SessionId}' of account '{removal.Account}': {removal.Messages} messages, {removal.Participants} participants.");
            }
        }));

        var listAccount = new Option<string?>("--account") { Description = "Only this account (default: every account)" };
        var removals = new Command("removals", "List the record of removed sessions, oldest first") { listAccount };
        removals.SetAction(run(async (cli, result, token) =>
        {
            await using var store = await cli.OpenStoreAsync(token);
            var listed = await store.ListRemovalsAsync(result.GetValue(listAccount), token);
            if (cli.Json)
            {
                cli.WriteJson(json => WriteRemovals(json, listed));
                return;
            }

            foreach (var removal in listed)
            {
                var span = removal.FirstMessageMs is { } first && removal.LastMessageMs is { } last ? $", {Time(first)} to {Time(last)}" : string.Empty;
                await cli.Output.WriteLineAsync(
                    $"{removal.RemovedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} {removal.Account} {removal.SessionId} "
                    + $"({removal.Type}, {removal.Messages} messages, {removal.Participants} participants{span})");
            }
        }));
        return new Command("session", "Remove sessions stored by mistake, and list what was removed") { remove, removals };
    }

    private static void WriteRemovals(Utf8JsonWriter json, IReadOnlyList<SessionRemoval> removals)
    {
        json.WriteStartArray("removed");
        foreach (var removal in removals)
        {
            json.WriteStartObject();
            json.WriteString("removed_at", removal.RemovedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("account", removal.Account);
            json.WriteString("session_id", removal.SessionId);
            json.WriteString("type", removal.Type);
            json.WriteString("group_name", removal.GroupName);
            json.WriteNumber("messages", removal.Messages);
            json.WriteNumber("participants", removal.Participants);
            if (removal.FirstMessageMs is { } first && removal.LastMessageMs is { } last)
            {
                json.WriteString("first_message", Time(first));
                json.WriteString("last_message", Time(last));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
