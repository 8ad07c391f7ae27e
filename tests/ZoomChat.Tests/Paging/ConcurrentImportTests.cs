using System.Text;
using ZoomChat.Server.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Paging;

/// <summary>
/// Traversals while an import really runs beside them, on another task and through another store
/// instance, committing batch after batch between the pages (docs/api.md#snapshots).
/// </summary>
public sealed class ConcurrentImportTests
{
    private const int BatchSize = 25;
    private static readonly DateTimeOffset WeekStart = new(2016, 1, 16, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WeekEnd = new(2016, 1, 23, 0, 0, 0, TimeSpan.Zero);

    [StoreFact]
    public async Task A_list_traversal_equals_the_snapshot_of_its_first_request_while_an_import_runs()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var baseline = Enumerable.Range(0, 40)
            .Select(i => new Line($"base-{i:D2}", WeekStart.AddMinutes(i * 211), $"base {i}", "ann@acme.com"))
            .ToList();
        await archive.ImportAsync("acme", [.. baseline.Select(l => l.ToNdjson())]);
        var incoming = Enumerable.Range(0, 3000).Select(j => (j % 3) switch
        {
            // New sessions all over the window, messages that move baseline sessions, and messages
            // to sessions this import made, some outside the window.
            0 => new Line($"new-{j:D4}", Spread(j), $"new {j}", "bob@acme.com"),
            1 => new Line($"base-{j % 40:D2}", Spread(j), $"moves {j}", "cy@acme.com"),
            _ => new Line($"new-{j - 2:D4}", j % 2 == 0 ? Spread(j) : WeekEnd.AddDays(3), $"more {j}", "bob@acme.com"),
        }).ToList();
        (string, string)[] query = [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "7")];

        using var signal = new CommitSignal(holdAfterFirstCommit: true);
        var import = StartImport(archive, incoming, signal);
        List<System.Text.Json.JsonElement> pages;
        int commitsAtEnd;
        try
        {
            // The import holds after its first batch until the first page is served, so that the
            // snapshot is known exactly: the baseline plus the first batch.
            await Task.WhenAny(signal.WaitForCommitAsync(), import);
            pages = await Pages.TraverseAsync(archive, Pages.List, acme, query, beforeNextPage: async () =>
            {
                signal.Release();
                await Task.WhenAny(signal.WaitForCommitAsync(), import);
            });
            commitsAtEnd = signal.Commits;
        }
        finally
        {
            signal.Release();
        }

        var summary = await import;
        var snapshot = ExpectedList([.. baseline, .. incoming.Take(BatchSize)]);
        Assert.Equal((3000L, 0L, 0L), (summary.Stored, summary.Duplicates, summary.Rejected));
        Assert.Equal(snapshot, Pages.Sessions(pages));
        Pages.AssertWellFormed(pages, 7, snapshot.Count, "chat_list");
        Assert.True(commitsAtEnd >= pages.Count, $"only {commitsAtEnd} batches were committed during {pages.Count} pages");

