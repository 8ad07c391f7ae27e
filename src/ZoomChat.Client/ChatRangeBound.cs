using ZoomChat.Client.Wire;

namespace ZoomChat.Client;

/// <summary>
/// A <c>from</c> or <c>to</c> value of a request: a whole day (<see cref="DateOnly"/>) or an instant
/// (<see cref="DateTimeOffset"/>). Both convert implicitly, so a request takes either.
/// </summary>
/// <remarks>
/// The server reads a day as <c>from</c> = its first millisecond and <c>to</c> = its last, both in UTC
/// (docs/api.md#dates): <c>to = 2016-01-22</c> includes the whole of that day. An instant is sent
/// in UTC as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, truncated to milliseconds like the server does.
/// The default value is the instant <see cref="DateTimeOffset.MinValue"/>.
/// </remarks>
public readonly record struct ChatRangeBound
{
    private ChatRangeBound(DateTimeOffset start, bool isWholeDay)
    {
        Start = start;
        IsWholeDay = isWholeDay;
    }

    /// <summary>The instant, or for a whole day its first instant (00:00:00.000 UTC).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Whether this is a whole day, sent as <c>yyyy-MM-dd</c>.</summary>
    public bool IsWholeDay { get; }

    /// <summary>The day, when <see cref="IsWholeDay"/>; otherwise <see langword="null"/>.</summary>
    public DateOnly? Date => IsWholeDay ? DateOnly.FromDateTime(Start.UtcDateTime) : null;

    /// <summary>A whole day (UTC).</summary>
    /// <param name="date">The day.</param>
    /// <returns>The bound, sent as <c>yyyy-MM-dd</c>.</returns>
    public static ChatRangeBound FromDateOnly(DateOnly date) =>
        new(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), isWholeDay: true);

    /// <summary>An instant.</summary>
    /// <param name="instant">The instant, in any offset; it is sent in UTC.</param>
    /// <returns>The bound, sent as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</returns>
    public static ChatRangeBound FromDateTimeOffset(DateTimeOffset instant) => new(instant.ToUniversalTime(), isWholeDay: false);

    /// <summary>A whole day (UTC); the same as <see cref="FromDateOnly"/>.</summary>
    /// <param name="date">The day.</param>
    public static implicit operator ChatRangeBound(DateOnly date) => FromDateOnly(date);

    /// <summary>An instant; the same as <see cref="FromDateTimeOffset"/>.</summary>
    /// <param name="instant">The instant.</param>
    public static implicit operator ChatRangeBound(DateTimeOffset instant) => FromDateTimeOffset(instant);

    /// <summary>The value as the request sends it: <c>2016-01-22</c> or <c>2016-01-22T06:40:56.000Z</c>.</summary>
    /// <returns>The wire text.</returns>
    public override string ToString() =>
        IsWholeDay
            ? Start.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : ZoomTime.ToWire(Start);
}
