namespace ZoomChat.Server.Interchange;

/// <summary>
/// What an import did: how many lines were stored, skipped as duplicates and rejected
/// (docs/import-formats.md#the-interchange-format). Blank lines are in none of the counts.
/// </summary>
/// <param name="Lines">Lines read, blank ones included; when <paramref name="Cancelled"/>, every line up to this one was committed.</param>
/// <param name="Cancelled">Whether the import stopped early because it was cancelled.</param>
internal sealed record ImportSummary(long Stored, long Duplicates, long Rejected, long Lines, bool Cancelled);
