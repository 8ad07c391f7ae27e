using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Storage.Postgres;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Paging;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Storage;

/// <summary>What only the PostgreSQL store has: its URLs, its schema start and its writers' lock (docs/operations.md#running-on-postgresql).</summary>
public sealed class PostgresStoreTests
{
    private static readonly DateTimeOffset Day = new(2016, 1, 18, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Two test runs starting at once on one machine both find a finished run's cluster and both remove it.</summary>
    [PostgresFact]
    public void An_orphaned_cluster_removed_by_another_test_run_first_is_no_error()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"orphan-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        var asRoot = Environment.UserName == "root";

        PostgresServer.RemoveOrphan(folder, PostgresServer.Binaries!, asRoot);
        Assert.False(Directory.Exists(folder));
        PostgresServer.RemoveOrphan(folder, PostgresServer.Binaries!, asRoot);
        Assert.False(Directory.Exists(folder));
    }

    /// <summary>
    /// vstest kills a test host soon after its run, before a handler of its exit could stop a cluster and remove
    /// its folder: a watcher process does it once the test process has gone.
    /// </summary>
    [PostgresFact]
    public async Task A_cluster_folder_is_removed_once_the_process_it_belongs_to_has_ended()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"watched-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        using var owner = Process.Start(new ProcessStartInfo("sleep", ["600"]))!;

        PostgresServer.RemoveWhenGone(owner.Id, folder, PostgresServer.Binaries!, Environment.UserName == "root");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(Directory.Exists(folder), "removed while its process was still running");

