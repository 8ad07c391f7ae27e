namespace ZoomChat.Server.Interchange;

/// <summary>A line that an import rejected: its 1-based number in the file and why (CONTRACT.md section 10).</summary>
internal sealed record ImportProblem(long LineNumber, string Reason);
