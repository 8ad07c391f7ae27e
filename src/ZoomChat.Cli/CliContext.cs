using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ZoomChat.Server.Hosting;
using ZoomChat.Server.Storage;
using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Cli;

/// <summary>What every command shares: where it writes, whether it writes JSON, and the store it names.</summary>
internal sealed class CliContext(
    TextReader input,
    TextWriter output,
    Func<Stream> openStandardOutput,
    TextWriter error,
    string? store,
    bool json,
    bool outputIsTerminal,
    bool errorIsTerminal,
    TimeSpan progressInterval) : IAsyncDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<IArchiveStore> _opened = [];

    public TextReader Input { get; } = input;

    public TextWriter Output { get; } = output;

    /// <summary>Standard output as bytes, for <c>export</c>, which must write them exactly; <see cref="Output"/> is the same, as text.</summary>
    public Func<Stream> OpenStandardOutput { get; } = openStandardOutput;

    public TextWriter Error { get; } = error;

    public bool Json { get; } = json;

    /// <summary>Whether <see cref="Output"/> is the process's standard output, on a terminal.</summary>
    public bool OutputIsTerminal { get; } = outputIsTerminal;

    /// <summary>Whether <see cref="Error"/> is the process's standard error, on a terminal: progress is drawn live there.</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>How often a plain progress line is written when <see cref="ErrorIsTerminal"/> is false.</summary>
    public TimeSpan ProgressInterval { get; } = progressInterval;

    /// <summary>The <c>--store</c> flag as given, or null.</summary>
    public string? StoreFlag { get; } = store;

    /// <summary>
    /// The store: <c>--store</c>, else <c>ZoomChat:Store</c> from appsettings.json or the environment
    /// (<c>ZoomChat__Store</c>), else a SQLite file under <c>./data/</c> (docs/operations.md#settings).
    /// </summary>
    public string Store { get; } = store ?? Configuration()[$"{ZoomChatOptions.Section}:Store"] ?? ZoomChatOptions.DefaultStore;

    public static IConfiguration Configuration() =>
        new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

    /// <summary>The file of the store this command opened, for errors about it.</summary>
    public string? OpenedStore { get; private set; }

    public Task<IArchiveStore> OpenStoreAsync(CancellationToken cancellationToken) => OpenStoreAsync(Store, cancellationToken);

    /// <summary>Opens and initializes <paramref name="store"/>; closed by the command's end at the latest (<see cref="DisposeAsync"/>).</summary>
    public async Task<IArchiveStore> OpenStoreAsync(string store, CancellationToken cancellationToken)
    {
        var opened = ArchiveStores.Open(store);
        OpenedStore = opened is SqliteArchiveStore sqlite ? sqlite.FilePath : opened.Description;
        _opened.Add(opened);
        await opened.InitializeAsync(cancellationToken);
        return opened;
    }

    /// <summary>
    /// The store, open for a command that changes it: a read-only store (docs/operations.md#read-only-stores)
    /// is refused before anything is tried, in words that name it and the command.
    /// </summary>
    public async Task<IArchiveStore> OpenWritableStoreAsync(string command, CancellationToken cancellationToken)
    {
        var store = await OpenStoreAsync(cancellationToken);
        if (store.IsReadOnly)
        {
            throw new CliException($"The store {OpenedStore} is read-only, and {command} changes it.");
        }

        return store;
    }

    /// <summary>
    /// Closes every store the command opened (a store closes once, however often it is disposed):
    /// closing folds the WAL into the store's file, so that no command leaves a <c>-wal</c> behind
    /// (docs/operations.md#backup-and-restore).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        _opened.Clear();
    }

    /// <summary>Writes one JSON object on one line, for scripts (<c>--json</c>).</summary>
    public void WriteJson(Action<Utf8JsonWriter> writeProperties) => WriteJson(Output, writeProperties);

    /// <summary>Writes one JSON object on one line to <paramref name="target"/> (standard error when standard output holds data).</summary>
    public static void WriteJson(TextWriter target, Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        target.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
