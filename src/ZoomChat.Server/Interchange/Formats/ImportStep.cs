namespace ZoomChat.Server.Interchange.Formats;

/// <summary>One source of records that an import applies in turn: a file, standard input, or every report body of the command.</summary>
internal sealed class ImportStep
{
    private readonly Func<CancellationToken, IAsyncEnumerable<ImportRecord>> _read;
    private readonly ZoomTxtImport? _zoomTxt;
    private readonly ZoomReportImport? _zoomReport;

    public ImportStep(string name, ImportFormat format, Func<CancellationToken, IAsyncEnumerable<ImportRecord>> read)
    {
        Name = name;
        Format = format;
        _read = read;
    }

    public ImportStep(string name, ZoomTxtImport zoomTxt)
        : this(name, ImportFormat.ZoomTxt, zoomTxt.ReadAsync) => _zoomTxt = zoomTxt;

    public ImportStep(string name, ZoomReportImport zoomReport)
        : this(name, ImportFormat.ZoomReport, zoomReport.ReadAsync) => _zoomReport = zoomReport;

    /// <summary>The path as given (<c>-</c> for standard input): problems without a file of their own name it.</summary>
    public string Name { get; }

    public ImportFormat Format { get; }

    /// <summary>How far into its input the step has read, for the progress display; null when not counted (report bodies).</summary>
    public InputBytes? Bytes { get; init; }

    /// <summary>Reactions read (zoom-txt only; never stored as messages).</summary>
    public long Reactions => _zoomTxt?.Reactions ?? 0;

    /// <summary>Deleted messages of report bodies read, never imported (zoom-report only).</summary>
    public long DeletedMessages => _zoomReport?.DeletedMessagesRead ?? 0;

    /// <summary>Edits of report bodies read, whose history is left out (zoom-report only).</summary>
    public long EditedMessages => _zoomReport?.EditsRead ?? 0;

    /// <summary>Where reading is: the report body being read, else <see cref="Name"/>.</summary>
    public string Position => _zoomReport?.CurrentBody ?? Name;

    public IAsyncEnumerable<ImportRecord> ReadAsync(CancellationToken cancellationToken) => _read(cancellationToken);
}
