using System.Text;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage.Postgres;
using ZoomChat.Server.Storage.Sqlite;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;
using static ZoomChat.Tests.Interchange.ArchiveLine;

namespace ZoomChat.Tests.Storage;

/// <summary>
/// An import into an empty store builds some indexes after the load (docs/operations.md#import-into-an-empty-store):
/// <c>messages_by_session_time</c> on SQLite, <see cref="PostgresSchema.DeferredIndexes"/> on PostgreSQL; a
/// store left without them is repaired when opened.
/// </summary>
public sealed class DeferredIndexTests
{
    [StoreFact]
    public async Task An_import_into_an_empty_store_loads_without_the_deferred_indexes_and_builds_them_at_the_end()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var during = new List<string>();

        var summary = await ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => during.Add(Indexes(archive)));

        Assert.Equal(6, summary.Stored);
        Assert.Equal(["", "", ""], during);
        Assert.Equal(All, Indexes(archive));
    }

    [StoreFact]
    public async Task A_line_without_message_id_has_the_session_time_index_built_before_its_duplicates_are_looked_up()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var during = new List<bool>();

        var summary = await ImportAsync(
            archive,
            Lines(4, withIds: true) + Lines(2, withIds: false) + Lines(2, withIds: false),
            batchSize: 2,
            _ => during.Add(Indexes(archive).Split(' ').Contains(SessionTimeIndex)));

        Assert.Equal((4, 4), (summary.Stored, summary.Duplicates));
        Assert.Equal([false, false, true, true], during);
        Assert.Equal(All, Indexes(archive));
    }

    [StoreFact]
    public async Task An_import_into_a_store_that_holds_messages_keeps_the_indexes_all_along()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await ImportAsync(archive, Lines(1, withIds: true), batchSize: 2, _ => { });
        var during = new List<string>();

        await ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => during.Add(Indexes(archive)));

        Assert.Equal([All, All, All], during);
    }

    [StoreFact]
    public async Task A_store_left_without_the_indexes_by_a_failed_import_gets_them_back_when_opened()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => throw new InvalidOperationException("the import fails")));
        Assert.Equal("", Indexes(archive));

        await (await archive.OpenAnotherAsync(chatListIndex: false)).DisposeAsync();

        Assert.Equal(All, Indexes(archive));
        var again = await ImportAsync(archive, Lines(6, withIds: false), batchSize: 50, _ => { });
        Assert.Equal((4, 2), (again.Stored, again.Duplicates));
    }

    [StoreFact]
    public async Task A_stopped_import_leaves_the_indexes_to_the_next_open_and_says_how_far_it_got_at_once()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        using var stop = new CancellationTokenSource();

        // Stopped after its first committed batch, as Ctrl+C does.
        var summary = await ImportAsync(archive, Lines(6, withIds: true), batchSize: 2, _ => stop.Cancel(), stop.Token);

        Assert.True(summary.Cancelled);
        Assert.InRange(summary.Stored, 1, 5);
        Assert.Equal("", Indexes(archive));
        await (await archive.OpenAnotherAsync(chatListIndex: false)).DisposeAsync();

        Assert.Equal(All, Indexes(archive));
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

    private static string SessionTimeIndex =>
        TestStores.Current == StoreKind.Sqlite ? SqliteSchema.DeferredIndexName : PostgresSchema.SessionTimeIndex.Name;

    /// <summary>The names of the indexes an import into an empty store of the test's kind puts off.</summary>
    private static string All => TestStores.Current == StoreKind.Sqlite
        ? SqliteSchema.DeferredIndexName
        : string.Join(' ', PostgresSchema.DeferredIndexes.Select(index => index.Name).Order(StringComparer.Ordinal));

    /// <summary>Those of <see cref="All"/> that the store has, read from its catalog, in byte order.</summary>
    private static string Indexes(InterchangeStore archive)
    {
        var names = string.Join(", ", All.Split(' ').Select(name => $"'{name}'"));
        return (string)StoreSql.Scalar(
            archive.Location,
            TestStores.Current == StoreKind.Sqlite
                ? $"SELECT coalesce(group_concat(name, ' '), '') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN ({names}) ORDER BY name);"
                : $"SELECT coalesce(string_agg(indexname, ' ' ORDER BY indexname COLLATE \"C\"), '') FROM pg_indexes WHERE indexname IN ({names});")!;
    }

    /// <summary>Reports on the importing thread, between batches, so that a report sees the store as each batch left it.</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
