using System.Globalization;
using ZoomChat.Server.Chat;

namespace ZoomChat.Tests.Interchange;

/// <summary>The date forms of docs/api.md#dates, shared by the API's from/to and the import's date_time.</summary>
public sealed class ZoomDateTests
{
    [Theory]
    [InlineData("2016-01-18T06:40:56.000Z", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18T06:40:56Z", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18T06:40Z", "2016-01-18T06:40:00.000Z")]
    [InlineData("2016-01-18T06:40", "2016-01-18T06:40:00.000Z")]
    [InlineData("2016-01-18T06:40:56", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18t06:40:56z", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18T08:40:56+02:00", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18T08:40:56+0200", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18T01:10:56-05:30", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18T06:40:56-00:00", "2016-01-18T06:40:56.000Z")]
    [InlineData("2016-01-18T06:40+02:00", "2016-01-18T04:40:00.000Z")]
    [InlineData("2016-01-01T01:00:00+02:00", "2015-12-31T23:00:00.000Z")]
    [InlineData("2016-01-18T06:40:56.1Z", "2016-01-18T06:40:56.100Z")]
    [InlineData("2016-01-18T06:40:56.12Z", "2016-01-18T06:40:56.120Z")]
    [InlineData("2016-01-18T06:40:56.123456789Z", "2016-01-18T06:40:56.123Z")]
    [InlineData("2016-01-18T06:40:56.9999999+01:00", "2016-01-18T05:40:56.999Z")]
    [InlineData("2016-02-29T12:00Z", "2016-02-29T12:00:00.000Z")]
    [InlineData("2000-02-29T00:00Z", "2000-02-29T00:00:00.000Z")]
    [InlineData("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z")]
    [InlineData("0001-01-01T00:00Z", "0001-01-01T00:00:00.000Z")]
    [InlineData("0001-01-01T01:00+01:00", "0001-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z")]
    [InlineData("9999-12-31T22:59:59.999-01:00", "9999-12-31T23:59:59.999Z")]
    [InlineData("2016-01-18T23:59:59+23:59", "2016-01-18T00:00:59.000Z")]
    public void A_date_time_is_read_as_its_UTC_instant(string text, string utc)
    {
        var expected = DateTimeOffset.ParseExact(utc, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        Assert.True(ZoomDate.TryParseDateTime(text, out var unixMs));
        Assert.Equal(expected.ToUnixTimeMilliseconds(), unixMs);
        Assert.True(ZoomDate.TryParse(text, out var startMs, out var dateOnly));
        Assert.Equal(unixMs, startMs);
        Assert.False(dateOnly);
    }

    [Theory]
    [InlineData("2016-01-22", "2016-01-22T00:00:00.000Z")]
    [InlineData("2016-02-29", "2016-02-29T00:00:00.000Z")]
    [InlineData("0001-01-01", "0001-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31", "9999-12-31T00:00:00.000Z")]
    public void A_date_alone_starts_at_midnight_UTC_and_is_no_date_time(string text, string utc)
    {
        var expected = DateTimeOffset.ParseExact(utc, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        Assert.True(ZoomDate.TryParse(text, out var startMs, out var dateOnly));
        Assert.True(dateOnly);
        Assert.Equal(expected.ToUnixTimeMilliseconds(), startMs);
        Assert.False(ZoomDate.TryParseDateTime(text, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 2016-01-18T06:40Z")]
    [InlineData("2016-01-18T06:40Z ")]
    [InlineData("2016-01-18 06:40:56Z")]
    [InlineData("2016-01-18T06:40:56 Z")]
    [InlineData("2016-01-18T06:40:56 +02:00")]
    [InlineData("2016-W03-1T06:40Z")]
    [InlineData("2016-W03-1")]
    [InlineData("2016-018T06:40Z")]
    [InlineData("2016-018")]
    [InlineData("20160118T064056Z")]
    [InlineData("20160118")]
    [InlineData("2016-1-18T06:40Z")]
    [InlineData("2016-01-8T06:40Z")]
    [InlineData("16-01-18T06:40Z")]
    [InlineData("+2016-01-18T06:40Z")]
    [InlineData("12016-01-18T06:40Z")]
    [InlineData("2016-01-18T6:40Z")]
    [InlineData("2016-01-18T06:4Z")]
    [InlineData("2016-01-18T06")]
    [InlineData("2016-01-18T06Z")]
    [InlineData("2016-01-18T")]
    [InlineData("2016-01-18T0640Z")]
    [InlineData("2016-01-18T06:40:5Z")]
    [InlineData("2016-01-18T06:40:56.Z")]
    [InlineData("2016-01-18T06:40:56,5Z")]
    [InlineData("2016-01-18T06:40.5Z")]
    [InlineData("2016-01-18T06:40:56ZZ")]
    [InlineData("2016-01-18T06:40:56+02:00Z")]
    [InlineData("2016-01-18T06:40:56Z+02:00")]
    [InlineData("2016-01-18T06:40:56+02")]
    [InlineData("2016-01-18T06:40:56+2:00")]
    [InlineData("2016-01-18T06:40:56+02:0")]
    [InlineData("2016-01-18T06:40:56+02-00")]
    [InlineData("2016-01-18T06:40:56+020")]
    [InlineData("2016-01-18T06:40:56+24:00")]
    [InlineData("2016-01-18T06:40:56+02:60")]
    [InlineData("2016-01-18T06:40:56\u221202:00")]
    [InlineData("2016-01-18T06:40:56 UTC")]
    [InlineData("2016-01-18T06:40:56GMT")]
    [InlineData("2016/01/18T06:40Z")]
    [InlineData("2016-01-18X06:40Z")]
    [InlineData("2016-01-18T06-40Z")]
    [InlineData("\uFF12\uFF10\uFF11\uFF16-01-18T06:40Z")]
    [InlineData("2016-01-18T24:00Z")]
    [InlineData("2016-01-18T23:60Z")]
    [InlineData("2016-01-18T23:59:60Z")]
    [InlineData("2016-00-18T06:40Z")]
    [InlineData("2016-13-18T06:40Z")]
    [InlineData("2016-01-00T06:40Z")]
    [InlineData("2016-01-32T06:40Z")]
    [InlineData("2016-04-31T06:40Z")]
    [InlineData("2015-02-29T06:40Z")]
    [InlineData("1900-02-29T06:40Z")]
    [InlineData("2016-02-30")]
    [InlineData("0000-01-01T00:00Z")]
    [InlineData("0000-12-31T23:00-02:00")]
    [InlineData("0001-01-01T00:00+00:01")]
    [InlineData("0001-01-01T00:59:59.999+01:00")]
    [InlineData("9999-12-31T23:59:59.999-00:01")]
    [InlineData("9999-12-31T23:00-01:00")]
    [InlineData("2016-01-18T06:40:56.123456789012345678901234567890Zjunk")]
    public void Anything_else_is_not_a_date(string text)
    {
        Assert.False(ZoomDate.TryParse(text, out var startMs, out var dateOnly));
        Assert.Equal(0, startMs);
        Assert.False(dateOnly);
        Assert.False(ZoomDate.TryParseDateTime(text, out var unixMs));
        Assert.Equal(0, unixMs);
    }

    [Fact]
    public void A_long_fraction_is_truncated_not_rounded()
    {
        Assert.True(ZoomDate.TryParseDateTime("2016-01-18T06:40:56.999999999999999999999999Z", out var unixMs));

        Assert.Equal(999, unixMs % 1000);
    }

    [Fact]
    public void Parsing_allocates_nothing()
    {
        const string dateTime = "2016-01-18T08:40:56.123+02:00";
        const string date = "2016-01-18";
        _ = ZoomDate.TryParse(dateTime, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = ZoomDate.TryParse(dateTime, out _, out _);
            _ = ZoomDate.TryParse(date, out _, out _);
            _ = ZoomDate.TryParseDateTime(dateTime, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
