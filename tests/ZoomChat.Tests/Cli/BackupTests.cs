using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ZoomChat.Server.Hosting;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// <c>zoomchat backup</c>, and a store file that is whole by itself once a command has ended or a
/// server has stopped (docs/operations.md#backup-and-restore).
/// </summary>
public sealed class BackupTests
{
    [Fact]
    public async Task A_backup_taken_while_a_server_runs_serves_the_same_archive_to_the_same_credentials()
    {
        using var cli = new CliStore();
        var credentials = await cli.CreateAccountAsync("acme");
        var history = cli.WriteFile(
            "history.ndjson",
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", "ann@acme.com"),
            Lines.Message("s-2", "2016-01-19T10:00:00Z", "two", "bob@acme.com"));
        await cli.JsonAsync("import", history, "--account", "acme");
        await using var running = await TestArchive.StartAsync(folder: cli.Folder);
        var list = credentials.With(("from", "2016-01-01"), ("to", "2016-01-31"));
        var before = await running.PostJsonAsync("/v1/chat/list", list);
        var backupPath = cli.PathOf("backup.db");

        var backup = await cli.JsonAsync("backup", "--output", backupPath);

        Assert.Equal(["backup", "bytes"], JsonKeys.Of(backup));
        Assert.Equal(new FileInfo(backupPath).Length, backup.GetProperty("bytes").GetInt64());
        Assert.False(File.Exists(backupPath + "-wal"));
        var restoredFolder = new TempFolder();
        File.Copy(backupPath, Path.Combine(restoredFolder.Path, "archive.db"));
        await using var restored = await TestArchive.StartAsync(folder: restoredFolder);
        var after = await restored.PostJsonAsync("/v1/chat/list", list);
        Assert.Equal(2, after.GetProperty("chat_list").GetArrayLength());
        Assert.Equal(before.GetProperty("chat_list").GetRawText(), after.GetProperty("chat_list").GetRawText());
    }

    [Fact]
    public async Task A_backup_onto_the_store_itself_is_refused()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");

        var result = await cli.RunAsync("backup", "--output", cli.StorePath);

        Assert.Contains("is the store itself", result.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_of_the_store_file_alone_after_commands_holds_the_keys_they_created()
    {
        using var cli = new CliStore();
        await cli.JsonAsync("account", "create", "acme");
        var key = (await cli.JsonAsync("key", "create", "--account", "acme")).GetProperty("api_key").GetString()!;
        using var copy = new TempFolder();
        var copied = Path.Combine(copy.Path, "archive.db");

        File.Copy(cli.StorePath, copied);

        Assert.True(WalIsEmpty(cli.StorePath));
        var revoked = await CliStore.RunWithoutStoreAsync("key", "revoke", "--account", "acme", key, "--store", copied, "--json");
        Assert.Equal("""{"revoked":true}""", revoked.SingleJsonObject().GetRawText());
    }

    [Fact]
    public async Task A_server_stopped_cleanly_leaves_the_store_file_whole_without_a_wal()
    {
        using var folder = new TempFolder();
        var store = Path.Combine(folder.Path, "archive.db");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        await using (var app = await ZoomChatServer.BuildAsync(builder, options => options.Store = store))
        {
            await app.StartAsync();
            using var health = await app.GetTestClient().GetAsync(new Uri("/healthz", UriKind.Relative));
            health.EnsureSuccessStatusCode();
            await app.StopAsync();
        }

        Assert.True(WalIsEmpty(store));
        var copied = Path.Combine(folder.Path, "copy.db");
        File.Copy(store, copied);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copied, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM server_keys WHERE name = 'page_token';";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    private static bool WalIsEmpty(string store) => !File.Exists(store + "-wal") || new FileInfo(store + "-wal").Length == 0;
}
