using System.Diagnostics;
using System.Globalization;
using ZoomChat.Server.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// Issue 4: "Kill the import with SIGKILL at any moment, run it again: the archive is exactly what
/// one uninterrupted import gives (no message lost, none twice)", for real, with a child process.
/// </summary>
[Collection(CliStore.Collection)]
public sealed class ImportCrashSafetyTests
{
    private const int LineCount = 30_000;
    private const int Kills = 8;

    [Fact]
    public async Task Import_killed_at_random_points_then_run_again_gives_the_archive_of_one_uninterrupted_import()
    {
        using var uninterrupted = new CliStore();
        using var killed = new CliStore();
        var input = uninterrupted.WriteFile("history.ndjson", History());
        await uninterrupted.JsonAsync("account", "create", "acme");
        await killed.JsonAsync("account", "create", "acme");

        var clock = Stopwatch.StartNew();
        var summary = await uninterrupted.JsonAsync("import", input);
        var duration = clock.Elapsed;
        Assert.True(summary.GetProperty("duplicates").GetInt64() > 0, "the file must hold duplicates of its own");
        Assert.True(summary.GetProperty("stored").GetInt64() > 10 * ArchiveImporter.DefaultBatchSize, "the import must span many batches");
        var expected = await ExportAsync(uninterrupted);

        // Spread over the child's whole life: start-up, then the import (a few hundred ms more than in-process).
        var random = new Random(4);
        var killedWhileRunning = 0;
        for (var i = 0; i < Kills; i++)
        {
            var delay = TimeSpan.FromMilliseconds(100 + (random.NextDouble() * (duration.TotalMilliseconds + 400)));
            using var child = ZoomchatProcess.Start(killed.Folder.Path, "import", input, "--store", killed.StorePath);
            var exited = child.WaitForExit(delay);
            if (!exited)
            {
                // SIGKILL on Linux: no handler runs, no batch is finished.
                child.Kill(entireProcessTree: true);
                killedWhileRunning++;
            }

            await child.WaitForExitAsync();
        }

        Assert.True(killedWhileRunning >= Kills / 2, $"only {killedWhileRunning} of {Kills} kills hit a running import");
        var completed = await killed.RunAsync("import", input);
        Assert.True(completed.ExitCode == 0, completed.Error);

        Assert.Equal(expected, await ExportAsync(killed));
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
