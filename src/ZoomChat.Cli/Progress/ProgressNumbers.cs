using System.Globalization;

namespace ZoomChat.Cli.Progress;

/// <summary>The numbers that the import and export progress displays share.</summary>
internal static class ProgressNumbers
{
    public static double PerSecond(long count, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? count / elapsed.TotalSeconds : 0;

    /// <summary>Decimal megabytes with one decimal, as <c>ls -h --si</c> and download tools show them.</summary>
    public static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("F1", CultureInfo.InvariantCulture);
}
