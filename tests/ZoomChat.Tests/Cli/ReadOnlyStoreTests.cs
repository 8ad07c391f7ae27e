using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ZoomChat.Server.Storage.Sqlite;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Cli;

/// <summary>
/// Read-only stores (docs/operations.md#read-only-stores), such as legal-hold copies on read-only or WORM
/// storage: served and exported without a byte written, and refused in one line by what would change them.
/// The suite runs as root, whom a file's permission bits do not stop from writing: these tests open the store
/// with <c>Mode=ReadOnly</c>, which SQLite enforces for every user, and check that the file's bytes stay the same.
/// </summary>
public sealed class ReadOnlyStoreTests
{
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22")];

    [Fact]
    public async Task A_read_only_store_is_served_with_page_tokens_and_rate_limits_and_nothing_is_written()
    {
        using var cli = new CliStore();
        var acme = await FilledAsync(cli);
        var before = Settle(cli);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        await using (var server = await ServerProcess.StartAsync(ReadOnly(cli), time, options => options.RateLimits = true))
        {
            var list = await PostAsync(server, "/v1/chat/list", acme.With(Week));
            var limited = await PostAsync(server, "/v1/chat/list", acme.With(Week));
            time.Advance(TimeSpan.FromSeconds(1));
            var first = await PostAsync(server, "/v1/chat/get", acme.With([("session_id", "s-1"), .. Week, ("page_size", "2")]));
            time.Advance(TimeSpan.FromSeconds(1));
            var second = await PostAsync(server, "/v1/chat/get", acme.With(
                [("session_id", "s-1"), .. Week, ("page_size", "2"), ("next_page_token", first.GetProperty("next_page_token").GetString()!)]));

            Assert.Equal("s-1", list.GetProperty("chat_list")[0].GetProperty("session_id").GetString());
            // The buckets are kept in memory: the second call of the same second is refused.
            Assert.Equal(403, limited.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(["one", "two"], Messages(first));
            Assert.Equal(["three"], Messages(second));
        }

        AssertUnchanged(cli, before);
        Assert.False(File.Exists(cli.StorePath + ".rate-limits"));
    }

    [Fact]
    public async Task Export_reads_a_read_only_store_as_it_reads_a_writable_one()
    {
        using var cli = new CliStore();
        await FilledAsync(cli);
        var writable = await cli.RunAsync("export");
        var before = Settle(cli);

        var readOnly = await CliStore.RunWithoutStoreAsync("export", "--store", ReadOnly(cli));

        Assert.Equal((0, "Exported 3 messages.\n"), (readOnly.ExitCode, readOnly.Error));
        Assert.Equal(writable.Output, readOnly.Output);
        Assert.Contains("\"message\":\"three\"", readOnly.Output, StringComparison.Ordinal);
        AssertUnchanged(cli, before);
    }

    [Fact]
    public async Task Listing_commands_read_a_read_only_store()
    {
        using var cli = new CliStore();
        await FilledAsync(cli);
        string[][] lists = [["account", "list"], ["key", "list", "--account", "acme"], ["user", "list", "--account", "acme"], ["token", "list", "--account", "acme"]];
        var writable = new List<string>();
        foreach (var list in lists)
        {
            writable.Add((await cli.JsonAsync(list)).GetRawText());
        }

        var before = Settle(cli);

        foreach (var (list, expected) in lists.Zip(writable))
        {
            var result = await CliStore.RunWithoutStoreAsync([.. list, "--json", "--store", ReadOnly(cli)]);
            Assert.Equal(expected, result.SingleJsonObject().GetRawText());
        }

        AssertUnchanged(cli, before);
    }

    [Theory]
    [InlineData("account create", "account|create|globex")]
    [InlineData("key create", "key|create|--account|acme")]
    [InlineData("key revoke", "key|revoke|--account|acme|KEY")]
    [InlineData("user add", "user|add|--account|acme|--email|new@acme.com")]
    [InlineData("user remove", "user|remove|--account|acme|--email|viewer@example.com")]
    [InlineData("token issue", "token|issue|--account|acme|--email|viewer@example.com")]
    [InlineData("token revoke", "token|revoke|--account|acme|TOKEN")]
    public async Task A_command_that_changes_a_read_only_store_is_refused_and_changes_nothing(string command, string args)
    {
        using var cli = new CliStore();
        var acme = await FilledAsync(cli);
        var before = Settle(cli);
        var arguments = args.Split('|').Select(a => a.Replace("KEY", acme.ApiKey, StringComparison.Ordinal).Replace("TOKEN", acme.AccessToken, StringComparison.Ordinal));

        var result = await CliStore.RunWithoutStoreAsync([.. arguments, "--store", ReadOnly(cli)]);

        Assert.Equal($"zoomchat: The store {cli.StorePath} is read-only, and {command} changes it.", result.OneLineError());
        AssertUnchanged(cli, before);
    }

    [Fact]
    public async Task Import_into_a_read_only_store_is_one_line_naming_it_and_changes_nothing()
    {
        using var cli = new CliStore();
        await FilledAsync(cli);
        var more = cli.WriteFile("more.ndjson", Lines.Message("s-2", "2016-01-19T10:00:00Z", "four", "ann@acme.com"));
        var before = Settle(cli);

        var result = await CliStore.RunWithoutStoreAsync("import", more, "--account", "acme", "--store", ReadOnly(cli));

        Assert.Equal(
            $"zoomchat: The store {cli.StorePath}: it is read-only, and this command writes it (SQLite Error 8: 'attempt to write a readonly database')",
            result.OneLineError());
        AssertUnchanged(cli, before);
    }

    [Fact]
    public async Task A_read_only_store_of_an_older_schema_is_not_upgraded_and_says_so()
    {
        using var cli = new CliStore();
        await FilledAsync(cli);
        await ExecuteAsync(cli.StorePath, $"DELETE FROM schema_version WHERE version = {SqliteSchema.Versions.Length};");
        var before = Settle(cli);

        var result = await CliStore.RunWithoutStoreAsync("export", "--store", ReadOnly(cli));

        Assert.Equal(
            $"zoomchat: The store {cli.StorePath} has schema version {SqliteSchema.Versions.Length - 1}, older than this zoomchat's ({SqliteSchema.Versions.Length}), "
            + "and is read-only, so it is not upgraded: upgrade a writable copy of it (any zoomchat command on the copy does), or read it with the zoomchat that wrote it.",
            result.OneLineError());
        AssertUnchanged(cli, before);
    }

    [Fact]
    public async Task A_read_only_store_whose_folder_takes_no_write_ahead_log_is_read_as_it_stands()
    {
        using var cli = new CliStore();
        await FilledAsync(cli);
        var writable = await cli.RunAsync("export");
        var before = Settle(cli);
        // Where the log would be, a folder: SQLite cannot create the log there, for root either, as on
        // read-only storage, where permission bits would not stop root.
        Directory.CreateDirectory(cli.StorePath + "-wal");

        var readOnly = await CliStore.RunWithoutStoreAsync("export", "--store", ReadOnly(cli));

        Assert.Equal((0, "Exported 3 messages.\n"), (readOnly.ExitCode, readOnly.Error));
        Assert.Equal(writable.Output, readOnly.Output);
        AssertUnchanged(cli, before);
    }

    /// <summary>acme with a key, a viewer's token and three messages of s-1 on 2016-01-18, made by the command as an operator would.</summary>
    private static async Task<TestCredentials> FilledAsync(CliStore cli)
    {
        var acme = await cli.CreateAccountAsync("acme", "viewer@example.com");
        var messages = cli.WriteFile(
            "messages.ndjson",
            Lines.Message("s-1", "2016-01-18T10:00:00Z", "one", "ann@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:01:00Z", "two", "bob@acme.com"),
            Lines.Message("s-1", "2016-01-18T10:02:00Z", "three", "ann@acme.com"));
        await cli.JsonAsync("import", messages, "--account", "acme");
        return acme;
    }

    private static string ReadOnly(CliStore cli) => $"Data Source={cli.StorePath};Mode=ReadOnly";

    /// <summary>
    /// Closes the pooled connections, so that SQLite checkpoints its write-ahead log into the store and
    /// removes it; drops the rate limiter's file; and returns the store's hash.
    /// </summary>
    private static byte[] Settle(CliStore cli)
    {
        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(cli.StorePath + "-wal"), "the write-ahead log was left");
        File.Delete(cli.StorePath + ".rate-limits");
        return SHA256.HashData(File.ReadAllBytes(cli.StorePath));
    }

    /// <summary>The store's bytes are as they were, and no write-ahead log holds anything for it.</summary>
    private static void AssertUnchanged(CliStore cli, byte[] before)
    {
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(cli.StorePath)));
        Assert.False(new FileInfo(cli.StorePath + "-wal") is { Exists: true, Length: > 0 }, "the write-ahead log holds writes");
        Assert.False(File.Exists(cli.StorePath + ".rate-limits"));
    }

    private static async Task<JsonElement> PostAsync(ServerProcess server, string path, List<KeyValuePair<string, string>> form)
    {
        using var response = await server.Http.PostAsync(path, new FormUrlEncodedContent(form));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static string[] Messages(JsonElement page) =>
        [.. page.GetProperty("chat_messages").EnumerateArray().Select(m => m.GetProperty("message").GetString()!)];

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
