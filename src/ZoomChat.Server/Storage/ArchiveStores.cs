using ZoomChat.Server.Storage.Postgres;
using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Server.Storage;

/// <summary>Opens the store that a <c>--store</c> value (or the <c>ZoomChat:Store</c> setting) names.</summary>
internal static class ArchiveStores
{
    public static IArchiveStore Open(string store)
    {
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new ArchiveStoreException("The store is empty: give --store (or ZoomChat:Store) a SQLite file path or connection string, or a postgres:// URL.");
        }

        if (PostgresArchiveStore.Names(store))
        {
            // docs/operations.md#running-on-postgresql
            return new PostgresArchiveStore(store);
        }

        try
        {
            return new SqliteArchiveStore(store);
        }
        catch (ArgumentException e)
        {
            // Microsoft.Data.Sqlite's words for a connection string it cannot read (an unknown keyword or value).
            throw new ArchiveStoreException($"--store (or ZoomChat:Store) is no SQLite file path or connection string: {e.Message}", e);
        }
    }
}
