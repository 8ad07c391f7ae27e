namespace ZoomChat.Server.Interchange.Formats;

/// <summary>
/// An import that cannot start: a flag it needs is missing or wrong, or a whole file is not in the
/// format it claims (a CSV file without the required columns). Said once, before anything is stored,
/// rather than once per record.
/// </summary>
internal sealed class ImportFormatException(string message) : Exception(message);
