using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using ZoomChat.Server.Storage.Postgres;

namespace ZoomChat.Tests.Support;

/// <summary>A plain connection to a test's store of either kind, for a test that looks inside it or breaks it.</summary>
internal static class StoreSql
{
    public static async Task<DbConnection> OpenAsync(string store)
    {
        var connection = Connection(store);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>As <see cref="ScalarAsync"/>, for a callback that cannot wait asynchronously (an import's progress report).</summary>
    public static object? Scalar(string store, string sql)
    {
        using var connection = Connection(store);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static async Task<object?> ScalarAsync(string store, string sql)
    {
        await using var connection = await OpenAsync(store);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public static async Task ExecuteAsync(string store, string sql)
    {
        await using var connection = await OpenAsync(store);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static DbConnection Connection(string store) => store.StartsWith("postgres://", StringComparison.Ordinal)
        ? new NpgsqlConnection(PostgresArchiveStore.Parse(store).ConnectionString)
        : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Pooling = false }.ToString());
}
