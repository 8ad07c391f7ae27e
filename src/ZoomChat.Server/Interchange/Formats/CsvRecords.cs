using System.Runtime.CompilerServices;
using System.Text;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// CSV as import records (docs/import-formats.md#csv): RFC 4180 with a header row of interchange
/// field names, one message per row, <c>participants</c> separated by <c>;</c>. Streams: one record in
/// memory at a time. Text is UTF-8 (a byte order mark of UTF-8 or UTF-16 is honoured); bytes that are
/// not UTF-8 become U+FFFD.
/// </summary>
internal static class CsvRecords
{
    /// <exception cref="ImportFormatException">The header row is missing or lacks a required column.</exception>
    public static async IAsyncEnumerable<ImportRecord> ReadAsync(Stream csv, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = OpenText(csv);
        var reader = new CsvReader(text);
        var header = await CsvHeader.ReadAsync(reader, cancellationToken);
        while (await reader.ReadRecordAsync(cancellationToken))
        {
            if (reader.IsBlank)
            {
                yield return ImportRecord.Blank(reader.LineNumber);
            }
            else if (reader.Problem is { } malformed)
            {
                yield return ImportRecord.Rejected(reader.LineNumber, malformed);
            }
            else if (reader.Fields.Count != header.Count)
            {
                yield return ImportRecord.Rejected(reader.LineNumber, $"row has {reader.Fields.Count} fields, the header row has {header.Count}");
            }
            else
            {
                yield return header.TryCreateLine(reader.Fields, out var line, out var problem)
                    ? ImportRecord.Of(reader.LineNumber, line)
                    : ImportRecord.Rejected(reader.LineNumber, problem);
            }
        }
    }

    /// <summary>Checks the header row before anything is imported.</summary>
    /// <exception cref="ImportFormatException">The header row is missing or lacks a required column.</exception>
    public static async Task CheckHeaderAsync(Stream csv, CancellationToken cancellationToken)
    {
        using var text = OpenText(csv);
        await CsvHeader.ReadAsync(new CsvReader(text), cancellationToken);
    }

    public static StreamReader OpenText(Stream stream) =>
        new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
}
