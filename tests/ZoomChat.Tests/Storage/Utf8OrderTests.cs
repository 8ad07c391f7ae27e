using System.Text;
using ZoomChat.Server.Storage;

namespace ZoomChat.Tests.Storage;

public sealed class Utf8OrderTests
{
    [Theory]
    [InlineData("a", "b")]
    [InlineData("a", "ab")]
    [InlineData("", "a")]
    [InlineData("Z", "a")]
    [InlineData("\uE000", "\U0001F600")]
    [InlineData("\uFFFD", "\U00010000")]
    [InlineData("s-\u00E9", "s-\uFF21")]
    public void Orders_strings_as_their_utf8_bytes_order(string smaller, string larger)
    {
        Assert.True(Utf8Order.Compare(smaller, larger) < 0);
        Assert.True(Utf8Order.Compare(larger, smaller) > 0);
        Assert.Equal(0, Utf8Order.Compare(larger, larger));
        Assert.True(Encoding.UTF8.GetBytes(smaller).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(larger)) < 0);
    }
}
