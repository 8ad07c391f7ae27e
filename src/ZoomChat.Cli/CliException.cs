namespace ZoomChat.Cli;

/// <summary>A bad argument or request, reported as one line and a non-zero exit code.</summary>
internal sealed class CliException(string message) : Exception(message);
