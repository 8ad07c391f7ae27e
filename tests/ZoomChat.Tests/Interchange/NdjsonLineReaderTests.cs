using System.Text;
using ZoomChat.Server.Interchange;

namespace ZoomChat.Tests.Interchange;

public sealed class NdjsonLineReaderTests
{
    [Fact]
    public async Task Lines_split_across_reads_are_put_together_without_BOM_or_line_breaks()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("first\r\n\nthird ü\nfourth\r\nlast")).ToArray();
        using var stream = new TricklingStream(bytes);

        var lines = await ReadAllAsync(new NdjsonLineReader(stream));

        Assert.Equal([(1L, "first"), (2L, ""), (3L, "third ü"), (4L, "fourth"), (5L, "last")], lines);
    }

    [Fact]
    public async Task A_final_line_break_does_not_make_another_line()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("one\ntwo\n"));

        var lines = await ReadAllAsync(new NdjsonLineReader(stream));

        Assert.Equal([(1L, "one"), (2L, "two")], lines);
    }

    [Fact]
    public async Task An_empty_stream_has_no_lines()
    {
        using var stream = new MemoryStream();

        Assert.Empty(await ReadAllAsync(new NdjsonLineReader(stream)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Lines_longer_than_the_limit_are_flagged_and_skipped_whole(int chunk)
    {
        var longLine = new string('x', 40);
        var exactly16 = new string('y', 16);
        var text = $"short\n{longLine}\n{exactly16}\r\n{longLine}{longLine}\nafter\n{longLine}";
        using var stream = new TricklingStream(Encoding.UTF8.GetBytes(text), chunk);

        var lines = await ReadAllAsync(new NdjsonLineReader(stream, maxLineBytes: 16));

        Assert.Equal([(1L, "short"), (2L, null), (3L, exactly16), (4L, null), (5L, "after"), (6L, null)], lines);
    }

    private static async Task<List<(long, string?)>> ReadAllAsync(NdjsonLineReader reader)
    {
        var lines = new List<(long, string?)>();
        while (await reader.ReadLineAsync(CancellationToken.None))
        {
            lines.Add((reader.LineNumber, reader.LineTooLong ? null : Encoding.UTF8.GetString(reader.Line.Span)));
        }

        return lines;
    }

    /// <summary>Hands out a few bytes per read, as a pipe or network stream may.</summary>
    private sealed class TricklingStream(byte[] bytes, int chunk = 1) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
