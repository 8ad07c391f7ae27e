namespace ZoomChat.Server.Interchange;

/// <summary>How far an export has come, reported every <see cref="MessagesPerReport"/> messages and once at the end.</summary>
/// <param name="Bytes">Bytes handed to the output so far: up to one write buffer behind <paramref name="Messages"/> until the end.</param>
internal sealed record ExportProgress(long Messages, long Bytes)
{
    /// <summary>Often enough for a display that refreshes every few seconds, rare enough to cost nothing per message.</summary>
    public const int MessagesPerReport = 1_000;
}
