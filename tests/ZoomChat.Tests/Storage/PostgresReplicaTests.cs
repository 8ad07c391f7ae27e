using System.Text.Json;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Paging;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Storage;

/// <summary>
/// Page reads on a real streaming replica (docs/operations.md#read-replicas): a page whose snapshot the replica has
/// not replayed is read whole from the primary, and a page whose snapshot it holds is read from it. What shows
/// which server answered: a group's name, which a page shows as its server holds it now, renamed on the primary
/// while the replica's replay is paused.
/// </summary>
public sealed class PostgresReplicaTests
{
    private static readonly (string Name, string Value)[] Week = [("from", "2016-01-16"), ("to", "2016-01-22"), ("page_size", "2")];

    [PostgresFact]
    public async Task A_page_newer_than_a_paused_replica_is_read_whole_from_the_primary_and_reads_return_to_the_replica_once_it_replays()
    {
        await using var replica = PostgresReplica.Start();
        var (archive, database) = await StartWithReplicaAsync(replica);
        await using var _ = archive;
        var (primaryOnly, primaryHttp) = await archive.StartSecondServerAsync();
        await using var __ = primaryOnly;
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("a", "2016-01-21T10:00:00.000Z", "a1", "ann@acme.com"),
            Lines.Message("a", "2016-01-21T11:00:00.000Z", "a2", "ann@acme.com"),
            Lines.Message("b", "2016-01-20T10:00:00.000Z", "b1", "ann@acme.com"),
            Lines.Message("g", "2016-01-17T10:00:00.000Z", "g1", "ann@acme.com", groupName: "Old name"));
        await replica.CatchUpAsync(database);
        await replica.PauseReplayAsync();

        // Imported while the replica replays nothing: new sessions, and messages among a's.
        await archive.ImportAsync(
            "acme",
            Lines.Message("n", "2016-01-22T10:00:00.000Z", "n1", "bob@acme.com"),
            Lines.Message("m", "2016-01-19T10:00:00.000Z", "m1", "bob@acme.com"),
            Lines.Message("a", "2016-01-21T10:30:00.000Z", "a between", "bob@acme.com"),
            Lines.Message("a", "2016-01-21T12:00:00.000Z", "a last", "bob@acme.com"));

        var list = await Pages.TraverseAsync(archive, Pages.List, acme, Week);
        var get = await Pages.TraverseAsync(archive, Pages.Get, acme, [.. Week, ("session_id", "a")]);

        Assert.Equal(
            ["n 2016-01-22T10:00:00.000Z", "a 2016-01-21T12:00:00.000Z", "b 2016-01-20T10:00:00.000Z", "m 2016-01-19T10:00:00.000Z", "g 2016-01-17T10:00:00.000Z"],
            Pages.Sessions(list));
        Assert.Equal(Rows(await Pages.TraverseAsync(archive, Pages.List, acme, Week, primaryHttp)), Rows(list));
        Assert.Equal(4, Pages.Messages(get).Count);
        Assert.Equal(Rows(await Pages.TraverseAsync(archive, Pages.Get, acme, [.. Week, ("session_id", "a")], primaryHttp)), Rows(get));

