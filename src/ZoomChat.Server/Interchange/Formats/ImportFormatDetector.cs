using System.Text;
using System.Text.Json;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// Tells the format of a file from its first bytes when <c>--format</c> is left out
/// (docs/import-formats.md#detection), in this order: a first non-blank character <c>{</c> is JSON — a report
/// body when the object (its first line, or the start of a pretty-printed one) has a
/// <c>sessions</c>, <c>messages</c>, <c>edited_messages</c> or <c>deleted_messages</c> array, a saved
/// v1 response when it has a <c>chat_messages</c> or <c>chat_list</c> one, else NDJSON when its first
/// object ends on its first line (a pretty-printed document of no known kind is no format); a first record naming the columns session_id, date_time and message is CSV; a line that
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
            return JsonKindOf(start[first..]);
        }

        var text = Encoding.UTF8.GetString(start);
        if (FirstRecordNamesColumns(text))
        {
            return ImportFormat.Csv;
        }

        return ZoomTxtImport.DetectVariant(text) is not null ? ImportFormat.ZoomTxt : null;
    }

    /// <summary>Whether the JSON document that starts here is a saved v1 chat/list response, which holds no messages.</summary>
    public static bool IsChatListResponse(ReadOnlySpan<byte> start) => TopLevelArray(start, ZoomV1Response.IsResponseArray) == ZoomV1Response.Sessions;

    /// <summary>
    /// What the JSON object that starts here is: a report body or a saved v1 response by the arrays it
    /// holds at its top level; else an NDJSON line, when it ends on its first line (or does not parse);
    /// else a document over several lines of no known kind (null), which NDJSON would reject line by line.
    /// </summary>
    private static ImportFormat? JsonKindOf(ReadOnlySpan<byte> json)
    {
        if (TopLevelArray(json, ZoomReportImport.IsReportArray) is not null)
        {
            return ImportFormat.ZoomReport;
        }

        if (TopLevelArray(json, ZoomV1Response.IsResponseArray) is not null)
        {
            return ImportFormat.ZoomV1;
        }

        var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 }));
        try
        {
            // A first object that does not end on its first line, within what was read or past it.
            var whole = reader.Read() && reader.TrySkip();
            return (whole ? json[..(int)reader.BytesConsumed] : json).Contains((byte)'\n') ? null : ImportFormat.Ndjson;
        }
        catch (JsonException)
        {
            // A first line that is not JSON: an NDJSON file whose lines are reported one by one.
        }

        return ImportFormat.Ndjson;
    }

    /// <summary>The name of the first top-level property of the object starting here that <paramref name="names"/> and holds an array.</summary>
    private static string? TopLevelArray(ReadOnlySpan<byte> json, NameFilter names)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 }));
        try
        {
            reader.Read();
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var named = names(reader.ValueSpan) ? Encoding.UTF8.GetString(reader.ValueSpan) : null;
                    if (!reader.Read())
                    {
                        return null;
                    }

                    if (named is not null && reader.TokenType == JsonTokenType.StartArray)
                    {
                        return named;
                    }
                }
                else if (reader.CurrentDepth == 0)
                {
                    // The end of the first object.
                    return null;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON as far as it goes: not a document of these kinds.
        }

        return null;
    }

    private delegate bool NameFilter(ReadOnlySpan<byte> propertyName);

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
