using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ZoomChat.Bench.Baseline;

/// <summary>
/// The floor of an import into SQLite (<c>import-floor STORE</c>, bench/sqlite-floor.sh): how fast SQLite
/// itself stores a ZoomChat store's messages into empty tables shaped as the store's own, in
/// <c>INSERT ... SELECT</c> statements of one transaction, with the import's pragmas: no parsing, no
/// checks, no sessions or participants. No import that keeps these indexes can be faster. Then the
/// look-ups alone of a second import of the same file. It runs on the SQLite build the store uses
/// (Microsoft.Data.Sqlite's), since the search index's options (contentless deletes, unindexed columns
/// kept) are newer than a distribution's sqlite3 command.
/// </summary>
internal static class ImportFloor
{
    // The import's own settings (SqliteImportTransaction): a 64 MiB page cache while loading, 16 MiB
    // and two sorter threads for an index built after the load.
    private const string LoadPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;";
    private const string IndexBuildPragmas = "PRAGMA cache_size=-16384; PRAGMA threads=2;";

    // What the import writes into the search index for a message (SqliteImportTransaction.WriteAsync);
    // session 0 is the placeholder of removed sessions, never indexed (SqliteSchema, version 8).
    private const string FillSearch =
        """
        INSERT INTO message_search (rowid, body, account, date_time, session_id, sender_id)
        SELECT id, body, account_id, date_time, session_id, sender_id FROM source.messages WHERE session_id <> 0 ORDER BY id;
        """;

    private const string DeferredIndex = "messages_by_session_time";

    // A second import of the same file looks every line up as SqliteImportTransaction.ReadAsync does: by the
    // hash of its id (then the id and text compared), or, without an id, by session and instant.
    private const string LookUpAgain =
        """
        SELECT count(*) FROM messages s
        WHERE CASE WHEN s.message_hash IS NOT NULL
            THEN EXISTS (SELECT 1 FROM messages m WHERE m.message_hash = s.message_hash AND m.account_id = s.account_id
                                                    AND m.message_id = s.message_id AND m.body = s.body)
            ELSE EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.session_id AND m.date_time = s.date_time
                                                    AND m.sender_id IS s.sender_id AND m.body = s.body)
        END;
        """;

    public static int Run(string storePath)
    {
        var source = Path.GetFullPath(storePath);
        if (!File.Exists(source))
        {
            Console.Error.WriteLine($"import-floor: no store at {source}");
            return 2;
        }

        List<(string Name, string Sql)> messagesSchema;
        string searchSchema;
        long rows;
        using (var store = Open(source, readOnly: true))
        {
            messagesSchema = Query(store, "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'messages' AND sql IS NOT NULL ORDER BY type DESC, name;")
                .Select(row => (row[0], row[1])).ToList();
            searchSchema = Query(store, "SELECT sql FROM sqlite_master WHERE name = 'message_search';").Single()[0];
            rows = Convert.ToInt64(Query(store, "SELECT count(*) FROM messages;").Single()[0]);
        }

        var table = messagesSchema.Where(part => part.Name == "messages").Select(part => part.Sql).Single();
        var indexes = messagesSchema.Where(part => part.Name != "messages").ToList();
        var allIndexes = string.Join(";\n", indexes.Select(index => index.Sql));
        var liveWhileLoading = string.Join(";\n", indexes.Where(index => index.Name != DeferredIndex).Select(index => index.Sql));
        var deferred = indexes.Where(index => index.Name == DeferredIndex).Select(index => index.Sql).SingleOrDefault();
        Console.WriteLine($"import-floor: {rows} messages of {source}; messages' indexes: {string.Join(", ", indexes.Select(index => index.Name))}");

        var work = Directory.CreateTempSubdirectory("zoomchat-import-floor-");
        try
        {
            var floor = Path.Combine(work.FullName, "floor.db");
            Measure(floor, source, rows, "messages with the store's indexes", $"{table};\n{allIndexes};", fillSearch: false, after: null);
            Measure(floor, source, rows, "messages and the search index, every index live", $"{table};\n{allIndexes};\n{searchSchema};", fillSearch: true, after: null);
            if (deferred is not null)
            {
                Measure(floor, source, rows, $"the same with {DeferredIndex} built after the load (an import into an empty store)",
                    $"{table};\n{liveWhileLoading};\n{searchSchema};", fillSearch: true, after: $"{IndexBuildPragmas}\n{deferred};");
            }

            Measure(floor, source, rows, "messages without indexes, for scale", $"{table};", fillSearch: false, after: null);
            MeasureLookUps(source, rows);
        }
        finally
        {
            work.Delete(recursive: true);
        }

        return 0;
    }

    private static void Measure(string floor, string source, long rows, string label, string schema, bool fillSearch, string? after)
    {
        foreach (var file in new[] { floor, floor + "-wal", floor + "-shm" })
        {
            File.Delete(file);
        }

        using var connection = Open(floor, readOnly: false);
        Execute(connection, LoadPragmas);
        Execute(connection, schema);
        Execute(connection, $"ATTACH '{source.Replace("'", "''", StringComparison.Ordinal)}' AS source;");
        var clock = Stopwatch.StartNew();
        Execute(connection, "BEGIN;");
        Execute(connection, "INSERT INTO messages SELECT * FROM source.messages ORDER BY id;");
        if (fillSearch)
        {
            Execute(connection, FillSearch);
        }

        Execute(connection, "COMMIT;");
        if (after is not null)
        {
            Execute(connection, after);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{label}: {rows} messages in {seconds:F1} s = {rows / seconds:F0} messages/s");
    }

    /// <summary>The floor of an import of the same file again, every line a duplicate: SQLite's look-ups alone, on the store itself.</summary>
    private static void MeasureLookUps(string source, long rows)
    {
        using var connection = Open(source, readOnly: true);
        Execute(connection, "PRAGMA cache_size=-65536;");
        var clock = Stopwatch.StartNew();
        var found = Convert.ToInt64(Query(connection, LookUpAgain).Single()[0]);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"every message looked up again as a second import does ({found} found): {rows} messages in {seconds:F1} s = {rows / seconds:F0} messages/s");
    }

    private static SqliteConnection Open(string path, bool readOnly)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private static List<string[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        return rows;
    }
}
