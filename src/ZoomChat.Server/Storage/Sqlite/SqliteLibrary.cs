using SQLitePCL;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>Process-wide SQLite settings, applied before the store opens its first connection (SqliteArchiveStore's static constructor).</summary>
internal static class SqliteLibrary
{
    /// <summary>
    /// Multi-thread mode. SQLite's default, serialized mode, takes a mutex around every call into a
    /// connection or statement so that two threads may share one; the store never shares them (a read
    /// connection serves one lease at a time, every other connection one store call), and those locks
    /// show in the server's CPU under load (docs/benchmarks.md#fourth-pass). Memory statistics, which
    /// nothing here reads, take a global mutex on every allocation. When SQLite has already started in
    /// this process (something opened a connection first), it refuses both and stays as it was, which
    /// is just as correct; so it does on a second call.
    /// </summary>
    public static void Configure()
    {
        Batteries_V2.Init();
        raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD);
        raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }
}
