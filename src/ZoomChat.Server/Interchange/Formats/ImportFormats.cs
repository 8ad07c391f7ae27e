namespace ZoomChat.Server.Interchange.Formats;

/// <summary>The names of the formats on the command line (<c>--format</c>).</summary>
internal static class ImportFormats
{
    public const string Ndjson = "ndjson";
    public const string Csv = "csv";
    public const string ZoomTxt = "zoom-txt";
    public const string ZoomReport = "zoom-report";
    public const string ZoomV1 = "zoom-v1";

    public static readonly string[] Names = [Ndjson, Csv, ZoomTxt, ZoomReport, ZoomV1];

    public static string NameOf(ImportFormat format) => format switch
    {
        ImportFormat.Ndjson => Ndjson,
        ImportFormat.Csv => Csv,
        ImportFormat.ZoomTxt => ZoomTxt,
        ImportFormat.ZoomV1 => ZoomV1,
        _ => ZoomReport,
    };

    public static ImportFormat? Parse(string? name) => name switch
    {
        null => null,
        Ndjson => ImportFormat.Ndjson,
        Csv => ImportFormat.Csv,
        ZoomTxt => ImportFormat.ZoomTxt,
        ZoomReport => ImportFormat.ZoomReport,
        ZoomV1 => ImportFormat.ZoomV1,
        _ => throw new ImportFormatException($"--format must be one of {string.Join(", ", Names)}, not '{name}'."),
    };
}
