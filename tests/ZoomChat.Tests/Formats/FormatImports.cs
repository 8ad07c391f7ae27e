using System.Text;
using System.Text.Json;
using ZoomChat.Server.Interchange;
using ZoomChat.Server.Interchange.Formats;
using ZoomChat.Tests.Interchange;

namespace ZoomChat.Tests.Formats;

/// <summary>Drives the format readers into a test's own store (<see cref="InterchangeStore"/>, account <c>acme</c>).</summary>
internal static class FormatImports
{
    public static Task<ImportSummary> ImportRecordsAsync(
        this InterchangeStore archive, IAsyncEnumerable<ImportRecord> records, string? account = InterchangeStore.Account, int batchSize = ArchiveImporter.DefaultBatchSize) =>
        new ArchiveImporter(archive.Store, batchSize).ImportAsync(records, account, null, archive.Problems.Add, CancellationToken.None);

    public static Task<ImportSummary> ImportCsvAsync(this InterchangeStore archive, string csv) =>
        archive.ImportCsvAsync(Encoding.UTF8.GetBytes(csv));

    public static async Task<ImportSummary> ImportCsvAsync(this InterchangeStore archive, byte[] csv)
    {
        using var stream = new MemoryStream(csv);
        return await archive.ImportRecordsAsync(CsvRecords.ReadAsync(stream, CancellationToken.None));
    }

    /// <summary>Imports a Zoom chat file held in memory, named <paramref name="name"/>; returns the summary and the reactions read.</summary>
    public static async Task<(ImportSummary Summary, long Reactions)> ImportZoomTxtAsync(
        this InterchangeStore archive, string content, ImportOptions options, string name = "meeting_saved_chat.txt") =>
        await archive.ImportZoomTxtAsync(Encoding.UTF8.GetBytes(content), options, name);

    public static async Task<(ImportSummary Summary, long Reactions)> ImportZoomTxtAsync(
        this InterchangeStore archive, byte[] content, ImportOptions options, string name = "meeting_saved_chat.txt")
    {
        var settings = await ZoomTxtSettings.CreateAsync(options, CancellationToken.None);
        var zoomTxt = new ZoomTxtImport(settings, name, () => new MemoryStream(content));
        var summary = await archive.ImportRecordsAsync(zoomTxt.ReadAsync(CancellationToken.None));
        return (summary, zoomTxt.Reactions);
    }

    public static async Task<(ImportSummary Summary, long Reactions)> ImportZoomTxtFileAsync(this InterchangeStore archive, string path, ImportOptions options) =>
        await archive.ImportZoomTxtAsync(await File.ReadAllBytesAsync(path), options, path);

    public static Task<ImportSummary> ImportZoomReportAsync(this InterchangeStore archive, string? sessionId, params (string Name, string Json)[] bodies) =>
        archive.ImportRecordsAsync(new ZoomReportImport(
            [.. bodies.Select(b => new ZoomReportBody(b.Name, _ => Task.FromResult(Encoding.UTF8.GetBytes(b.Json))))],
            sessionId).ReadAsync(CancellationToken.None));

    /// <summary>The archive as export writes it (sessions by id, messages by time then arrival), read back.</summary>
    public static async Task<List<Exported>> ExportedAsync(this InterchangeStore archive) =>
        [.. (await archive.ExportLinesAsync()).Select(Exported.Parse)];
}

/// <summary>One exported line (docs/import-formats.md#the-interchange-format).</summary>
internal sealed record Exported(
    string SessionId, string Type, string? GroupName, string[] Participants, string? MessageId, string? Sender, string DateTime, string Message)
{
    public static Exported Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new Exported(
            root.GetProperty("session_id").GetString()!,
            root.GetProperty("type").GetString()!,
            root.TryGetProperty("group_name", out var name) ? name.GetString() : null,
            [.. root.GetProperty("participants").EnumerateArray().Select(p => p.GetString()!)],
            root.TryGetProperty("message_id", out var id) ? id.GetString() : null,
            root.TryGetProperty("sender", out var sender) ? sender.GetString() : null,
            root.GetProperty("date_time").GetString()!,
            root.GetProperty("message").GetString()!);
    }
}
