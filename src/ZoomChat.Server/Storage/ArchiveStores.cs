using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Server.Storage;

/// <summary>Opens the store that a <c>--store</c> value names.</summary>
internal static class ArchiveStores
{
    public static IArchiveStore Open(string store)
    {
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new ArgumentException("The store is empty: give a SQLite file path or connection string.", nameof(store));
        }

        if (store.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || store.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("PostgreSQL stores are not supported by this version of zoomchat; give a SQLite file path.", nameof(store));
        }

        return new SqliteArchiveStore(store);
    }
}
