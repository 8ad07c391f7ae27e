using System.Text;
using System.Text.Json;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// Tells the format of a file from its first bytes when <c>--format</c> is left out
/// (docs/import-formats.md#detection), in this order: a first non-blank character <c>{</c> is JSON — a report
/// body when the object (its first line, or the start of a pretty-printed one) has a
/// <c>sessions</c>, <c>messages</c>, <c>edited_messages</c> or <c>deleted_messages</c> array, else
/// NDJSON; a first record naming the columns session_id, date_time and message is CSV; a line that
/// starts a Zoom chat message (<c>HH:MM:SS From</c>, <c>HH:MM:SS\tName:\t</c>, <c>yyyy-MM-dd
/// HH:MM:SS From</c>) anywhere in those bytes is zoom-txt, whose other lines are then reported one by
/// one. A blank file is NDJSON, with nothing in it.
/// </summary>
internal static class ImportFormatDetector
{
    /// <summary>How much of the start of a file detection reads.</summary>
    public const int PrefixBytes = 64 * 1024;

    /// <returns>The format, or <see langword="null"/> when the start fits none.</returns>
    public static ImportFormat? Detect(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith("\uFEFF"u8))
        {
            start = start[3..];
        }

        var first = start.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
        {
            return ImportFormat.Ndjson;
        }

        if (start[first] == (byte)'{')
        {
            return HoldsReportArray(start[first..]) ? ImportFormat.ZoomReport : ImportFormat.Ndjson;
        }

        var text = Encoding.UTF8.GetString(start);
        if (FirstRecordNamesColumns(text))
        {
            return ImportFormat.Csv;
        }

        return ZoomTxtImport.DetectVariant(text) is not null ? ImportFormat.ZoomTxt : null;
    }

    /// <summary>Whether the JSON object that starts here has one of a report body's arrays at its top level.</summary>
    private static bool HoldsReportArray(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 }));
        try
        {
            reader.Read();
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isReportArray = ZoomReportImport.IsReportArray(reader.ValueSpan);
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (isReportArray && reader.TokenType == JsonTokenType.StartArray)
                    {
                        return true;
                    }
                }
                else if (reader.CurrentDepth == 0)
                {
                    // The end of the first object: an NDJSON line.
                    return false;
                }
            }
        }
        catch (JsonException)
        {
            // A first line that is not JSON: an NDJSON file whose lines are reported one by one.
        }

        return false;
    }

    private static bool FirstRecordNamesColumns(string text)
    {
        using var reader = new StringReader(text);
        var csv = new CsvReader(reader);
        while (csv.ReadRecordAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            if (!csv.IsBlank)
            {
                return csv.Problem is null && CsvHeader.NamesRequiredColumns(csv.Fields);
            }
        }

        return false;
    }
}
