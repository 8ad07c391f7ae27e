using System.Text;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Interchange;

/// <summary>A real store of the test's kind (<see cref="TestStores"/>) of its own, with account <c>acme</c>; deleted on dispose.</summary>
internal sealed class InterchangeStore : IAsyncDisposable
{
    public const string Account = "acme";

    private readonly TempFolder _folder;
    private readonly string _location;

    private InterchangeStore(TempFolder folder, string location, IArchiveStore store)
    {
        _folder = folder;
        _location = location;
        Store = store;
    }

    public IArchiveStore Store { get; }

    /// <summary>The <c>--store</c> value: the SQLite file's path or the database's URL.</summary>
    public string Location => _location;

    /// <summary>The store, for a test of what only the SQLite store has.</summary>
    public Server.Storage.Sqlite.SqliteArchiveStore Sqlite => (Server.Storage.Sqlite.SqliteArchiveStore)Store;

    public List<ImportProblem> Problems { get; } = [];

    public static async Task<InterchangeStore> CreateAsync(params string[] accounts)
    {
        var folder = new TempFolder();
        var location = TestStores.Create(folder);
        var store = ArchiveStores.Open(location);
        await store.InitializeAsync(CancellationToken.None);
        foreach (var account in accounts.Length == 0 ? [Account] : accounts)
        {
            Assert.True(await store.CreateAccountAsync(account, DateTimeOffset.UnixEpoch, CancellationToken.None));
        }

        return new InterchangeStore(folder, location, store);
    }

    /// <summary>Another store on the same file or database, as another server process has it; without an index, its chat/list always reads the store.</summary>
    public async Task<IArchiveStore> OpenAnotherAsync(bool chatListIndex)
    {
        IArchiveStore store = TestStores.Current == StoreKind.Sqlite
            ? new Server.Storage.Sqlite.SqliteArchiveStore(_location, chatListIndex)
            : new Server.Storage.Postgres.PostgresArchiveStore(_location, chatListIndex: chatListIndex);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    public Task<ImportSummary> ImportAsync(string ndjson, string? defaultAccount = Account, int batchSize = ArchiveImporter.DefaultBatchSize) =>
        ImportAsync(Encoding.UTF8.GetBytes(ndjson), defaultAccount, batchSize);

    public async Task<ImportSummary> ImportAsync(byte[] ndjson, string? defaultAccount = Account, int batchSize = ArchiveImporter.DefaultBatchSize)
    {
        using var stream = new MemoryStream(ndjson);
        return await new ArchiveImporter(Store, batchSize).ImportAsync(stream, defaultAccount, null, Problems.Add, CancellationToken.None);
    }

    public async Task<byte[]> ExportBytesAsync(ExportQuery? query = null)
    {
        using var stream = new MemoryStream();
        await new ArchiveExporter(Store).ExportAsync(query ?? new ExportQuery(null, null, null, null, null), stream, CancellationToken.None);
        return stream.ToArray();
    }

    public async Task<string> ExportAsync(ExportQuery? query = null) => Encoding.UTF8.GetString(await ExportBytesAsync(query));

    /// <summary>The exported lines, each without its line break.</summary>
    public async Task<string[]> ExportLinesAsync(ExportQuery? query = null)
    {
        var text = await ExportAsync(query);
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "Every exported line ends with a line break.");
        return text.Length == 0 ? [] : text[..^1].Split('\n');
    }

    public async Task<long> AccountIdAsync(string name = Account) =>
        await Store.FindAccountAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"No account {name}.");

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _folder.Dispose();
    }
}
