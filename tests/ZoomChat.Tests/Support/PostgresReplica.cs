using Npgsql;

namespace ZoomChat.Tests.Support;

/// <summary>
/// A hot-standby streaming replica of the run's <see cref="PostgresServer"/>, for one test: a cluster copied
/// with <c>pg_basebackup -R</c> (initdb's pg_hba.conf already lets 127.0.0.1 replicate, and wal_level=replica
/// is PostgreSQL 15's default), started on a free port as the <c>postgres</c> user, and stopped and removed
/// when the test disposes it, or else once the test process has gone
/// (<see cref="PostgresServer.RemoveWhenGone"/>; its folder is named as the primary's, so that a replica left
/// over is removed with the primary's orphans). Each test has its own, so that pausing its replay touches no
/// other test.
/// </summary>
internal sealed class PostgresReplica : IAsyncDisposable
{
    private readonly string _folder;
    private readonly int _port;
    private readonly bool _asRoot;
    private int _stopped;

    private PostgresReplica(string folder, int port, bool asRoot)
    {
        _folder = folder;
        _port = port;
        _asRoot = asRoot;
    }

    public static PostgresReplica Start()
    {
        var primary = PostgresServer.Instance;
        var binaries = PostgresServer.Binaries!;
        var asRoot = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), $"zoomchat-postgres-{Environment.ProcessId}-replica{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        PostgresServer.RemoveWhenGone(Environment.ProcessId, folder, binaries, asRoot);
        if (asRoot)
        {
            PostgresServer.Run("chown", ["postgres", folder], asRoot: false);
        }

        var data = Path.Combine(folder, "data");
        PostgresServer.Run(
            Path.Combine(binaries, "pg_basebackup"),
            ["-D", data, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast", "-h", "127.0.0.1", "-p", $"{primary.Port}", "-U", "postgres"],
            asRoot);
        for (var attempt = 1; ; attempt++)
        {
            var port = PostgresServer.FreePort();
            try
            {
                // A hot standby needs max_connections at least the primary's.
                PostgresServer.Run(
                    Path.Combine(binaries, "pg_ctl"),
                    ["-D", data, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "start",
                     "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400 -c hot_standby=on"],
                    asRoot);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                continue;
            }

            return new PostgresReplica(folder, port, asRoot);
        }
    }

    /// <summary>A postgres:// URL of the database on the replica, as an operator gives it to --read-store.</summary>
    public string Url(string database) => $"postgres://postgres:secret@127.0.0.1:{_port}/{database}";

    /// <summary>
    /// One Npgsql connection string naming the primary first and the replica second, with no target session
    /// attributes: as an operator lists a cluster's hosts.
    /// </summary>
    public string MultiHostConnectionString(string database) =>
        $"Host=127.0.0.1:{PostgresServer.Instance.Port},127.0.0.1:{_port};Username=postgres;Password=secret;Database={database}";

    /// <summary>Stops replaying the primary's WAL; returns once replay has stopped.</summary>
    public async Task PauseReplayAsync()
    {
        await ExecuteAsync("SELECT pg_wal_replay_pause();");
        await UntilAsync(async () => (string?)await ScalarAsync(ReplicaConnectionString("postgres"), "SELECT pg_get_wal_replay_pause_state();") == "paused");
    }

    public Task ResumeReplayAsync() => ExecuteAsync("SELECT pg_wal_replay_resume();");

    /// <summary>Returns once the replica holds the database, with the primary's messages and session names as they are now.</summary>
    public async Task CatchUpAsync(string database)
    {
        const string State = "SELECT coalesce(max(id), 0)::text || ' ' || (SELECT coalesce(string_agg(group_name, ',' ORDER BY id), '') FROM sessions) FROM messages;";
        var primaryState = await ScalarAsync(PostgresServer.Instance.ConnectionString(database), State);
        await UntilAsync(async () =>
        {
            try
            {
                return Equals(await ScalarAsync(ReplicaConnectionString(database), State), primaryState);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                // The database itself is not replayed yet.
                return false;
            }
        });
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private string ReplicaConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database, Pooling = false }.ConnectionString;

    private async Task ExecuteAsync(string sql) => await ScalarAsync(ReplicaConnectionString("postgres"), sql);

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Polls a condition of the replica, which replays on its own schedule: a bound against a hang, not a
    /// measure of speed, as wide as a test run on a loaded machine may need.
    /// </summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), limit.Token);
        }
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            PostgresServer.Run(Path.Combine(PostgresServer.Binaries!, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _asRoot);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