        owner.Kill();
        await owner.WaitForExitAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (Directory.Exists(folder))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }
    }

    [Theory]
    [InlineData("postgres://zoomchat:secret@db.internal:5432/zoomchat", 64)]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat", 64)]
    [InlineData("postgres://zoomchat:secret@db.internal:5432/zoomchat?Max%20Auto%20Prepare=0", 0)]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat;MaxAutoPrepare=8", 8)]
    public void Statements_are_prepared_on_the_server_unless_the_store_value_says_otherwise(string store, int maxAutoPrepare) =>
        Assert.Equal(maxAutoPrepare, Server.Storage.Postgres.PostgresArchiveStore.Pooled(Server.Storage.Postgres.PostgresArchiveStore.Parse(store)).MaxAutoPrepare);

    [Theory]
    [InlineData("postgres://zoomchat:secret@db.internal:5432/zoomchat", true)]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat", true)]
    [InlineData("postgres://zoomchat:secret@db.internal:5432/zoomchat?No%20Reset%20On%20Close=false", false)]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat;NoResetOnClose=false", false)]
    public void Pooled_connections_are_not_reset_unless_the_store_value_says_otherwise(string store, bool noResetOnClose) =>
        Assert.Equal(noResetOnClose, Server.Storage.Postgres.PostgresArchiveStore.Pooled(Server.Storage.Postgres.PostgresArchiveStore.Parse(store)).NoResetOnClose);

    [Theory]
    [InlineData("postgres://zoomchat:secret@db.internal:5432/zoomchat", Server.Storage.Postgres.PostgresArchiveStore.PoolSize)]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat", Server.Storage.Postgres.PostgresArchiveStore.PoolSize)]
    [InlineData("postgres://zoomchat:secret@db.internal:5432/zoomchat?Maximum%20Pool%20Size=100", 100)]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat;MaxPoolSize=40", 40)]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat;Maximum Pool Size=3", 3)]
    public void A_pool_holds_a_few_connections_unless_the_store_value_says_otherwise(string store, int maxPoolSize) =>
        Assert.Equal(maxPoolSize, Server.Storage.Postgres.PostgresArchiveStore.Pooled(Server.Storage.Postgres.PostgresArchiveStore.Parse(store)).MaxPoolSize);

    [Theory]
    [InlineData("postgres://zoomchat:secret@db.internal:5432/zoomchat")]
    [InlineData("Host=db.internal;Username=zoomchat;Database=zoomchat;Multiplexing=true")]
    public void A_pools_connections_are_never_multiplexed_as_the_stores_transactions_and_locks_live_on_one(string store) =>
        Assert.False(Server.Storage.Postgres.PostgresArchiveStore.Pooled(Server.Storage.Postgres.PostgresArchiveStore.Parse(store)).Multiplexing);
    [PostgresFact]
    public async Task An_unreachable_database_is_named_without_its_password()
    {
        await using var store = ArchiveStores.Open("postgres://zoomchat:hunter2@127.0.0.1:1/archive?Timeout=2");

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Equal("postgres://zoomchat@127.0.0.1:1/archive", store.Description);
        Assert.StartsWith("The store postgres://zoomchat@127.0.0.1:1/archive cannot be used: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_connection_string_with_Host_opens_the_same_store_as_its_url()
    {
        using var folder = new TempFolder();
        var url = TestStores.Create(folder);
        var builder = Server.Storage.Postgres.PostgresArchiveStore.Parse(url);
        await using (var byUrl = ArchiveStores.Open(url))
        {
            await byUrl.InitializeAsync(CancellationToken.None);
            Assert.True(await byUrl.CreateAccountAsync("acme", DateTimeOffset.UnixEpoch, CancellationToken.None));
        }

        await using var byConnectionString = ArchiveStores.Open(builder.ConnectionString);
        await byConnectionString.InitializeAsync(CancellationToken.None);

        Assert.Equal(url.Replace(":secret", "", StringComparison.Ordinal), byConnectionString.Description);
        Assert.NotNull(await byConnectionString.FindAccountAsync("acme", CancellationToken.None));
    }

    [PostgresFact]
    public async Task Servers_starting_at_once_on_an_empty_database_create_the_schema_once()
    {
        var server = PostgresServer.Instance;
        var database = server.CreateDatabase(withSchema: false);
        try
        {
            var stores = Enumerable.Range(0, 6).Select(_ => ArchiveStores.Open(server.Url(database))).ToList();
            await Task.WhenAll(stores.Select(s => s.InitializeAsync(CancellationToken.None)));
            await using var connection = new NpgsqlConnection(server.ConnectionString(database));
            await connection.OpenAsync();
            await using var versions = new NpgsqlCommand("SELECT count(*) FROM schema_version;", connection);
            // One row per schema version: created twice, each version would be there twice.
            Assert.Equal((long)Server.Storage.Postgres.PostgresSchema.Versions.Length, await versions.ExecuteScalarAsync());
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            server.DropDatabase(database);
        }
    }

    [PostgresFact]
    public async Task A_database_of_something_else_is_refused_and_left_as_it_is()
    {
        var server = PostgresServer.Instance;
        var database = server.CreateDatabase(withSchema: false);
        try
        {
            await using (var connection = new NpgsqlConnection(server.ConnectionString(database)))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE TABLE invoices (id int);", connection);
                await create.ExecuteNonQueryAsync();
            }

            await using var store = ArchiveStores.Open(server.Url(database));
            var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => store.InitializeAsync(CancellationToken.None));
            Assert.Equal($"The store {store.Description} is a database of something else, not a ZoomChat store; it was left as it is.", error.Message);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            server.DropDatabase(database);
        }
    }

    [StoreFact]
    public async Task A_message_holding_U0000_and_UFFFF_is_exported_as_it_was_imported()
    {
        await using var store = await InterchangeStore.CreateAsync();
        var line = Lines.Message("s-1", "2016-01-18T09:00:00Z", "nul \u0000 and \uFFFF and \uFFFF0 end", "ann@acme.com", messageId: "m-1");

        await store.ImportAsync(line + "\n");
        var again = await store.ImportAsync(line + "\n");

        Assert.Empty(store.Problems);
        Assert.Equal(1L, again.Duplicates);
        var exported = Assert.Single(await store.ExportLinesAsync());
        Assert.Equal("nul \u0000 and \uFFFF and \uFFFF0 end", JsonDocument.Parse(exported).RootElement.GetProperty("message").GetString());
    }

    /// <summary>
    /// Two imports race a traversal: the second waits for the first's commit (the writers' lock), its
    /// arrival numbers start above the first's, and the traversal begun before both sees neither.
    /// </summary>
    [PostgresFact]
    public async Task A_second_import_waits_for_the_first_so_that_a_snapshot_mark_never_gains_a_message()
    {
        await using var archive = await TestArchive.StartAsync();
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", [.. Enumerable.Range(0, 6).Select(i => Lines.Message("s", Pages.Wire(Day.AddMinutes(i)), $"base {i}", "ann@acme.com"))]);
        (string, string)[] query = [("session_id", "s"), ("from", "2016-01-18"), ("to", "2016-01-18"), ("page_size", "2")];
        var first = await Pages.FirstPageAsync(archive, Pages.Get, acme, query);

        await using var second = ArchiveStores.Open(archive.StorePath);
        await second.InitializeAsync(CancellationToken.None);
        var a = await archive.Store.BeginImportAsync(CancellationToken.None);
        var aLast = await WriteAsync(a, "a", count: 3);
        var beginB = second.BeginImportAsync(CancellationToken.None);
        await WaitUntilWaitingForTheLockAsync(archive.StorePath);

        Assert.False(beginB.IsCompleted, "the second import began while the first held its transaction open");
        Assert.Equal(6, await archive.Store.GetHighWaterMarkAsync(CancellationToken.None));
        var middle = await Pages.NextPageAsync(archive, Pages.Get, acme, query, Pages.Token(first));
        await a.CommitAsync(CancellationToken.None);
        await a.DisposeAsync();
        await using (var b = await beginB)
        {
            var bFirst = (await b.ReadStoredAsync(new ImportKeys())).NextArrival;
            Assert.Equal(aLast + 1, bFirst);
            await WriteAsync(b, "b", count: 2);
            await b.CommitAsync(CancellationToken.None);
        }

        var last = await Pages.NextPageAsync(archive, Pages.Get, acme, query, Pages.Token(middle));
        Assert.Equal(
            [.. Enumerable.Range(0, 6).Select(i => $"{Pages.Wire(Day.AddMinutes(i))} ann@acme.com base {i}")],
            Pages.Messages([first, middle, last]));
        Assert.Equal(string.Empty, Pages.Token(last));
        var now = await Pages.TraverseAsync(archive, Pages.Get, acme, query);
        Assert.Equal(11, Pages.Messages(now).Count);
    }

    /// <summary>
    /// A server starts while an import into an empty database is under way, its indexes still put off, and
    /// the import's open batch then meets a line without message_id, whose look-up builds
    /// messages_by_session_time (docs/operations.md#import-into-an-empty-store). The start waits for the
    /// batch; neither waits for the other, which PostgreSQL would end as a deadlock.
    /// </summary>
    [PostgresFact]
    public async Task A_server_starting_during_an_import_into_an_empty_database_waits_for_its_batch()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        var account = await archive.AccountIdAsync();
        await using (var first = await archive.Store.BeginImportAsync(CancellationToken.None))
        {
            var session = new ImportChanges();
            session.Sessions.Add(new NewSession((await first.ReadStoredAsync(new ImportKeys())).NextSessionId, account, "s", "Group", "Design"));
            await first.WriteAsync(session, CancellationToken.None);
            await WriteAsync(first, "first", count: 2);
            await first.CommitAsync(CancellationToken.None);
        }

        await using var open = await archive.Store.BeginImportAsync(CancellationToken.None);
        await WriteAsync(open, "open", count: 2);
        var starting = archive.OpenAnotherAsync(chatListIndex: false);
        await WaitUntilWaitingForALockAsync(archive.Location, "the starting server never waited for the import's batch");

        var keys = new ImportKeys();
        keys.Instants.Add((account, "s", Day.ToUnixTimeMilliseconds()));
        await open.ReadStoredAsync(keys);
        await open.CommitAsync(CancellationToken.None);
        await (await starting).DisposeAsync();

        Assert.Equal(
            PostgresSchema.DeferredIndexes.Length,
            Convert.ToInt32(await StoreSql.ScalarAsync(
                archive.Location, $"SELECT count(*) FROM pg_indexes WHERE indexname IN ({string.Join(", ", PostgresSchema.DeferredIndexes.Select(index => $"'{index.Name}'"))});"), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Writes <paramref name="count"/> messages of session s through an open import; returns the last arrival number.</summary>
    private static async Task<long> WriteAsync(IImportTransaction import, string prefix, int count)
    {
        var keys = new ImportKeys();
        keys.Accounts.Add("acme");
        var held = await import.ReadStoredAsync(keys);
        var account = held.Accounts["acme"];
        keys.Sessions.Add((account, "s"));
        held = await import.ReadStoredAsync(keys);
        var session = held.Sessions[(account, "s")].Id;
        var changes = new ImportChanges();
        for (var i = 0; i < count; i++)
        {
            changes.Messages.Add(new NewMessage(held.NextArrival + i, account, session, null, null, Day.AddHours(1 + i).ToUnixTimeMilliseconds(), $"{prefix} {i}"));
        }

        await import.WriteAsync(changes, CancellationToken.None);
        return held.NextArrival + count - 1;
    }

    private static Task WaitUntilWaitingForTheLockAsync(string store) => WaitUntilWaitingForALockAsync(store, "the second import never waited for the lock");

    /// <summary>Returns once a session of the database waits for a lock, as PostgreSQL's own view of locks shows it.</summary>
    private static async Task WaitUntilWaitingForALockAsync(string store, string failure)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Convert.ToInt64(await StoreSql.ScalarAsync(store, "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database());"), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Assert.False(patience.IsCancellationRequested, failure);
            await Task.Yield();
        }
    }
}
