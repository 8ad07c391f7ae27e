namespace ZoomChat.Server.Storage;

/// <summary>UTC days as the stores number them: whole days since 1970-01-01, counted down for instants before it.</summary>
internal static class UtcDay
{
    public const long Milliseconds = 86_400_000;

    public static long Of(long dateTimeMs) => Math.DivRem(dateTimeMs, Milliseconds) is var (q, r) && r < 0 ? q - 1 : q;
}
