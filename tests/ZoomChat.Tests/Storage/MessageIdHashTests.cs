using System.Globalization;
using ZoomChat.Server.Storage.Sqlite;
using ZoomChat.Tests.Interchange;
using ZoomChat.Tests.Support;

namespace ZoomChat.Tests.Storage;

/// <summary>
/// The SQLite store indexes message ids by a 64-bit hash (schema version 6); a hash that another id or
/// another account shares must never make a line a duplicate or a conflict.
/// </summary>
public sealed class MessageIdHashTests
{
    [Fact]
    public async Task A_message_id_whose_hash_a_stored_message_of_another_id_or_account_has_is_stored()
    {
        await using var store = await InterchangeStore.CreateAsync("acme", "globex");
        var acme = await store.AccountIdAsync("acme");
        await store.ImportAsync(string.Join('\n', [
            Lines.Message("s", "2024-01-01T10:00:00Z", "first", "ann@acme.com", messageId: "m-1", account: "acme"),
            Lines.Message("s", "2024-01-01T10:00:00Z", "other account", "bob@globex.com", messageId: "m-2", account: "globex")]) + "\n");

        // The collision, made by hand: acme's m-1 and globex's m-2 now carry the hash of acme's m-2.
        var hash = SqliteImportTransaction.MessageIdHash(acme, "m-2").ToString(CultureInfo.InvariantCulture);
        await StoreSql.ExecuteAsync(store.Location, $"UPDATE messages SET message_hash = {hash};");
        Assert.Equal(2L, await StoreSql.ScalarAsync(store.Location, $"SELECT count(*) FROM messages WHERE message_hash = {hash};"));

        // The same session, instant, sender and text as m-1: only the stored id tells them apart.
        var line = Lines.Message("s", "2024-01-01T10:00:00Z", "first", "ann@acme.com", messageId: "m-2", account: "acme");
        var first = await store.ImportAsync(line + "\n");
        var again = await store.ImportAsync(line + "\n");

        Assert.Empty(store.Problems);
        Assert.Equal((1, 0), (first.Stored, first.Duplicates));
        Assert.Equal((0, 1), (again.Stored, again.Duplicates));
    }
}
