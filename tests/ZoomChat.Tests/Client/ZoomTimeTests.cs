using System.Globalization;
using System.Text.Json;
using ZoomChat.Client.Wire;

namespace ZoomChat.Tests.Client;

public sealed class ZoomTimeTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new ZoomTimeJsonConverter() } };

    public static TheoryData<DateTimeOffset> Instants => new()
    {
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        new DateTimeOffset(2016, 1, 18, 6, 40, 56, TimeSpan.Zero),
        new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
        new DateTimeOffset(2024, 2, 29, 0, 0, 0, 7, TimeSpan.Zero),
        // Not UTC, and with ticks below the millisecond: written in UTC, the sub-millisecond part cut.
        new DateTimeOffset(2021, 1, 1, 1, 2, 3, TimeSpan.FromHours(5.5)).AddTicks(9_999),
        new DateTimeOffset(2023, 12, 31, 22, 30, 0, 120, TimeSpan.FromHours(-3)),
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void Writes_what_the_format_string_describes(DateTimeOffset instant)
    {
        var expected = instant.UtcDateTime.ToString(ZoomTime.Format, CultureInfo.InvariantCulture);

        Assert.Equal(expected, ZoomTime.ToWire(instant));
        Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(instant, Options));
    }
}
