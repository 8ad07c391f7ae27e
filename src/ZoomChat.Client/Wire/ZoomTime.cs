using System.Globalization;

namespace ZoomChat.Client.Wire;

/// <summary>The time format of the v1 chat API: UTC, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (CONTRACT.md section 2).</summary>
public static class ZoomTime
{
    /// <summary>The format string of every time in a response.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Writes <paramref name="value"/> in UTC in the response format.</summary>
    /// <param name="value">The instant to write.</param>
    /// <returns>The text, for example <c>2016-01-18T06:40:56.000Z</c>.</returns>
    public static string ToWire(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a time as servers send it: the response format, and the shorter forms that Zoom itself
    /// sent (<c>2016-01-18T06:40:56Z</c>, or a date alone such as <c>2018-08-28</c>).
    /// </summary>
    /// <param name="text">The text to read.</param>
    /// <param name="value">The instant, when the text is a time.</param>
    /// <returns>Whether the text is a time.</returns>
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
}
