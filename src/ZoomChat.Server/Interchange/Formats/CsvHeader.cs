using System.Diagnostics.CodeAnalysis;

namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// The header row of a CSV import: which column holds which interchange field
/// (docs/import-formats.md#csv). Names are matched without regard to case or surrounding spaces; other columns are ignored.
/// </summary>
internal sealed class CsvHeader
{
    /// <summary>The columns a CSV import cannot do without, as in the interchange format.</summary>
    public static readonly string[] Required = [InterchangeFields.SessionId, InterchangeFields.DateTime, InterchangeFields.Message];

    private static readonly string[] Known =
    [
        InterchangeFields.Account,
        InterchangeFields.SessionId,
        InterchangeFields.Type,
        InterchangeFields.GroupName,
        InterchangeFields.Participants,
        InterchangeFields.MessageId,
        InterchangeFields.Sender,
        InterchangeFields.DateTime,
        InterchangeFields.Message,
    ];

    private readonly Dictionary<string, int> _columns;

    private CsvHeader(Dictionary<string, int> columns, int count)
    {
        _columns = columns;
        Count = count;
    }

    /// <summary>How many columns the header names, as every row must hold.</summary>
    public int Count { get; }

    /// <summary>Reads the header: the first record that is not blank.</summary>
    /// <exception cref="ImportFormatException">There is none, or it lacks a required column or names one twice.</exception>
    public static async Task<CsvHeader> ReadAsync(CsvReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadRecordAsync(cancellationToken))
        {
            if (!reader.IsBlank)
            {
                return FromRecord(reader);
            }
        }

        throw new ImportFormatException("it holds no header row: a CSV import needs one naming the columns session_id, date_time and message");
    }

    /// <summary>Whether a record names the required columns: how CSV is told from other formats.</summary>
    public static bool NamesRequiredColumns(IReadOnlyList<string> fields) =>
        Required.All(name => fields.Any(field => Matches(field, name)));

    /// <summary>A line from one row, which holds exactly <see cref="Count"/> fields.</summary>
    public bool TryCreateLine(IReadOnlyList<string> fields, [NotNullWhen(true)] out InterchangeLine? line, [NotNullWhen(false)] out string? problem)
    {
        var participants = Value(fields, InterchangeFields.Participants) is { } list
            ? list.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

        // An empty message cell is an empty message: a message column that is present is never "missing".
        var message = _columns.TryGetValue(InterchangeFields.Message, out var messageColumn) ? fields[messageColumn] : null;
        return InterchangeLine.TryCreate(
            Value(fields, InterchangeFields.Account),
            Value(fields, InterchangeFields.SessionId),
            Value(fields, InterchangeFields.Type),
            Value(fields, InterchangeFields.GroupName),
            participants,
            Value(fields, InterchangeFields.MessageId),
            Value(fields, InterchangeFields.Sender),
            Value(fields, InterchangeFields.DateTime),
            message,
            out line,
            out problem);
    }

    private static CsvHeader FromRecord(CsvReader reader)
    {
        if (reader.Problem is { } problem)
        {
            throw new ImportFormatException($"its header row (line {reader.LineNumber}) is not valid CSV: {problem}");
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < reader.Fields.Count; i++)
        {
            if (Known.FirstOrDefault(name => Matches(reader.Fields[i], name)) is not { } name)
            {
                continue;
            }

            if (!columns.TryAdd(name, i))
            {
                throw new ImportFormatException($"its header row (line {reader.LineNumber}) names the column {name} twice");
            }
        }

        var missing = Required.Where(name => !columns.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFormatException(
                $"its header row (line {reader.LineNumber}) has no {string.Join(", ", missing)} column: "
                + "a CSV import needs the columns session_id, date_time and message, and may have account, type, group_name, participants, message_id and sender");
        }

        return new CsvHeader(columns, reader.Fields.Count);
    }

    /// <summary>A cell's value; an empty cell leaves the field out.</summary>
    private string? Value(IReadOnlyList<string> fields, string name) =>
        _columns.TryGetValue(name, out var column) && fields[column].Length > 0 ? fields[column] : null;

    private static bool Matches(string field, string name) => field.AsSpan().Trim().Equals(name, StringComparison.OrdinalIgnoreCase);
}
