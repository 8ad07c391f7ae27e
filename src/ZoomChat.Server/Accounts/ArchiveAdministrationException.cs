namespace ZoomChat.Server.Accounts;

/// <summary>An administrative request that cannot be carried out, with a message for the operator.</summary>
internal sealed class ArchiveAdministrationException(string message) : Exception(message);
