using System.Runtime.CompilerServices;

namespace ZoomChat.Server.Interchange;

/// <summary>The interchange format (docs/import-formats.md#the-interchange-format) as import records, one per line, blank lines included.</summary>
internal static class NdjsonRecords
{
    public static async IAsyncEnumerable<ImportRecord> ReadAsync(
        Stream ndjson, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new NdjsonLineReader(ndjson, maxLineBytes);
        var repeated = new RepeatedStrings();
        while (await reader.ReadLineAsync(cancellationToken))
        {
            if (reader.LineTooLong)
            {
                yield return ImportRecord.Rejected(reader.LineNumber, ImportReasons.TooLong(reader.MaxLineBytes));
            }
            else if (IsBlank(reader.Line.Span))
            {
                yield return ImportRecord.Blank(reader.LineNumber);
            }
            else
            {
                yield return InterchangeLine.TryParse(reader.Line.Span, repeated, out var line, out var problem)
                    ? ImportRecord.Of(reader.LineNumber, line)
                    : ImportRecord.Rejected(reader.LineNumber, problem);
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;
}