        await replica.ResumeReplayAsync();
        await replica.CatchUpAsync(database);
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);
        await replica.PauseReplayAsync();
        await archive.ImportAsync("acme", Lines.Message("g", "2016-01-16T10:00:00.000Z", "renamed", "ann@acme.com", groupName: "New name"));

        // The traversal's snapshot is one the replica holds: its last page (g) comes from the replica, as the
        // replica holds g now; the primary, given the same token, shows g's name as it is there now.
        var second = await Pages.NextPageAsync(archive, Pages.List, acme, Week, Pages.Token(first));
        var last = await Pages.NextPageAsync(archive, Pages.List, acme, Week, Pages.Token(second));
        var lastFromPrimary = await Pages.NextPageAsync(archive, Pages.List, acme, Week, Pages.Token(second), primaryHttp);
        Assert.Equal(["g Old name"], GroupNames(last));
        Assert.Equal(["g New name"], GroupNames(lastFromPrimary));
        await replica.ResumeReplayAsync();
    }

    [PostgresFact]
    public async Task A_traversal_begun_before_an_import_keeps_its_snapshot_as_its_pages_move_from_the_primary_to_the_replica()
    {
        await using var replica = PostgresReplica.Start();
        var (archive, database) = await StartWithReplicaAsync(replica);
        await using var _ = archive;
        var (primaryOnly, primaryHttp) = await archive.StartSecondServerAsync();
        await using var __ = primaryOnly;
        var acme = await archive.CreateAccountAsync("acme");
        await replica.PauseReplayAsync();
        await archive.ImportAsync(
            "acme",
            Lines.Message("a", "2016-01-21T10:00:00.000Z", "a", "ann@acme.com"),
            Lines.Message("b", "2016-01-20T10:00:00.000Z", "b", "ann@acme.com"),
            Lines.Message("c", "2016-01-19T10:00:00.000Z", "c", "ann@acme.com"),
            Lines.Message("d", "2016-01-18T10:00:00.000Z", "d", "ann@acme.com"),
            Lines.Message("g", "2016-01-17T10:00:00.000Z", "g", "ann@acme.com", groupName: "Old name"));

        // The replica holds none of the snapshot: the first page and the next are the primary's.
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);
        await archive.ImportAsync(
            "acme",
            Lines.Message("new", "2016-01-22T10:00:00.000Z", "new session, latest", "ann@acme.com"),
            Lines.Message("between", "2016-01-19T12:00:00.000Z", "new session, among the rows to come", "ann@acme.com"),
            Lines.Message("d", "2016-01-22T11:00:00.000Z", "d would now be the latest", "ann@acme.com"));
        var second = await Pages.NextPageAsync(archive, Pages.List, acme, Week, Pages.Token(first));

        // Now it holds all of it, and the imports after it; then the group is renamed on the primary alone.
        await replica.ResumeReplayAsync();
        await replica.CatchUpAsync(database);
        await replica.PauseReplayAsync();
        await archive.ImportAsync("acme", Lines.Message("g", "2016-01-16T10:00:00.000Z", "renamed", "ann@acme.com", groupName: "New name"));
        var third = await Pages.NextPageAsync(archive, Pages.List, acme, Week, Pages.Token(second));

        JsonElement[] pages = [first, second, third];
        Assert.Equal(
            ["a 2016-01-21T10:00:00.000Z", "b 2016-01-20T10:00:00.000Z", "c 2016-01-19T10:00:00.000Z", "d 2016-01-18T10:00:00.000Z", "g 2016-01-17T10:00:00.000Z"],
            Pages.Sessions(pages));
        Pages.AssertWellFormed(pages, 2, 5, "chat_list");
        Assert.Equal(["g Old name"], GroupNames(third));
        Assert.Equal(["g New name"], GroupNames(await Pages.NextPageAsync(archive, Pages.List, acme, Week, Pages.Token(second), primaryHttp)));
        await replica.ResumeReplayAsync();
    }

    [PostgresFact]
    public async Task A_read_store_naming_several_hosts_reads_from_the_standby_among_them()
    {
        await using var replica = PostgresReplica.Start();
        var (archive, database) = await StartWithReplicaAsync(replica, multiHost: true);
        await using var _ = archive;
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync("acme", Lines.Message("g", "2016-01-17T10:00:00.000Z", "g", "ann@acme.com", groupName: "Old name"));
        await replica.CatchUpAsync(database);
        await replica.PauseReplayAsync();

        // A rename on the primary alone that gives no arrival number, so the next snapshot is still one the standby
        // holds: only the standby shows the old name.
        await using (var primary = new Npgsql.NpgsqlConnection(PostgresServer.Instance.ConnectionString(database)))
        {
            await primary.OpenAsync();
            await using var rename = new Npgsql.NpgsqlCommand("UPDATE sessions SET group_name = 'New name';", primary);
            await rename.ExecuteNonQueryAsync();
        }

        var page = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);

        Assert.Equal(["g Old name"], GroupNames(page));
        await replica.ResumeReplayAsync();
    }

    [PostgresFact]
    public async Task Pages_go_to_the_primary_once_the_replica_has_stopped()
    {
        var replica = PostgresReplica.Start();
        var (archive, database) = await StartWithReplicaAsync(replica);
        await using var _ = archive;
        var acme = await archive.CreateAccountAsync("acme");
        await archive.ImportAsync(
            "acme",
            Lines.Message("a", "2016-01-21T10:00:00.000Z", "a", "ann@acme.com"),
            Lines.Message("b", "2016-01-20T10:00:00.000Z", "b", "ann@acme.com"),
            Lines.Message("c", "2016-01-19T10:00:00.000Z", "c", "ann@acme.com"));
        await replica.CatchUpAsync(database);
        var first = await Pages.FirstPageAsync(archive, Pages.List, acme, Week);

        // The server's pool still holds its connections to the replica, now broken.
        await replica.DisposeAsync();
        var second = await Pages.NextPageAsync(archive, Pages.List, acme, Week, Pages.Token(first));
        var again = await Pages.TraverseAsync(archive, Pages.Get, acme, [.. Week, ("session_id", "a")]);

        Assert.Equal(["a 2016-01-21T10:00:00.000Z", "b 2016-01-20T10:00:00.000Z", "c 2016-01-19T10:00:00.000Z"], Pages.Sessions([first, second]));
        Assert.Equal(["2016-01-21T10:00:00.000Z ann@acme.com a"], Pages.Messages(again));
    }

    [PostgresFact]
    public async Task A_read_store_that_cannot_be_reached_stops_the_start_naming_it_without_its_password()
    {
        using var folder = new TempFolder();
        var store = TestStores.Create(folder);

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => TestArchive.StartAsync(
            options => options.ReadStore = ["postgres://zoomchat:hunter2@127.0.0.1:1/archive?Timeout=2"], folder));

        Assert.StartsWith("The read store postgres://zoomchat@127.0.0.1:1/archive cannot be used: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A server whose --read-store is the replica's copy of its --store's database (or both hosts, in one value).</summary>
    private static async Task<(TestArchive Archive, string Database)> StartWithReplicaAsync(PostgresReplica replica, bool multiHost = false)
    {
        var folder = new TempFolder();
        var store = TestStores.Create(folder);
        var database = store[(store.LastIndexOf('/') + 1)..];
        var readStore = multiHost ? replica.MultiHostConnectionString(database) : replica.Url(database);
        await replica.CatchUpAsync(database);
        return (await TestArchive.StartAsync(options => options.ReadStore = [readStore], folder), database);
    }

    private static List<string> Rows(IEnumerable<JsonElement> pages) =>
        pages.SelectMany(page => (page.TryGetProperty("chat_list", out var rows) ? rows : page.GetProperty("chat_messages")).EnumerateArray()).Select(row => row.GetRawText()).ToList();

    private static List<string> GroupNames(JsonElement page) =>
        page.GetProperty("chat_list").EnumerateArray()
            .Where(s => s.GetProperty("type").GetString() == "Group" && s.GetProperty("group_name").GetString()!.Length > 0)
            .Select(s => $"{s.GetProperty("session_id").GetString()} {s.GetProperty("group_name").GetString()}")
            .ToList();
}
