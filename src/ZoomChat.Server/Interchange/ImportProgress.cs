namespace ZoomChat.Server.Interchange;

/// <summary>How far an import has come, reported after each committed batch.</summary>
/// <param name="Lines">Lines read so far, blank ones included, so that it matches the file's line numbers.</param>
internal sealed record ImportProgress(long Lines, long Stored, long Duplicates, long Rejected);
