using System.Text;
using Microsoft.Data.Sqlite;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Tests.Interchange;

/// <summary>A real SQLite store in a temp folder of its own, with account <c>acme</c>; deleted on dispose.</summary>
internal sealed class TestArchive : IAsyncDisposable
{
    public const string Account = "acme";

    private readonly string _folder;

    private TestArchive(string folder, SqliteArchiveStore store)
    {
        _folder = folder;
        Store = store;
    }

    public SqliteArchiveStore Store { get; }

    public List<ImportProblem> Problems { get; } = [];

    public static async Task<TestArchive> CreateAsync(params string[] accounts)
    {
        var folder = Path.Combine(Path.GetTempPath(), "zoomchat-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = new SqliteArchiveStore(Path.Combine(folder, "archive.db"));
        await store.InitializeAsync(CancellationToken.None);
        foreach (var account in accounts.Length == 0 ? [Account] : accounts)
        {
            Assert.True(await store.CreateAccountAsync(account, DateTimeOffset.UnixEpoch, CancellationToken.None));
        }

        return new TestArchive(folder, store);
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

        // Pooled connections keep the file open, which would stop the delete on Windows.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A connection still in use by a parallel test's pool; the temp folder is cleaned by the OS.
        }
    }
}
