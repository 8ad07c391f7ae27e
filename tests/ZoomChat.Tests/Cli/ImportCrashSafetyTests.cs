using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// An import killed with SIGKILL at any moment and run again leaves exactly the archive of one
/// uninterrupted import, no message lost and none twice (docs/operations.md#import-and-export): for
/// real, with a child process.
/// </summary>
public sealed class ImportCrashSafetyTests
{
    private const int LineCount = 30_000;
    private const int Kills = 8;
    private const int BatchSize = 1000;

    [StoreFact]
    public async Task Import_killed_at_random_points_then_run_again_gives_the_archive_of_one_uninterrupted_import()
    {
        using var uninterrupted = new CliStore();
        using var killed = new CliStore();
        var input = uninterrupted.WriteFile("history.ndjson", History());
        await uninterrupted.JsonAsync("account", "create", "acme");
        await killed.JsonAsync("account", "create", "acme");

        // No progress lines on a slow machine: the summary must be the only output.
        var summary = (await uninterrupted.RunWithProgressAsync(TimeSpan.FromHours(1), "import", input, "--batch-size", $"{BatchSize}", "--json"))
            .SingleJsonObject();
        var stored = summary.GetProperty("stored").GetInt64();
        Assert.True(summary.GetProperty("duplicates").GetInt64() > 0, "the file must hold duplicates of its own");
        Assert.True(stored > 10 * BatchSize, "the import must span many batches");
        var expected = await ExportAsync(uninterrupted);

        // Each killed run reads a random share of the file from standard input, which stays open, so
        // it cannot finish however fast this machine is or however slowly the test polls: the kill
        // comes once the run has stored messages of its own, a few random milliseconds later, at
        // points spread over the first three quarters of the file. (Timing kills against a run of
        // the whole file let a run on a busy machine finish before its kill.)
        var lines = await File.ReadAllLinesAsync(input);
        var random = new Random(4);
        var shares = Enumerable.Range(0, Kills).Select(_ => 0.05 + (random.NextDouble() * 0.70)).Order().ToArray();
        foreach (var share in shares)
        {
            var before = await StoredMessagesAsync(killed.StorePath);
            using var child = ZoomchatProcess.StartWithInput(killed.Folder.Path, "import", "-", "--batch-size", $"{BatchSize}", "--store", killed.StorePath);
            var prefix = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines.Take((int)(share * lines.Length))) + "\n");
            var writing = child.StandardInput.BaseStream.WriteAsync(prefix).AsTask();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!child.HasExited && !patience.IsCancellationRequested && await StoredMessagesAsync(killed.StorePath) <= before)
            {
                await Task.Delay(5);
            }

            await Task.Delay(random.Next(0, 30));
            Assert.False(child.HasExited, "an import whose input is still open must be running when it is killed");
            // SIGKILL on Linux: no handler runs, no batch is finished.
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            await writing.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Assert.True(await StoredMessagesAsync(killed.StorePath) < stored, "the kills must leave the import unfinished");
        var completed = await killed.RunAsync("import", input, "--batch-size", $"{BatchSize}");
        Assert.True(completed.ExitCode == 0, completed.Error);

        Assert.Equal(expected, await ExportAsync(killed));

        // The full-text index is written in the same transactions as the messages (docs/search.md#the-index).
        string[] search = ["search", "--account", "acme", "\"message 7\"", "--json"];
        var found = await uninterrupted.RunAsync(search);
        Assert.True(found.ExitCode == 0 && found.Output.Length > 0, found.Error);
        Assert.Equal(found.Output, (await killed.RunAsync(search)).Output);
    }

    [StoreFact]
    public async Task Ctrl_C_commits_the_batch_says_how_far_the_import_got_and_running_again_completes_it()
    {
        using var uninterrupted = new CliStore();
        using var stopped = new CliStore();
        var lines = History();
        var input = uninterrupted.WriteFile("history.ndjson", lines);
        await uninterrupted.JsonAsync("account", "create", "acme");
        await stopped.JsonAsync("account", "create", "acme");
        var stored = (await uninterrupted.RunWithProgressAsync(TimeSpan.FromHours(1), "import", input, "--batch-size", $"{BatchSize}", "--json"))
            .SingleJsonObject().GetProperty("stored").GetInt64();
        var expected = await ExportAsync(uninterrupted);

        // Half the file through standard input, left open, as from `zcat archive.gz | zoomchat import -`: the
        // import cannot have finished when Ctrl+C comes, however fast it runs.
        var (child, output, error) = ZoomchatProcess.StartReadingWithInput(
            stopped.Folder.Path, "import", "-", "--batch-size", $"{BatchSize}", "--store", stopped.StorePath, "--json");
        var half = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(lines.Length / 2)) + "\n");
        var writing = child.StandardInput.BaseStream.WriteAsync(half).AsTask();
        while (!child.HasExited && await StoredMessagesAsync(stopped.StorePath) < stored / 5)
        {
            await Task.Delay(5);
        }

        Assert.False(child.HasExited, "the import must still run when Ctrl+C comes");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", child.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }

        await writing.ContinueWith(_ => { }, TaskScheduler.Default);

        // Stopped cleanly: the summary of what was committed, the line it stopped after, exit code 130.
        var (said, complained) = (await output, await error);
        Assert.True(child.ExitCode == 130 && said.Length > 0, $"exit code {child.ExitCode}, output '{said}', error '{complained}'");
        var summary = JsonDocument.Parse(said).RootElement;
        var storedBeforeStop = summary.GetProperty("stored").GetInt64();
        Assert.InRange(storedBeforeStop, stored / 5, stored - 1);
        Assert.Equal(storedBeforeStop, await StoredMessagesAsync(stopped.StorePath));
        Assert.Contains("stopped after line ", complained, StringComparison.Ordinal);
        var completed = await stopped.RunAsync("import", input, "--batch-size", $"{BatchSize}");
        Assert.True(completed.ExitCode == 0, completed.Error);
        Assert.Equal(expected, await ExportAsync(stopped));
    }

    /// <summary>How many messages the store holds: arrival numbers only grow and nothing is deleted.</summary>
    private static async Task<long> StoredMessagesAsync(string storePath)
    {
        if (TestStores.Current == StoreKind.Sqlite && !File.Exists(storePath))
        {
            return 0;
        }

        try
        {
            return Convert.ToInt64(await StoreSql.ScalarAsync(storePath, "SELECT coalesce(max(id), 0) FROM messages;"), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            // The child has not created the schema yet.
            return 0;
        }
    }

    private static async Task<byte[]> ExportAsync(CliStore store)
    {
        var path = store.PathOf("export.ndjson");
        var result = await store.RunAsync("export", "--output", path);
        Assert.True(result.ExitCode == 0, result.Error);
        return await File.ReadAllBytesAsync(path);
    }

    /// <summary>
    /// Several sessions; messages with ids and without; instants shared by several messages (so
    /// that arrival order shows); and duplicates of earlier lines, both by id and by content.
    /// </summary>
    private static string[] History()
    {
        var random = new Random(11);
        var people = new[] { "ann@acme.com", "bob@acme.com", "cat@acme.com", "dan@acme.com" };
        var lines = new List<string>(LineCount);
        var start = new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        while (lines.Count < LineCount)
        {
            var n = lines.Count;
            if (n > 100 && n % 10 == 0)
            {
                lines.Add(lines[random.Next(n)]);
                continue;
            }

            var session = n % 9;
            var time = start.AddSeconds(n / 3).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            lines.Add(Lines.Message(
                $"s-{session}",
                time,
                $"message {n % 500} in {session}",
                sender: people[random.Next(people.Length)],
                type: "Group",
                groupName: $"Team {session}",
                participants: people,
                messageId: n % 4 == 0 ? null : $"m-{n}",
                account: "acme"));
        }

        return [.. lines];
    }
}
