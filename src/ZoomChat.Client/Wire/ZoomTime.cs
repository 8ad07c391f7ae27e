using System.Globalization;
using System.Text;

namespace ZoomChat.Client.Wire;

/// <summary>The time format of the v1 chat API: UTC, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (docs/api.md#responses).</summary>
public static class ZoomTime
{
    /// <summary>The format string of every time in a response.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Writes <paramref name="value"/> in UTC in the response format.</summary>
    /// <param name="value">The instant to write.</param>
    /// <returns>The text, for example <c>2016-01-18T06:40:56.000Z</c>.</returns>
    public static string ToWire(DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[WireLength];
        WriteUtf8(value, text);
        return Encoding.ASCII.GetString(text);
    }

    /// <summary>The length of <see cref="Format"/>'s text: every <see cref="DateTimeOffset"/> has four-digit years.</summary>
    internal const int WireLength = 24;

    /// <summary>
    /// Writes <paramref name="value"/> as <see cref="ToWire"/> does, into <paramref name="destination"/>
    /// (<see cref="WireLength"/> bytes). Every response carries one time per message, and a custom
    /// format string goes through the culture-aware formatter and UTF-16; digit by digit costs far
    /// less (docs/benchmarks.md#third-pass).
    /// </summary>
    internal static void WriteUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var utc = value.UtcDateTime;
        Digits(destination[..4], utc.Year);
        destination[4] = (byte)'-';
        Digits(destination[5..7], utc.Month);
        destination[7] = (byte)'-';
        Digits(destination[8..10], utc.Day);
        destination[10] = (byte)'T';
        Digits(destination[11..13], utc.Hour);
        destination[13] = (byte)':';
        Digits(destination[14..16], utc.Minute);
        destination[16] = (byte)':';
        Digits(destination[17..19], utc.Second);
        destination[19] = (byte)'.';
        Digits(destination[20..23], utc.Millisecond);
        destination[23] = (byte)'Z';
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

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
