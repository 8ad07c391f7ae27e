using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using ZoomChat.Server.Storage.Postgres;

namespace ZoomChat.Tests.Support;

/// <summary>
/// A real PostgreSQL server for the test run: a cluster in a temp folder on a free port, started once when a
/// test first needs it and stopped and removed once the test process has gone (<see cref="RemoveWhenGone"/>). A
/// database with the schema is made once and is the template each test's own database is copied from
/// (<see cref="CreateDatabase"/>). initdb and pg_ctl refuse to run as root, so as root they run as the
/// <c>postgres</c> user. Without the binaries, tests on PostgreSQL are skipped locally and fail in CI
/// (CI=true), so that CI never passes silently (.ci/run installs them).
/// </summary>
internal sealed class PostgresServer
{
    private const string Template = "zoomchat_template";

    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;

    private readonly int _port;

    private PostgresServer(int port)
    {
        _port = port;
    }

    /// <summary>The folder of initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? Binaries { get; } = FindBinaries();

    /// <summary>Why tests on PostgreSQL do not run here, or null when they do (or must: in CI).</summary>
    public static string? SkipReason =>
        Binaries is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "PostgreSQL 15 is not installed (no initdb in `pg_config --bindir` or /usr/lib/postgresql/15/bin): the test did not run on PostgreSQL."
            : null;

    /// <summary>Where the server listens on 127.0.0.1: where a <see cref="PostgresReplica"/> streams from.</summary>
    public int Port => _port;

    /// <summary>The server, started on first use.</summary>
    public static PostgresServer Instance => Shared.Value;

    /// <summary>The server's superuser (trust authentication: any password is taken).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database, Pooling = true }.ConnectionString;

    /// <summary>A postgres:// URL of the database, as an operator gives it to --store.</summary>
    public string Url(string database, string password = "secret") => $"postgres://postgres:{password}@127.0.0.1:{_port}/{database}";

    /// <summary>A new database with the current schema, copied from the template; dropped by <see cref="DropDatabase"/>.</summary>
    public string CreateDatabase(bool withSchema = true)
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        Execute($"CREATE DATABASE {name} TEMPLATE {(withSchema ? Template : "template0")};");
        return name;
    }

    public void DropDatabase(string name) => Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string>();
        try
        {
            using var pgConfig = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (pgConfig is not null)
            {
                candidates.Add(pgConfig.StandardOutput.ReadToEnd().Trim());
                pgConfig.WaitForExit();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on the PATH.
        }

        candidates.Add("/usr/lib/postgresql/15/bin");
        return candidates.FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
    }

    private static PostgresServer Start()
    {
        var binaries = Binaries ?? throw new InvalidOperationException(
            "PostgreSQL 15 is not installed (no initdb in `pg_config --bindir` or /usr/lib/postgresql/15/bin); install postgresql-15 (.ci/run does).");
        var asRootUser = Environment.UserName == "root";
        StopOrphans(binaries, asRootUser);
        var folder = Path.Combine(Path.GetTempPath(), $"zoomchat-postgres-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        RemoveWhenGone(Environment.ProcessId, folder, binaries, asRoot);
        if (asRoot)
        {
            Run("chown", ["postgres", folder], asRoot: false);
        }

        var data = Path.Combine(folder, "data");
        Run(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var server = new PostgresServer(port);
            try
            {
                // Durability is not what these tests are about: fsync off makes each test's database cheap. The WAL
                // kept lets a replica (PostgresReplica) stream what the suite's churn of databases wrote since its
                // base backup, instead of finding it recycled.
                Run(
                    Path.Combine(binaries, "pg_ctl"),
                    ["-D", data, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "start",
                     "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c wal_keep_size=2GB"],
                    asRoot);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                continue;
            }

            server.CreateTemplate();
            return server;
        }
    }

    /// <summary>Stops and removes the clusters of test runs that ended without stopping theirs (a test host that was killed).</summary>
    private static void StopOrphans(string binaries, bool asRoot)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "zoomchat-postgres-*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var owner) || Directory.Exists($"/proc/{owner}"))
            {
                continue;
            }

            RemoveOrphan(folder, binaries, asRoot);
        }
    }

    /// <summary>
    /// Stops and removes the cluster of a test run that has ended. Another test run starting on the same
    /// machine may be removing it at the same moment: a folder gone meanwhile is removed, not an error.
    /// </summary>
    internal static void RemoveOrphan(string folder, string binaries, bool asRoot)
    {
        try
        {
            Run(Path.Combine(binaries, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"], asRoot);
        }
        catch (InvalidOperationException)
        {
            // Not running: only its folder is left.
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed by the other run.
        }
    }

    private void CreateTemplate()
    {
        Execute($"CREATE DATABASE {Template};");
        var store = new PostgresArchiveStore(ConnectionString(Template));
        store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Starts a watcher, in a session of its own, that stops the cluster in <paramref name="folder"/> and removes
    /// the folder once process <paramref name="processId"/> has ended, however it ends (and ends itself once the
    /// folder is removed otherwise). A handler of the test process's own exit cannot: vstest kills a test host
    /// that has not exited 100 ms after its run (VSTEST_TESTHOST_SHUTDOWN_TIMEOUT,
    /// https://github.com/microsoft/vstest/issues/2379), too soon to stop a cluster and remove its WAL. A cluster
    /// whose watcher was stopped too is an orphan for the next run.
    /// </summary>
    internal static void RemoveWhenGone(int processId, string folder, string binaries, bool asRoot)
    {
        var pgCtl = $"{Quoted(Path.Combine(binaries, "pg_ctl"))} -D {Quoted(Path.Combine(folder, "data"))} -m immediate -w stop";
        var script = $"""
            exec </dev/null >/dev/null 2>&1
            while kill -0 {processId} && [ -d {Quoted(folder)} ]; do sleep 1; done
            {(asRoot ? "runuser -u postgres -- " : "")}{pgCtl}
            rm -rf {Quoted(folder)}
            """;

        // Its standard streams are not the test host's, which vstest reads to their end.
        var start = new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var watcher = Process.Start(start)!;
    }

    private static string Quoted(string path) => $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static void Run(string program, string[] arguments, bool asRoot)
    {
        var start = asRoot ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", program, .. arguments]) : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed (exit {process.ExitCode}): {error}{output.Result}");
        }
    }
}
