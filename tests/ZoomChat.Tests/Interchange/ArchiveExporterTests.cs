using ZoomChat.Server.Chat;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Storage;
using ZoomChat.Tests.Support;
using static ZoomChat.Tests.Interchange.ArchiveLine;

namespace ZoomChat.Tests.Interchange;

/// <summary>The export side of the interchange format (docs/import-formats.md#the-interchange-format).</summary>
public sealed class ArchiveExporterTests
{
    [StoreFact]
    public async Task Export_writes_the_keys_in_the_contract_order_and_leaves_out_what_is_absent()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(
            """{"message":"hello","date_time":"2016-01-18T07:40:56+01:00","sender":"Ann@acme.com","message_id":"m-1","participants":["bob@acme.com"],"group_name":"Design","type":"Group","session_id":"g-1","account":"acme"}""",
            Of(session: "o-1", type: "1:1", sender: null, participants: ["bob@acme.com", "ann@acme.com"], dateTime: "2016-01-18T06:40:56.12Z", message: "hi")));

        var exported = await archive.ExportAsync();

        Assert.Equal(
            """
            {"account":"acme","session_id":"g-1","type":"Group","group_name":"Design","participants":["ann@acme.com","bob@acme.com"],"message_id":"m-1","sender":"ann@acme.com","date_time":"2016-01-18T06:40:56.000Z","message":"hello"}
            {"account":"acme","session_id":"o-1","type":"1:1","participants":["ann@acme.com","bob@acme.com"],"date_time":"2016-01-18T06:40:56.120Z","message":"hi"}

            """.ReplaceLineEndings("\n"),
            exported);
    }

    [StoreFact]
    public async Task Export_keeps_non_ASCII_text_readable_and_escapes_what_JSON_requires()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(Of(message: "Grüße, 日本 <b>&</b> \"quoted\" back\\slash\ttab\u0002")));

        var line = Assert.Single(await archive.ExportLinesAsync());

        Assert.EndsWith("\"message\":\"Grüße, 日本 <b>&</b> \\\"quoted\\\" back\\\\slash\\ttab\\u0002\"}", line, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Export_orders_sessions_by_the_bytes_of_session_id_and_messages_by_time()
    {
        await using var archive = await InterchangeStore.CreateAsync();
        await archive.ImportAsync(File(
            Of(session: "b", message: "b2", dateTime: "2016-01-18T06:40:57Z"),
            Of(session: "é"),
            Of(session: "a"),
            Of(session: "b", message: "b1"),
            Of(session: "B"),
            Of(session: "Z")));

        var sessions = (await archive.ExportLinesAsync()).Select(line => line.Split('"')[7]);

        Assert.Equal(["B", "Z", "a", "b", "b", "é"], sessions);
        Assert.Contains("\"message\":\"b1\"", (await archive.ExportLinesAsync())[3], StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Import_of_an_export_exports_byte_identical()
    {
        await using var original = await InterchangeStore.CreateAsync("acme", "beta");
        await original.ImportAsync(File(
            Of(session: "g-1", group: "Design", participants: ["Carol@acme.com"], id: "m-1", message: "hello"),
            Of(session: "g-1", sender: "bob@acme.com", message: "same instant, no id"),
            Of(session: "g-1", sender: null, message: "unknown sender, Grüße 😀"),
            Of(session: "g-1", group: "Design team", dateTime: "2016-01-18T06:40:55.5Z", message: "earlier, renamed"),
            Of(session: "o-1", type: "1:1", participants: ["ann@acme.com", "dave@acme.com"], id: "m-2", message: "hi"),
            Of(session: "o-1", sender: "dave@acme.com", id: "m-3", message: "hi back"),
            Of(session: "g-1", account: "beta", message: "another account"),
            Of(session: "empty-name", group: string.Empty, message: "group without a name")));
        var first = await original.ExportBytesAsync();

        await using var copy = await InterchangeStore.CreateAsync("acme", "beta");
        var summary = await copy.ImportAsync(first, defaultAccount: null, batchSize: 3);
        var second = await copy.ExportBytesAsync();

        Assert.Equal(new ImportSummary(8, 0, 0, 8, false), summary);
        Assert.Equal(first, second);
        Assert.Equal(new ImportSummary(0, 8, 0, 8, false), await original.ImportAsync(first, defaultAccount: null));
        Assert.Equal(first, await original.ExportBytesAsync());
    }

    [StoreFact]
    public async Task Export_filters_by_account_time_session_and_email()
    {
        await using var archive = await InterchangeStore.CreateAsync("acme", "beta");
        await archive.ImportAsync(File(
            Of(session: "s-1", dateTime: "2016-01-17T23:59:59.999Z", message: "before"),
            Of(session: "s-1", dateTime: "2016-01-18T00:00:00.000Z", message: "first"),
            Of(session: "s-1", dateTime: "2016-01-18T23:59:59.999Z", message: "last"),
            Of(session: "s-1", dateTime: "2016-01-19T00:00:00.000Z", message: "after"),
            Of(session: "s-2", sender: "bob@acme.com", message: "bob's"),
            Of(session: "s-3", account: "beta", message: "beta's")));
        Assert.True(ZoomDate.TryParse("2016-01-18", out var day, out _));

        Assert.Equal(["first", "last", "bob's", "beta's"], await MessagesAsync(new ExportQuery(null, day, day + ZoomDate.MillisecondsPerDay - 1, null, null)));
        Assert.Equal(["beta's"], await MessagesAsync(new ExportQuery("beta", null, null, null, null)));
        Assert.Equal(["before", "first", "last", "after"], await MessagesAsync(new ExportQuery("acme", null, null, "s-1", null)));
        Assert.Equal(["bob's"], await MessagesAsync(new ExportQuery(null, null, null, null, "BOB@acme.com")));
        Assert.Empty(await MessagesAsync(new ExportQuery("nobody", null, null, null, null)));

        async Task<string[]> MessagesAsync(ExportQuery query) =>
            (await archive.ExportLinesAsync(query)).Select(line => line[(line.IndexOf("\"message\":\"", StringComparison.Ordinal) + 11)..^2]).ToArray();
    }

    [StoreFact]
    public async Task Export_of_an_empty_archive_writes_nothing()
    {
        await using var archive = await InterchangeStore.CreateAsync();

        Assert.Empty(await archive.ExportBytesAsync());
    }
}