        var fresh = await Pages.TraverseAsync(archive, Pages.List, acme, query);
        var everything = ExpectedList([.. baseline, .. incoming]);
        Assert.Equal(everything, Pages.Sessions(fresh));
        Pages.AssertWellFormed(fresh, 7, everything.Count, "chat_list");
    }

    [StoreFact]
    public async Task A_get_traversal_equals_the_archive_at_some_commit_before_its_first_page_while_an_import_runs_freely()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        var baseline = Enumerable.Range(0, 30)
            .Select(i => new Line("s-1", WeekStart.AddSeconds(i * 17 % 1000), $"base {i}", "ann@acme.com"))
            .ToList();
        await archive.ImportAsync("acme", [.. baseline.Select(l => l.ToNdjson())]);
        // Times repeat every 1000 lines, so that messages of one millisecond arrive in different batches.
        var incoming = Enumerable.Range(0, 3000)
            .Select(j => new Line(j % 5 == 4 ? "s-2" : "s-1", WeekStart.AddSeconds(j * 7919 % 1000), $"incoming {j}", j % 2 == 0 ? "bob@acme.com" : "cy@acme.com"))
            .ToList();
        (string, string)[] query = [("session_id", "s-1"), ("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "9")];

        using var signal = new CommitSignal(holdAfterFirstCommit: false);
        var import = StartImport(archive, incoming, signal);
        await Task.WhenAny(signal.WaitForCommitAsync(), import);
        var pages = await Pages.TraverseAsync(archive, Pages.Get, acme, query, beforeNextPage: () =>
            Task.WhenAny(signal.WaitForCommitAsync(), import));
        await import;

        // Batches commit whole and in order, so the snapshot is the baseline plus some number of whole batches.
        var served = Pages.Messages(pages);
        var candidates = Enumerable.Range(1, incoming.Count / BatchSize)
            .Select(batches => ExpectedMessages("s-1", [.. baseline, .. incoming.Take(batches * BatchSize)]))
            .ToList();
        var match = candidates.FindIndex(candidate => candidate.SequenceEqual(served));
        Assert.True(match >= 0, $"the traversal's {served.Count} messages match no commit point of the import");
        Pages.AssertWellFormed(pages, 9, served.Count, "chat_messages");

        var fresh = await Pages.TraverseAsync(archive, Pages.Get, acme, query);
        Assert.Equal(candidates[^1], Pages.Messages(fresh));
    }

    private static Task<ImportSummary> StartImport(TestArchive archive, List<Line> lines, CommitSignal signal)
    {
        var ndjson = Encoding.UTF8.GetBytes(string.Join('\n', lines.Select(l => l.ToNdjson())) + "\n");
        var importer = new ArchiveImporter(archive.Store, batchSize: BatchSize);
        return Task.Run(() => importer.ImportAsync(
            new MemoryStream(ndjson), "acme", signal, onRejected: p => throw new InvalidOperationException($"line {p.LineNumber}: {p.Reason}"), CancellationToken.None));
    }

    private static DateTimeOffset Spread(int j) => WeekStart.AddMilliseconds(j * 7_919_113L % (7 * 86_400_000L));

    /// <summary>What chat/list shows for these lines: each session's latest message in the window, latest first, then by id.</summary>
    private static List<string> ExpectedList(IEnumerable<Line> lines) =>
        lines.Where(l => l.At >= WeekStart && l.At < WeekEnd)
            .GroupBy(l => l.Session)
            .Select(g => (Id: g.Key, Last: g.Max(l => l.At)))
            .OrderByDescending(s => s.Last)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => $"{s.Id} {Pages.Wire(s.Last)}")
            .ToList();

    /// <summary>What chat/get shows for these lines: the session's messages in the window by time, then arrival (a stable sort).</summary>
    private static List<string> ExpectedMessages(string session, IEnumerable<Line> lines) =>
        lines.Where(l => l.Session == session && l.At >= WeekStart && l.At < WeekEnd)
            .OrderBy(l => l.At)
            .Select(l => $"{Pages.Wire(l.At)} {l.Sender} {l.Text}")
            .ToList();

    private sealed record Line(string Session, DateTimeOffset At, string Text, string Sender)
    {
        public string ToNdjson() => Lines.Message(Session, Pages.Wire(At), Text, Sender);
    }

    /// <summary>Reports each committed batch; optionally holds the import after its first one until released.</summary>
    private sealed class CommitSignal(bool holdAfterFirstCommit) : IProgress<ImportProgress>, IDisposable
    {
        private readonly SemaphoreSlim _commits = new(0);
        private readonly ManualResetEventSlim _hold = new(!holdAfterFirstCommit);
        private int _count;

        public int Commits => Volatile.Read(ref _count);

        public void Report(ImportProgress value)
        {
            var count = Interlocked.Increment(ref _count);
            _commits.Release();
            if (count == 1)
            {
                // Runs on the import's task; the timeout only keeps a failed test from hanging.
                _hold.Wait(TimeSpan.FromMinutes(2));
            }
        }

        public Task WaitForCommitAsync() => _commits.WaitAsync();

        public void Release() => _hold.Set();

        public void Dispose()
        {
            _commits.Dispose();
            _hold.Dispose();
        }
    }
}
