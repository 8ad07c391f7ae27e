namespace ZoomChat.Tests.Support;

/// <summary>A folder of its own for one test, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "zoomchat-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    private readonly List<Action> _onDispose = [];

    public string Path { get; }

    /// <summary>The store a <see cref="TestArchive"/> or a <c>CliStore</c> on this folder uses (<see cref="TestStores.Create"/>).</summary>
    public string? Store { get; set; }

    /// <summary>Runs <paramref name="cleanUp"/> when the folder is removed: a test's PostgreSQL database goes with it.</summary>
    public void OnDispose(Action cleanUp) => _onDispose.Add(cleanUp);

    public void Dispose()
    {
        foreach (var cleanUp in _onDispose)
        {
            cleanUp();
        }

        _onDispose.Clear();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the OS temp folder is cleaned anyway.
        }
    }
}
