using Microsoft.Data.Sqlite;
using ZoomChat.Server.Storage.Sqlite;

namespace ZoomChat.Tests.Cli;

/// <summary>A store that cannot be used is one line naming its file and what is wrong, and is left as it was.</summary>
public sealed class StoreErrorTests
{
    [Fact]
    public async Task A_store_that_is_a_folder_is_named_as_a_folder()
    {
        using var cli = new CliStore();
        var folder = cli.PathOf("archive");
        Directory.CreateDirectory(folder);

        var result = await CliStore.RunWithoutStoreAsync("account", "list", "--store", folder);

        Assert.Equal($"zoomchat: The store {folder} is a folder: give a file in it, such as {Path.Combine(folder, "zoomchat.db")}.", result.OneLineError());
    }

    [Fact]
    public async Task A_store_that_is_an_ndjson_file_is_named_as_no_database_and_left_as_it_was()
    {
        using var cli = new CliStore();
        var ndjson = cli.WriteFile("history.ndjson", """{"session_id":"s-1","date_time":"2016-01-18T10:00:00Z","message":"m"}""");
        var before = await File.ReadAllBytesAsync(ndjson);

        var result = await CliStore.RunWithoutStoreAsync("account", "create", "acme", "--store", ndjson);

        var line = result.OneLineError();
        Assert.StartsWith($"zoomchat: The store {ndjson} is not a SQLite database", line, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite Error", line, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(ndjson));
    }

    [Fact]
    public async Task A_store_whose_folder_takes_no_new_file_says_it_cannot_be_created()
    {
        // /proc takes no new file from anyone, root included: the suite runs as root, where a folder's
        // permission bits would not stop the write.
        Assert.True(OperatingSystem.IsLinux(), "this test needs /proc");
        var store = $"/proc/zoomchat-{Guid.NewGuid():N}.db";

        var result = await CliStore.RunWithoutStoreAsync("account", "create", "acme", "--store", store);

        Assert.Equal($"zoomchat: The store {store} cannot be created: is its folder writable?", result.OneLineError());
    }

    [Fact]
    public async Task A_sqlite_database_of_something_else_is_refused_and_left_as_it_was()
    {
        using var cli = new CliStore();
        var other = cli.PathOf("other.db");
        await using (var connection = new SqliteConnection($"Data Source={other};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ann');";
            await create.ExecuteNonQueryAsync();
        }

        var before = await File.ReadAllBytesAsync(other);

        var result = await CliStore.RunWithoutStoreAsync("account", "create", "acme", "--store", other);

        Assert.Equal(
            $"zoomchat: The store {other} is a SQLite database of something else, not a ZoomChat store; it was left as it is.", result.OneLineError());
        Assert.Equal(before, await File.ReadAllBytesAsync(other));
    }

    [Fact]
    public async Task A_read_only_connection_string_to_a_missing_file_says_the_file_does_not_exist()
    {
        using var cli = new CliStore();

        var result = await CliStore.RunWithoutStoreAsync("account", "list", "--store", $"Data Source={cli.StorePath};Mode=ReadOnly");

        Assert.Equal($"zoomchat: The store {cli.StorePath} does not exist (Mode=ReadOnly does not create one).", result.OneLineError());
        Assert.False(File.Exists(cli.StorePath));
    }

    [Fact]
    public async Task A_store_of_a_newer_schema_is_one_line_naming_the_file()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        await using (var connection = new SqliteConnection($"Data Source={cli.StorePath};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var newer = connection.CreateCommand();
            newer.CommandText = $"INSERT INTO schema_version (version) VALUES ({SqliteSchema.Versions.Length + 1});";
            await newer.ExecuteNonQueryAsync();
        }

        var result = await cli.RunAsync("account", "list");

        Assert.Equal(
            $"zoomchat: The store {cli.StorePath} has schema version {SqliteSchema.Versions.Length + 1}, newer than this zoomchat knows ({SqliteSchema.Versions.Length}). Upgrade zoomchat.",
            result.OneLineError());
    }

    [Fact]
    public async Task A_connection_string_sqlite_cannot_read_names_the_setting()
    {
        using var cli = new CliStore();

        var result = await CliStore.RunWithoutStoreAsync("account", "list", "--store", $"Data Source={cli.StorePath};Colour=blue");

        Assert.StartsWith("zoomchat: --store (or ZoomChat:Store) is no SQLite file path or connection string: ", result.OneLineError(), StringComparison.Ordinal);
    }
}
