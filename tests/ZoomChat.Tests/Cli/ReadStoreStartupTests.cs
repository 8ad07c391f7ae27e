using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using ZoomChat.Server.Hosting;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// <c>--read-store</c> (docs/operations.md#read-replicas) names replicas of a PostgreSQL store: with a SQLite
/// store, or naming no PostgreSQL database, <c>zoomchat serve</c> refuses to start in one line.
/// </summary>
public sealed class ReadStoreStartupTests
{
    private const string SqliteRefusal =
        "zoomchat: --read-store (or ZoomChat:ReadStore) names replicas of a PostgreSQL store, and the store is SQLite: drop --read-store, or give --store a postgres:// URL.";

    // Reserved for documentation (RFC 5737): a server that started despite the flag would fail to listen, not hang.
    private const string Unbindable = "http://192.0.2.1:5095";

    [Fact]
    public async Task A_read_store_beside_a_sqlite_store_is_one_line_naming_the_flag()
    {
        using var folder = new TempFolder();

        var result = await ZoomchatProcess.RunAsync(
            folder.Path,
            [],
            "serve", "--urls", Unbindable, "--store", Path.Combine(folder.Path, "a.db"), "--read-store", "postgres://zoomchat:hunter2@127.0.0.1:1/archive");

        Assert.Equal(SqliteRefusal, result.OneLineError());
        Assert.False(File.Exists(Path.Combine(folder.Path, "a.db")));
    }

    [Fact]
    public async Task A_read_store_setting_of_one_value_in_the_environment_is_taken_and_refused_beside_a_sqlite_store()
    {
        using var folder = new TempFolder();

        var result = await ZoomchatProcess.RunAsync(
            folder.Path,
            [],
            new Dictionary<string, string> { ["ZoomChat__ReadStore"] = "Host=127.0.0.1;Port=1;Username=zoomchat;Password=hunter2;Database=archive" },
            "serve", "--urls", Unbindable, "--store", Path.Combine(folder.Path, "a.db"));

        Assert.Equal(SqliteRefusal, result.OneLineError());
    }

    [Fact]
    public async Task A_read_store_that_is_no_postgresql_database_is_refused_without_the_stores_password()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["ZoomChat:Store"] = "postgres://zoomchat:hunter2@127.0.0.1:1/archive";
        builder.Configuration["ZoomChat:ReadStore:0"] = "postgres://zoomchat:hunter2@127.0.0.1:2/archive";
        builder.Configuration["ZoomChat:ReadStore:1"] = "replica.db";

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => ZoomChatServer.BuildAsync(builder));

        Assert.Equal(
            "--read-store (or ZoomChat:ReadStore) takes PostgreSQL replicas: give each a postgres:// URL or a connection string with Host=.",
            error.Message);
    }
}
