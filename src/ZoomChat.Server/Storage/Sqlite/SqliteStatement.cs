using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ZoomChat.Server.Storage.Sqlite;

/// <summary>
/// One prepared statement driven through SQLite's own API, for the import's statements that run once
/// per line: Microsoft.Data.Sqlite finds every parameter by name and sets up a reader on each
/// execution, which costs more than SQLite's own work on an indexed insert (docs/benchmarks.md#import).
/// Parameters are numbered from 1, as in SQLite. Runs inside whatever transaction the connection has.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[256];

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        // SQLite copies the bytes (SQLITE_TRANSIENT), so one buffer serves every call.
        Check(raw.sqlite3_bind_text(_statement, index, Utf8(value)));
    }

    /// <summary>Runs a statement that returns no rows, and makes it ready to run again.</summary>
    public void Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
            {
                Check(rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Steps to the next row: true while there is one. Call <see cref="Reset"/> when done.</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(_statement);
            Check(rc);
        }

        return false;
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public long? NullableInt64(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(_statement, column);

    public string? Text(int column) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>Whether the column holds this very text, compared as UTF-8 without making a string of it.</summary>
    public bool TextEquals(int column, string value) =>
        raw.sqlite3_column_type(_statement, column) == raw.SQLITE_TEXT && raw.sqlite3_column_blob(_statement, column).SequenceEqual(Utf8(value));

    public void Dispose() => _statement.Dispose();

    /// <summary>The text in UTF-8, in a buffer that the next call reuses.</summary>
    private ReadOnlySpan<byte> Utf8(string value)
    {
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        }

        return _utf8.AsSpan(0, Encoding.UTF8.GetBytes(value, _utf8));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
