namespace ZoomChat.Server.Storage;

/// <summary>
/// A store that cannot be opened or used as asked, with a message that names its file and says why
/// (docs/operations.md#the-store), for the operator rather than for a developer.
/// </summary>
internal sealed class ArchiveStoreException(string message, Exception? innerException = null) : Exception(message, innerException);
