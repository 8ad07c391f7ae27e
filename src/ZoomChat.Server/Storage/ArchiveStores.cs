using ZoomChat.Server.Storage.Postgres;
using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Server.Storage;

/// <summary>Opens the store that a <c>--store</c> value (or the <c>ZoomChat:Store</c> setting) names.</summary>
internal static class ArchiveStores
{
    /// <param name="store">The <c>--store</c> value.</param>
    /// <param name="readStores">The <c>--read-store</c> values: streaming replicas of a PostgreSQL store (docs/operations.md#read-replicas).</param>
    public static IArchiveStore Open(string store, IReadOnlyList<string>? readStores = null)
    {
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new ArchiveStoreException("The store is empty: give --store (or ZoomChat:Store) a SQLite file path or connection string, or a postgres:// URL.");
        }

        readStores ??= [];
        if (PostgresArchiveStore.Names(store))
        {
            if (readStores.Any(replica => !PostgresArchiveStore.Names(replica)))
            {
                throw new ArchiveStoreException(
                    $"{PostgresArchiveStore.ReadStoreSetting} takes PostgreSQL replicas: give each a postgres:// URL or a connection string with Host=.");
            }

            // docs/operations.md#running-on-postgresql
            return new PostgresArchiveStore(store, readStores);
        }

        if (readStores.Count > 0)
        {
            throw new ArchiveStoreException(
                $"{PostgresArchiveStore.ReadStoreSetting} names replicas of a PostgreSQL store, and the store is SQLite: drop --read-store, or give --store a postgres:// URL.");
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
