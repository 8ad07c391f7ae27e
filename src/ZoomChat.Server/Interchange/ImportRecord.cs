namespace ZoomChat.Server.Interchange;

/// <summary>
/// One record of an import, from any format: a line to apply, or a problem to report, at
/// its place in the source. A record with neither (a blank line) only moves the place on, so that
/// the summary counts lines as the file does.
/// </summary>
/// <param name="LineNumber">The 1-based line of the source where the record starts.</param>
/// <param name="File">The file the record comes from, when one source reads several (a folder of report bodies).</param>
internal readonly record struct ImportRecord(long LineNumber, InterchangeLine? Line, string? Problem, string? File = null)
{
    public bool IsBlank => Line is null && Problem is null;

    public static ImportRecord Blank(long lineNumber) => new(lineNumber, null, null);

    public static ImportRecord Of(long lineNumber, InterchangeLine line, string? file = null) => new(lineNumber, line, null, file);

    public static ImportRecord Rejected(long lineNumber, string problem, string? file = null) => new(lineNumber, null, problem, file);
}
