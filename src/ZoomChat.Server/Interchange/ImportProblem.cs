namespace ZoomChat.Server.Interchange;

/// <summary>A line that an import rejected: its 1-based number in the file and why (docs/import-formats.md#the-interchange-format).</summary>
/// <param name="File">The file, when the import reads several as one source (a folder of report bodies); else the caller knows it.</param>
internal sealed record ImportProblem(long LineNumber, string Reason, string? File = null);
