namespace ZoomChat.Server.Chat;

/// <summary>
/// Reads the dates that <c>from</c>, <c>to</c> and the interchange format's <c>date_time</c> accept
/// (docs/api.md#dates): <c>yyyy-MM-dd</c>, or <c>yyyy-MM-ddTHH:mm[:ss[.fraction]]</c> followed by
/// <c>Z</c>, <c>±HH:mm</c>, <c>±HHmm</c> or nothing (UTC); <c>T</c> and <c>Z</c> in either case;
/// fractions truncated to milliseconds. Nothing else: no spaces, no week or ordinal dates, no
/// comma fractions, no 24:00 or leap seconds. Allocation-free, since the API runs it on every call.
/// </summary>
internal static class ZoomDate
{
    public const long MillisecondsPerDay = 86_400_000;

    /// <summary>0001-01-01T00:00:00.000Z, the earliest instant a date may name.</summary>
    public const long MinUnixMs = -62_135_596_800_000;

    /// <summary>9999-12-31T23:59:59.999Z, the latest instant a date may name.</summary>
    public const long MaxUnixMs = 253_402_300_799_999;

    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>Reads a date-time with a time part (the interchange format's <c>date_time</c>, docs/import-formats.md#the-interchange-format).</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out long unixMs)
    {
        if (TryParse(text, out unixMs, out var dateOnly) && !dateOnly)
        {
            return true;
        }

        unixMs = 0;
        return false;
    }

    /// <summary>
    /// Reads a date or a date-time. For a date alone, <paramref name="startMs"/> is 00:00:00.000 UTC of
    /// that day and <paramref name="dateOnly"/> is true, so that a <c>to</c> can be widened to the whole day.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long startMs, out bool dateOnly)
    {
        startMs = 0;
        dateOnly = false;
        if (text.Length < 10
            || !TryDigits(text, 0, 4, out var year) || text[4] != '-'
            || !TryDigits(text, 5, 2, out var month) || text[7] != '-'
            || !TryDigits(text, 8, 2, out var day)
            || year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        long dayStartMs = (new DateOnly(year, month, day).DayNumber - UnixEpochDayNumber) * MillisecondsPerDay;
        if (text.Length == 10)
        {
            startMs = dayStartMs;
            dateOnly = true;
            return true;
        }

        if (text[10] is not ('T' or 't')
            || !TryDigits(text, 11, 2, out var hour) || hour > 23
            || text.Length < 16 || text[13] != ':'
            || !TryDigits(text, 14, 2, out var minute) || minute > 59)
        {
            return false;
        }

        var position = 16;
        var second = 0;
        var millisecond = 0;
        if (position < text.Length && text[position] == ':')
        {
            if (!TryDigits(text, position + 1, 2, out second) || second > 59)
            {
                return false;
            }

            position += 3;
            if (position < text.Length && text[position] == '.')
            {
                position++;
                var first = position;
                while (position < text.Length && char.IsAsciiDigit(text[position]))
                {
                    if (position - first < 3)
                    {
                        millisecond = (millisecond * 10) + (text[position] - '0');
                    }

                    position++;
                }

                var digits = position - first;
                if (digits == 0)
                {
                    return false;
                }

                for (; digits < 3; digits++)
                {
                    millisecond *= 10;
                }
            }
        }

        if (!TryOffset(text[position..], out var offsetMinutes))
        {
            return false;
        }

        var ms = dayStartMs
            + ((((hour * 60L) + minute) * 60) + second) * 1000
            + millisecond
            - (offsetMinutes * 60_000L);
        if (ms is < MinUnixMs or > MaxUnixMs)
        {
            return false;
        }

        startMs = ms;
        return true;
    }

    /// <summary>The zone designator: nothing or <c>Z</c> (UTC), <c>±HH:mm</c> or <c>±HHmm</c>.</summary>
    private static bool TryOffset(ReadOnlySpan<char> zone, out int offsetMinutes)
    {
        offsetMinutes = 0;
        if (zone.IsEmpty || zone is ['Z' or 'z'])
        {
            return true;
        }

        if (zone.Length is not (5 or 6) || zone[0] is not ('+' or '-'))
        {
            return false;
        }

        var minutesAt = zone.Length == 6 ? 4 : 3;
        if ((zone.Length == 6 && zone[3] != ':')
            || !TryDigits(zone, 1, 2, out var hours) || hours > 23
            || !TryDigits(zone, minutesAt, 2, out var minutes) || minutes > 59)
        {
            return false;
        }

        offsetMinutes = (zone[0] == '-' ? -1 : 1) * ((hours * 60) + minutes);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        foreach (var c in text.Slice(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
