using System.Text;
using Microsoft.Data.Sqlite;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage.Sqlite;
using ZoomChat.Tests.Interchange;
using static ZoomChat.Tests.Interchange.ArchiveLine;

namespace ZoomChat.Tests.Storage;

/// <summary>
/// An import into an empty store builds <c>messages_by_session_time</c> after the load
/// (docs/operations.md#import-into-an-empty-store); a store left without it is repaired when opened.
/// </summary>
public sealed class DeferredIndexTests
{
    [Fact]
    public async Task An_import_into_an_empty_store_loads_without_the_session_time_index_and_builds_it_at_the_end()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var during = new List<bool>();

        var summary = await ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => during.Add(HasIndex(archive.Sqlite.FilePath)));

        Assert.Equal(6, summary.Stored);
        Assert.Equal([false, false, false], during);
        Assert.True(HasIndex(archive.Sqlite.FilePath));
    }

    [Fact]
    public async Task A_line_without_message_id_has_the_index_built_before_its_duplicates_are_looked_up()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var during = new List<bool>();

        var summary = await ImportAsync(
            archive, Lines(4, withIds: true) + Lines(2, withIds: false) + Lines(2, withIds: false), batchSize: 2, _ => during.Add(HasIndex(archive.Sqlite.FilePath)));

        Assert.Equal((4, 4), (summary.Stored, summary.Duplicates));
        Assert.Equal([false, false, true, true], during);
    }

    [Fact]
    public async Task An_import_into_a_store_that_holds_messages_keeps_the_index_all_along()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await ImportAsync(archive, Lines(1, withIds: true), batchSize: 2, _ => { });
        var during = new List<bool>();

        await ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => during.Add(HasIndex(archive.Sqlite.FilePath)));

        Assert.Equal([true, true, true], during);
    }

    [Fact]
    public async Task A_store_left_without_the_index_by_a_failed_import_gets_it_back_when_opened()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var path = archive.Sqlite.FilePath;
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => throw new InvalidOperationException("the import fails")));
        Assert.False(HasIndex(path));

        await using (var reopened = new SqliteArchiveStore(path))
        {
            await reopened.InitializeAsync(CancellationToken.None);
        }

        Assert.True(HasIndex(path));
        var again = await ImportAsync(archive, Lines(6, withIds: false), batchSize: 50, _ => { });
        Assert.Equal((4, 2), (again.Stored, again.Duplicates));
    }

    [Fact]
    public async Task A_stopped_import_leaves_the_index_to_the_next_open_and_says_how_far_it_got_at_once()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var path = archive.Sqlite.FilePath;
        using var stop = new CancellationTokenSource();

        // Stopped after its first committed batch, as Ctrl+C does.
        var summary = await ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => stop.Cancel(), stop.Token);

        Assert.True(summary.Cancelled);
        Assert.InRange(summary.Stored, 1, 5);
        Assert.False(HasIndex(path));
        await using (var reopened = new SqliteArchiveStore(path))
        {
            await reopened.InitializeAsync(CancellationToken.None);
        }

        Assert.True(HasIndex(path));
    }

    /// <summary>Lines of one session a second apart, the first two stored messages when imported again without ids.</summary>
    private static string Lines(int count, bool withIds) => File([.. Enumerable.Range(0, count).Select(i =>
        Of(id: withIds ? $"m-{i}" : null, message: $"text {i}", dateTime: $"2016-01-18T06:40:{i:00}.000Z"))]);

    private static async Task<ImportSummary> ImportAsync(
        InterchangeStore archive, string ndjson, int batchSize, Action<ImportProgress> report, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ndjson));
        return await new ArchiveImporter(archive.Store, batchSize)
            .ImportAsync(stream, InterchangeStore.Account, new SynchronousProgress(report), archive.Problems.Add, cancellationToken);
    }

    private static bool HasIndex(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '{SqliteSchema.DeferredIndexName}';";
        return (long)command.ExecuteScalar()! == 1;
    }

    /// <summary>Reports on the importing thread, between batches, so that a report sees the store as each batch left it.</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
