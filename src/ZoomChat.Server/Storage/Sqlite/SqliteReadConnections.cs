using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// Open connections for the read path, each keeping its statements prepared. Parsing and planning
/// the read path's short queries again on every request costs about as much as running them: a
/// connection from Microsoft.Data.Sqlite's own pool drops its prepared statements when it is closed.
/// One lease serves one store call at a time; every reader is disposed before the lease is, so no
/// idle connection holds a read transaction (and with it a WAL snapshot) between requests.
/// </summary>
internal sealed class SqliteReadConnections(string connectionString) : IAsyncDisposable
{
    // Store calls run synchronously inside Microsoft.Data.Sqlite, so few are in flight at once; a
    // burst beyond this many closes its extra connections instead of keeping their page caches.
    private const int MaxIdle = 16;

    private readonly ConcurrentBag<Lease> _idle = [];
    private volatile bool _disposed;

    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var lease))
        {
            return lease;
        }

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // The query planner's stability guarantee: without it SQLite plans with the values bound to
        // some parameters (a LIMIT's, for one) and then prepares the statement again every time they are
        // bound, which Microsoft.Data.Sqlite does on every execution, so chat/get's page query would be
        // parsed and planned anew on every request. With it plans do not depend on bound values; results never did.
        SqliteException.ThrowExceptionForRC(
            raw.sqlite3_db_config(connection.Handle, raw.SQLITE_DBCONFIG_ENABLE_QPSG, 1, out _), connection.Handle);
        return new Lease(this, connection);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var lease))
        {
            await lease.CloseAsync();
        }
    }

    private async ValueTask ReturnAsync(Lease lease)
    {
        if (_disposed || _idle.Count >= MaxIdle)
        {
            await lease.CloseAsync();
            return;
        }

        _idle.Add(lease);
        if (_disposed && _idle.TryTake(out var late))
        {
            await late.CloseAsync();
        }
    }

    /// <summary>One open connection with its statements, lent to one store call.</summary>
    internal sealed class Lease(SqliteReadConnections owner, SqliteConnection connection) : IAsyncDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteConnection Connection => connection;

        /// <summary>
        /// The statement for <paramref name="sql"/>, prepared on its first use on this connection.
        /// Its parameters keep the values of the previous call: bind every one of them.
        /// </summary>
        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = SqliteArchiveStore.Command(connection, sql);
                // Explicitly: a command prepared only by its first execution is prepared again
                // whenever a reader is disposed before it has stepped past the last statement.
                command.Prepare();
                _commands.Add(sql, command);
            }

            return command;
        }

        public ValueTask DisposeAsync() => owner.ReturnAsync(this);

        internal async ValueTask CloseAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync();
            }

            await connection.DisposeAsync();
        }
    }
}

/// <summary>Re-binding a cached command's parameters.</summary>
internal static class SqliteCommandExtensions
{
    public static void Bind(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
    }
}
